import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VirtError } from '@virt/core-api';
import { afterAll, describe, expect, it } from 'vitest';
import { openImage } from '../src/index.js';
import { expectIntrospectionAsQemu, qemu, qemuContent, qemuStatus } from './vmdk-helpers.js';

/*
 * The extent kinds QEMU only reads (or that we only read): COWD (ESX 2.x),
 * seSparse (ESXi 6.5+), and version-3 uncompressed hosted sparse extents.
 */

const dir = mkdtempSync(join(tmpdir(), 'vmdk-ro-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const SECTOR = 512;

function descriptor(createType: string, extentLine: string): string {
  return `# Disk DescriptorFile\nversion=1\nCID=12345678\nparentCID=ffffffff\ncreateType="${createType}"\n\n# Extent description\n${extentLine}\n\n# The Disk Data Base\n#DDB\n\n`;
}

/** A COWD extent of 1 MiB with 8 KiB grains, two of them allocated (grains 0 and 5). */
function cowdImage(): string {
  const grainSectors = 16;
  const header = Buffer.alloc(4 * SECTOR);
  header.write('COWD', 0, 'latin1');
  [1, 3, 2048, grainSectors, 4, 1].forEach((value, i) => header.writeUInt32LE(value, 4 + i * 4));
  const directory = Buffer.alloc(SECTOR);
  directory.writeUInt32LE(5, 0);
  const table = Buffer.alloc(4096 * 4);
  table.writeUInt32LE(37, 0);
  table.writeUInt32LE(37 + grainSectors, 5 * 4);
  const grains = Buffer.concat([Buffer.alloc(grainSectors * SECTOR, 0xc1), Buffer.alloc(grainSectors * SECTOR, 0xc2)]);
  writeFileSync(join(dir, 'cowd-s.vmdk'), Buffer.concat([header, directory, table, grains]));
  writeFileSync(join(dir, 'cowd.vmdk'), descriptor('vmfsSparse', 'RW 2048 VMFSSPARSE "cowd-s.vmdk"'));
  return join(dir, 'cowd.vmdk');
}

/** A seSparse extent of 1 MiB: two allocated grains, a zero grain and an unmapped one. */
function seSparseImage(name: string, damage?: (extent: Buffer) => void): string {
  const fields = [0xcafebaben, 0x200000001n, 2048n, 8n, 64n, 0n, 0n, 0n, 0n, 0n, 1n, 1n, 0n, 0n, 0n, 0n, 2n, 1n, 3n, 64n, 0n, 0n, 0n, 0n, 67n, 16n];
  const header = Buffer.alloc(SECTOR);
  fields.forEach((value, i) => header.writeBigUInt64LE(value, i * 8));
  const volatile = Buffer.alloc(SECTOR);
  volatile.writeBigUInt64LE(0xcafecafen, 0);
  const directory = Buffer.alloc(SECTOR);
  directory.writeBigUInt64LE(0x1000000000000000n, 0);
  const table = Buffer.alloc(4096 * 8);
  const allocated = (index: bigint): bigint => 0x3000000000000000n | ((index & 0xfffn) << 48n) | (index >> 12n);
  table.writeBigUInt64LE(allocated(0n), 0);
  table.writeBigUInt64LE(allocated(1n), 3 * 8);
  table.writeBigUInt64LE(0x2000000000000000n, 5 * 8);
  table.writeBigUInt64LE(0x1000000000000000n, 6 * 8);
  const extent = Buffer.concat([header, volatile, directory, table, Buffer.alloc(4096, 0xe1), Buffer.alloc(4096, 0xe2)]);
  damage?.(extent);
  writeFileSync(join(dir, `${name}-sesparse.vmdk`), extent);
  writeFileSync(join(dir, `${name}.vmdk`), descriptor('seSparse', `RW 2048 SESPARSE "${name}-sesparse.vmdk"`));
  return join(dir, `${name}.vmdk`);
}

async function expectReadsAsQemu(path: string): Promise<void> {
  const expected = qemuContent(path, join(dir, 'expected.raw'));
  const { device } = await openImage(path, { readOnly: true });
  try {
    expect((await device.read(0, device.size)).equals(expected)).toBe(true);
    await expectIntrospectionAsQemu(device, path);
  } finally {
    await device.close();
  }
}

describe('extents that are only read', () => {
  it('COWD, through a vmfsSparse descriptor; writes refused before anything changes', async () => {
    const path = cowdImage();
    await expectReadsAsQemu(path);
    const before = readFileSync(path);
    const { device } = await openImage(path);
    const err = await device.write(0, Buffer.alloc(512)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VirtError);
    expect((err as Error).message).toContain('cowd-s.vmdk');
    await device.close();
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('seSparse, and not for writing (as in QEMU)', async () => {
    const path = seSparseImage('se');
    await expectReadsAsQemu(path);
    await expect(openImage(path)).rejects.toThrow('No write support for seSparse images available');
  });

  it.each([
    ['a bad magic', (b: Buffer) => b.writeBigUInt64LE(0x1234n, 0)],
    ['an unknown version', (b: Buffer) => b.writeBigUInt64LE(0x100000001n, 8)],
    ['flags', (b: Buffer) => b.writeBigUInt64LE(1n, 40)],
    ['padding', (b: Buffer) => b.writeUInt8(1, 300)],
    ['a dirty journal', (b: Buffer) => b.writeBigUInt64LE(1n, SECTOR + 24)],
  ])('seSparse with %s fails as in QEMU', async (name, damage) => {
    const path = seSparseImage(name.replace(/\W+/g, '-'), damage);
    const theirs = qemuStatus(['info', path]).stderr.trim().replace(/^qemu-img: Could not open '[^']*': /, '');
    await expect(openImage(path, { readOnly: true })).rejects.toThrow(theirs);
  });

  it('version 3 uncompressed hosted sparse: read-only, as in QEMU', async () => {
    const path = join(dir, 'v3.vmdk');
    qemu(['create', '-q', '-f', 'vmdk', path, '1M']);
    qemu(['-f', 'vmdk', '-c', 'write -P 0x3 0 64k', path], 'qemu-io');
    const buf = readFileSync(path);
    buf.writeUInt32LE(3, 4);
    writeFileSync(path, buf);
    await expectReadsAsQemu(path);
    await expect(openImage(path)).rejects.toThrow('VMDK version 3 must be read only');
  });
});
