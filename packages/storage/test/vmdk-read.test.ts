import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openImage, type BlockDevice } from '../src/index.js';
import { expectIntrospectionAsQemu, pattern, qemu, qemuContent } from './vmdk-helpers.js';

/*
 * Every kind of VMDK qemu-img writes must read back as qemu-img reads it:
 * the same bytes, the same info, map and check.
 */

const dir = mkdtempSync(join(tmpdir(), 'vmdk-read-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const MiB = 1 << 20;
/** Not a whole number of grains: the last grain is partial. */
const SIZE = 10 * MiB + 3 * 512;
const source = join(dir, 'source.raw');

beforeAll(() => {
  writeFileSync(source, Buffer.alloc(0));
  qemu(['resize', '-f', 'raw', source, String(SIZE)]);
  qemu(
    [
      '-f',
      'raw',
      '-c',
      'write -P 0xaa 0 64k',
      '-c',
      'write -P 0xbb 1M 4k',
      '-c',
      'write -P 0xcc 5M 200k',
      '-c',
      'write -P 0 8M 64k',
      '-c',
      `write -P 0x11 ${SIZE - 1024} 1024`,
      source,
    ],
    'qemu-io',
  );
});

/** Open `path` and compare everything qemu-img says about it with what the library says. */
async function expectSameAsQemu(path: string): Promise<void> {
  const expected = qemuContent(path, join(dir, 'expected.raw'));
  const { device } = await openImage(path, { readOnly: true });
  try {
    await expectDevice(device, path, expected);
  } finally {
    await device.close();
  }
}

async function expectDevice(device: BlockDevice, path: string, expected: Buffer): Promise<void> {
  expect(device.format).toBe('vmdk');
  expect(device.size).toBe(expected.length);
  expect((await device.read(0, device.size)).equals(expected)).toBe(true);
  // odd-sized reads across grain and extent boundaries
  expect((await device.read(65536 - 700, 5000)).equals(expected.subarray(65536 - 700, 65536 - 700 + 5000))).toBe(true);
  await expectIntrospectionAsQemu(device, path);
}

describe('VMDKs written by qemu-img read back identically', () => {
  const cases: Array<[string, string[]]> = [
    ['monolithicSparse', ['-o', 'subformat=monolithicSparse']],
    ['monolithicFlat', ['-o', 'subformat=monolithicFlat']],
    ['streamOptimized', ['-o', 'subformat=streamOptimized']],
    ['twoGbMaxExtentSparse', ['-o', 'subformat=twoGbMaxExtentSparse']],
    ['twoGbMaxExtentFlat', ['-o', 'subformat=twoGbMaxExtentFlat']],
    ['zeroed_grain', ['-o', 'zeroed_grain=on']],
    ['compat6', ['-o', 'compat6=on,adapter_type=lsilogic,toolsversion=1234']],
  ];
  it.each(cases)('%s', async (name, options) => {
    const path = join(dir, `conv-${name}.vmdk`);
    qemu(['convert', '-f', 'raw', '-O', 'vmdk', ...options, source, path]);
    await expectSameAsQemu(path);
  });

  it('zeroed grains written by qemu-io', async () => {
    const path = join(dir, 'zg.vmdk');
    qemu(['convert', '-f', 'raw', '-O', 'vmdk', '-o', 'zeroed_grain=on', source, path]);
    qemu(['-f', 'vmdk', '-c', 'write -z 0 64k', '-c', 'write -z 5M 128k', '-c', 'write -z 2M 4k', '-c', 'write -z 3M 96k', path], 'qemu-io');
    await expectSameAsQemu(path);
  });

  it('streamOptimized written grain by grain by qemu-io, and reopened', async () => {
    const path = join(dir, 'so-io.vmdk');
    qemu(['create', '-f', 'vmdk', '-o', 'subformat=streamOptimized', path, '4M']);
    qemu(['-f', 'vmdk', '-c', 'write -P 0x77 0 64k', '-c', 'write -P 0x78 1M 128k', path], 'qemu-io');
    qemu(['-f', 'vmdk', '-c', 'write -P 0x79 2M 64k', path], 'qemu-io');
    await expectSameAsQemu(path);
  });

  it('twoGbMaxExtent images larger than one extent', async () => {
    for (const subformat of ['twoGbMaxExtentSparse', 'twoGbMaxExtentFlat']) {
      const path = join(dir, `big-${subformat}.vmdk`);
      qemu(['create', '-f', 'vmdk', '-o', `subformat=${subformat}`, path, `${2048 + 3}M`]);
      const at = 2048 * MiB - 4096;
      qemu(['-f', 'vmdk', '-c', `write -P 0x5a ${at} 12k`, '-c', 'write -P 0x5b 4k 4k', path], 'qemu-io');
      const { device } = await openImage(path, { readOnly: true });
      try {
        expect(device.size).toBe((2048 + 3) * MiB);
        const read = await device.read(at - 512, 13 * 1024);
        expect(read.subarray(0, 512).every((b) => b === 0)).toBe(true);
        expect(read.subarray(512, 512 + 12 * 1024).every((b) => b === 0x5a)).toBe(true);
        expect(read.subarray(512 + 12 * 1024).every((b) => b === 0)).toBe(true);
        await expectIntrospectionAsQemu(device, path);
      } finally {
        await device.close();
      }
    }
  });

  it('a backing chain, through parentFileNameHint', async () => {
    const base = join(dir, 'base.vmdk');
    const child = join(dir, 'child.vmdk');
    qemu(['convert', '-f', 'raw', '-O', 'vmdk', source, base]);
    qemu(['create', '-f', 'vmdk', '-b', 'base.vmdk', '-F', 'vmdk', child]);
    qemu(['-f', 'vmdk', '-c', 'write -P 0x42 4k 8k', '-c', 'write -P 0x43 5M 64k', child], 'qemu-io');
    await expectSameAsQemu(child);
    const { device } = await openImage(child, { readOnly: true });
    expect(device.backing?.path).toBe(base);
    await device.close();
  });

  it('a descriptor with CRLF line ends, padded with NULs as QEMU rewrites it', async () => {
    const path = join(dir, 'crlf.vmdk');
    qemu(['convert', '-f', 'raw', '-O', 'vmdk', '-o', 'subformat=monolithicFlat', source, path]);
    const text = readFileSync(path, 'latin1').replace(/\0+$/, '');
    writeFileSync(path, Buffer.from(`${text.replace(/\n/g, '\r\n')}\0\0\0stale"\n`, 'latin1'));
    await expectSameAsQemu(path);
  });

  it('a descriptor naming a sparse and a flat extent', async () => {
    const sparse = join(dir, 'mixed-s.vmdk');
    const flat = join(dir, 'mixed-f.vmdk');
    const path = join(dir, 'mixed.vmdk');
    qemu(['create', '-f', 'vmdk', '-o', 'subformat=twoGbMaxExtentSparse', join(dir, 'mixed0.vmdk'), '1M']);
    qemu(['-f', 'vmdk', '-c', 'write -P 0x61 0 64k', join(dir, 'mixed0.vmdk')], 'qemu-io');
    rmSync(sparse, { force: true });
    writeFileSync(sparse, readFileSync(join(dir, 'mixed0-s001.vmdk')));
    writeFileSync(flat, pattern(MiB, 0x62));
    writeFileSync(
      path,
      '# Disk DescriptorFile\nversion=1\nCID=12345678\nparentCID=ffffffff\ncreateType="twoGbMaxExtentSparse"\n\n# Extent description\n' +
        'RW 2048 SPARSE "mixed-s.vmdk"\nRW 2048 FLAT "mixed-f.vmdk" 0\n\n# The Disk Data Base\n#DDB\n\n',
    );
    await expectSameAsQemu(path);
  });
});
