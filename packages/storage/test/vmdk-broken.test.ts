import { copyFileSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VirtError } from '@virt/core-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openImage } from '../src/index.js';
import { qemu, qemuStatus } from './vmdk-helpers.js';

/*
 * Damaged and malformed VMDKs: each must end in one VirtError with QEMU's
 * message for the same problem (or read as QEMU reads it), never in a
 * crash, a hang or a huge allocation.
 */

const dir = mkdtempSync(join(tmpdir(), 'vmdk-broken-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const good = join(dir, 'good.vmdk');
const goodStream = join(dir, 'good-stream.vmdk');
const goodFlat = join(dir, 'flat.vmdk');

beforeAll(() => {
  const source = join(dir, 'source.raw');
  writeFileSync(source, Buffer.alloc(1 << 20));
  qemu(['-f', 'raw', '-c', 'write -P 0xaa 0 64k', '-c', 'write -P 0xbb 512k 64k', '-c', 'write -P 0xcc 960k 64k', source], 'qemu-io');
  qemu(['convert', '-f', 'raw', '-O', 'vmdk', source, good]);
  qemu(['convert', '-f', 'raw', '-O', 'vmdk', '-o', 'subformat=streamOptimized', source, goodStream]);
  qemu(['create', '-q', '-f', 'vmdk', '-o', 'subformat=monolithicFlat', goodFlat, '1M']);
});

/** A copy of `from` with little-endian fields changed: [offset, bytes, value]. */
function patched(name: string, from: string, ...fields: Array<[number, 4 | 8, number | bigint]>): string {
  const path = join(dir, name);
  const buf = readFileSync(from);
  for (const [offset, bytes, value] of fields) {
    if (bytes === 4) buf.writeUInt32LE(Number(value), offset);
    else buf.writeBigUInt64LE(BigInt(value), offset);
  }
  writeFileSync(path, buf);
  return path;
}

/** Where grain 0's table entry lives in a monolithic sparse file. */
function firstGteOffset(path: string): number {
  const buf = readFileSync(path);
  const gd = Number(buf.readBigUInt64LE(56)) * 512;
  return buf.readUInt32LE(gd) * 512;
}

/** The descriptor of `goodFlat` with `edit` applied, as a new descriptor file. */
function descriptorVariant(name: string, edit: (text: string) => string): string {
  const path = join(dir, name);
  writeFileSync(path, edit(readFileSync(goodFlat, 'latin1')));
  return path;
}

/** qemu-img info's complaint about `path`, without its "Could not open" prefix; undefined when it opens. */
function qemuOpenError(path: string, readOnly: boolean): string | undefined {
  const result = readOnly ? qemuStatus(['info', '-f', 'vmdk', path]) : qemuStatus(['-f', 'vmdk', '-c', 'read 0 512', path], 'qemu-io');
  if (result.status === 0 && !result.stdout.includes("can't open")) return undefined;
  const line = (result.stderr + result.stdout).trim().split('\n')[0] ?? '';
  return line.replace(/^qemu-img: Could not open '[^']*': /, '').replace(/^qemu-io: can't open device [^:]*: /, '');
}

async function ourOpenError(path: string, readOnly: boolean): Promise<string | undefined> {
  try {
    const { device } = await openImage(path, { format: 'vmdk', readOnly });
    await device.close();
    return undefined;
  } catch (err) {
    expect(err).toBeInstanceOf(VirtError);
    return (err as Error).message;
  }
}

describe('damaged headers fail to open as in QEMU', () => {
  const cases: Array<[string, () => string]> = [
    ['version 4', () => patched('ver4.vmdk', good, [4, 4, 4])],
    ['too many grain table entries', () => patched('gtes1024.vmdk', good, [44, 4, 1024])],
    ['no grain table entries', () => patched('gtes0.vmdk', good, [44, 4, 0])],
    ['grain size 0', () => patched('gran0.vmdk', good, [20, 8, 0])],
    ['huge grains', () => patched('granhuge.vmdk', good, [20, 8, 0x400000])],
    ['capacity 0', () => patched('capzero.vmdk', good, [12, 8, 0])],
    ['huge capacity', () => patched('caphuge.vmdk', good, [12, 8, 0x100000000000n])],
    ['capacity near 2^64', () => patched('capmax.vmdk', good, [12, 8, 0xfffffffffffffff0n])],
    ['grains beyond the file', () => patched('graininfile.vmdk', good, [64, 8, 100000])],
    ['grain offset near 2^64', () => patched('grainmax.vmdk', good, [64, 8, 0xffffffffffffff00n])],
    [
      'truncated file',
      () => {
        const path = patched('trunc2.vmdk', good);
        truncateSync(path, 60000);
        return path;
      },
    ],
    [
      'empty file',
      () => {
        writeFileSync(join(dir, 'empty.vmdk'), '');
        return join(dir, 'empty.vmdk');
      },
    ],
    [
      'three bytes',
      () => {
        writeFileSync(join(dir, 'tiny.vmdk'), 'KDM');
        return join(dir, 'tiny.vmdk');
      },
    ],
    [
      'a magic and nothing else',
      () => {
        writeFileSync(join(dir, 'tiny4.vmdk'), 'KDMV');
        return join(dir, 'tiny4.vmdk');
      },
    ],
    ['stream footer expected but absent', () => patched('nofooter.vmdk', goodStream, [56, 8, 0xffffffffffffffffn])],
    ['version 3, uncompressed, opened for writing', () => patched('ver3.vmdk', good, [4, 4, 3])],
    ['no createType', () => descriptorVariant('nocreatetype.vmdk', (t) => t.replace(/createType.*\n/, ''))],
    ['unknown createType', () => descriptorVariant('foo.vmdk', (t) => t.replace('monolithicFlat', 'foo'))],
    ['embedded-only createType', () => descriptorVariant('ms.vmdk', (t) => t.replace('monolithicFlat', 'monolithicSparse'))],
    ['FLAT line without offset', () => descriptorVariant('nooffset.vmdk', (t) => t.replace(/ 0\n/, '\n'))],
    ['negative offset', () => descriptorVariant('negoffset.vmdk', (t) => t.replace(/ 0\n/, ' -5\n'))],
    ['missing extent file', () => descriptorVariant('missing.vmdk', (t) => t.replace('flat-flat.vmdk', 'nothere-flat.vmdk'))],
    ['SPARSE naming a flat file', () => descriptorVariant('notsparse.vmdk', (t) => t.replace(/FLAT (".*") 0/, 'SPARSE $1'))],
    ['no parentCID', () => descriptorVariant('noparentcid.vmdk', (t) => t.replace(/parentCID.*\n/, ''))],
    ['a CID that is not hex', () => descriptorVariant('badcid.vmdk', (t) => t.replace(/^CID=.*$/m, 'CID=zz'))],
  ];
  it.each(cases)('%s', async (_name, make) => {
    const path = make();
    for (const readOnly of [true, false]) {
      const theirs = qemuOpenError(path, readOnly);
      const ours = await ourOpenError(path, readOnly);
      if (theirs === undefined) {
        expect(ours).toBeUndefined();
        continue;
      }
      const expected = theirs.replace(/^Could not open '[^']*': (?=Could not open)/, '');
      // a problem inside an extent file names that file, where QEMU does not say which one it is
      const extentNamed = /^Could not open '([^']*)': /.exec(ours ?? '');
      if (extentNamed && !expected.startsWith('Could not open') && extentNamed[1] !== path) {
        expect(ours, `read-only: ${readOnly}`).toBe(`${extentNamed[0]}${expected}`);
      } else {
        expect(ours, `read-only: ${readOnly}`).toBe(expected);
      }
    }
  });

  it('a descriptor whose extent lines are all unusable is refused (QEMU aborts)', async () => {
    const path = descriptorVariant('noextents.vmdk', (t) => t.replace(/^RW/m, 'RDONLY'));
    const err = await openImage(path, { readOnly: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VirtError);
    expect((err as Error).message).toMatch(/invalid VMDK image descriptor/);
  });
});

describe('damaged tables and grains', () => {
  it('a grain table entry past the end of the file reads as zeros; check fails as in QEMU', async () => {
    const path = patched('gtepast.vmdk', good, [firstGteOffset(good), 4, 100000]);
    const { device } = await openImage(path, { readOnly: true });
    expect((await device.read(0, 65536)).every((b) => b === 0)).toBe(true);
    const lines: string[] = [];
    const err = await device.check!({ report: (line) => lines.push(line) }).catch((e: unknown) => e);
    await device.close();
    const theirs = qemuStatus(['check', path]);
    expect(theirs.status).not.toBe(0);
    expect(lines.join('\n')).toBe(theirs.stderr.split('\n')[0]);
    expect(err).toBeInstanceOf(VirtError);
    expect(`qemu-img: ${(err as Error).message}`).toBe(theirs.stderr.split('\n')[1]);
  });

  it.each([
    ['inside the last grain', 30000],
    ['before the last grain', 70000],
  ])('a file truncated %s: the missing part reads as zeros, check as in QEMU', async (name, cut) => {
    const path = join(dir, `trunc-${cut}.vmdk`);
    copyFileSync(good, path);
    truncateSync(path, readFileSync(good).length - cut);
    const { device } = await openImage(path, { readOnly: true });
    qemu(['convert', '-O', 'raw', path, join(dir, 'trunc.raw')]);
    expect((await device.read(0, device.size)).equals(readFileSync(join(dir, 'trunc.raw')))).toBe(true);
    const theirs = qemuStatus(['check', path]);
    const ours = await device.check!().then(
      () => 'No errors were found on the image.',
      (err: Error) => `qemu-img: ${err.message}`,
    );
    expect(ours).toBe(theirs.status === 0 ? theirs.stdout.trim() : theirs.stderr.trim().split('\n').at(-1));
    await device.close();
  });

  it('a grain directory past the end of the file reads as zeros, and cannot be written through', async () => {
    const path = patched('gdpast.vmdk', good, [56, 8, 100000]);
    const { device } = await openImage(path);
    expect((await device.read(0, device.size)).every((b) => b === 0)).toBe(true);
    expect(await device.check!()).toMatchObject({ checkErrors: 0 });
    const err = await device.write(0, Buffer.alloc(512, 1)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VirtError);
    expect((err as Error).message).toContain(path);
    await device.close();
  });

  it.each([
    ['a marker size beyond two grains', 200000],
    ['a marker size of 0', 0],
  ])('compressed grain with %s: reads fail with EINVAL, naming the file', async (_name, size) => {
    const path = join(dir, `so-${size}.vmdk`);
    const buf = readFileSync(goodStream);
    const record = buf.readUInt32LE(firstGteOffset(goodStream)) * 512;
    buf.writeUInt32LE(size, record + 8);
    writeFileSync(path, buf);
    expect(qemuStatus(['-r', '-f', 'vmdk', '-c', 'read 0 512', path], 'qemu-io').stdout).toContain('Invalid argument');
    const { device } = await openImage(path, { readOnly: true });
    const err = await device.read(0, 512).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VirtError);
    expect((err as Error).message).toContain(path);
    expect((err as Error).message).toContain('Invalid argument');
    // the other grains still read
    expect((await device.read(512 * 1024, 512)).every((b) => b === 0xbb)).toBe(true);
    await device.close();
  });

  it('garbage instead of zlib data', async () => {
    const buf = readFileSync(goodStream);
    const record = buf.readUInt32LE(firstGteOffset(goodStream)) * 512;
    buf.fill(0x5a, record + 12, record + 200);
    const path = join(dir, 'so-garbage.vmdk');
    writeFileSync(path, buf);
    const { device } = await openImage(path, { readOnly: true });
    await expect(device.read(0, 65536)).rejects.toThrow(/Invalid argument/);
    await device.close();
  });

  it('huge descriptor files are read only up to the limit QEMU reads', async () => {
    const path = join(dir, 'hugedesc.vmdk');
    const text = readFileSync(goodFlat, 'latin1');
    writeFileSync(path, text + `# ${'x'.repeat(4 << 20)}\n`);
    const { device } = await openImage(path, { readOnly: true });
    expect(device.size).toBe(1 << 20);
    await device.close();
  });
});
