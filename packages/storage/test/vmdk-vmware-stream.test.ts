import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { VirtError } from '@virt/core-api';
import { afterAll, describe, expect, it } from 'vitest';
import { openImage } from '../src/index.js';
import { expectIntrospectionAsQemu, pattern, qemu, qemuStatus } from './vmdk-helpers.js';

/*
 * streamOptimized files as VMware writes them (ovftool, ESXi exports): a
 * true stream, grain directory at the end, found through the footer, with
 * metadata markers, and grain tables left out where they would be empty.
 */

const dir = mkdtempSync(join(tmpdir(), 'vmdk-vmware-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const SECTOR = 512;
const GRAIN_SECTORS = 128;
const GTES = 512;
const GD_AT_END = 0xffffffffffffffffn;

const padded = (buf: Buffer): Buffer => Buffer.concat([buf, Buffer.alloc((SECTOR - (buf.length % SECTOR)) % SECTOR)]);

function header(capacity: number, gdOffset: bigint, descSectors: number, overhead: number): Buffer {
  const h = Buffer.alloc(SECTOR);
  h.write('KDMV', 0, 'latin1');
  h.writeUInt32LE(3, 4);
  h.writeUInt32LE(0x30001, 8);
  h.writeBigUInt64LE(BigInt(capacity), 12);
  h.writeBigUInt64LE(BigInt(GRAIN_SECTORS), 20);
  h.writeBigUInt64LE(1n, 28);
  h.writeBigUInt64LE(BigInt(descSectors), 36);
  h.writeUInt32LE(GTES, 44);
  h.writeBigUInt64LE(gdOffset, 56);
  h.writeBigUInt64LE(BigInt(overhead), 64);
  h.set([0x0a, 0x20, 0x0d, 0x0a], 73);
  h.writeUInt16LE(1, 77);
  return h;
}

function marker(sectors: number, type: number): Buffer {
  const m = Buffer.alloc(SECTOR);
  m.writeBigUInt64LE(BigInt(sectors), 0);
  m.writeUInt32LE(type, 12);
  return m;
}

/** A VMware-style stream holding `disk`, its descriptor's lines ending in `eol`. */
function vmwareStream(disk: Buffer, eol: string): Buffer {
  const capacity = disk.length / SECTOR;
  const grainBytes = GRAIN_SECTORS * SECTOR;
  const grains = Math.ceil(capacity / GRAIN_SECTORS);
  const tables = Math.ceil(grains / GTES);
  const descriptor = Buffer.from(
    [
      '# Disk DescriptorFile',
      'version=1',
      'encoding="UTF-8"',
      'CID=7e5b4f21',
      'parentCID=ffffffff',
      'createType="streamOptimized"',
      '',
      '# Extent description',
      `RDONLY ${capacity} SPARSE "generated-stream.vmdk"`,
      '',
      '# The Disk Data Base',
      '#DDB',
      '',
      'ddb.adapterType = "lsilogic"',
      'ddb.virtualHWVersion = "14"',
      '',
    ].join(eol),
  );
  const overhead = 128;
  const parts: Buffer[] = [header(capacity, GD_AT_END, Math.ceil(descriptor.length / SECTOR), overhead), padded(descriptor)];
  let length = parts.reduce((n, p) => n + p.length, 0);
  parts.push(Buffer.alloc(overhead * SECTOR - length));
  length = overhead * SECTOR;
  const add = (buf: Buffer): number => {
    const at = length / SECTOR;
    parts.push(buf);
    length += buf.length;
    return at;
  };
  const directory = Buffer.alloc(tables * 4);
  const zeros = Buffer.alloc(grainBytes);
  for (let t = 0; t < tables; t++) {
    const table = Buffer.alloc(GTES * 4);
    let used = false;
    for (let i = 0; i < GTES && t * GTES + i < grains; i++) {
      const g = t * GTES + i;
      const data = disk.subarray(g * grainBytes, (g + 1) * grainBytes);
      if (data.equals(zeros.subarray(0, data.length))) continue;
      const compressed = deflateSync(data);
      const record = Buffer.alloc(12 + compressed.length);
      record.writeBigUInt64LE(BigInt(g * GRAIN_SECTORS), 0);
      record.writeUInt32LE(compressed.length, 8);
      compressed.copy(record, 12);
      table.writeUInt32LE(add(padded(record)), i * 4);
      used = true;
    }
    // VMware leaves out tables that would be empty
    if (!used) continue;
    add(marker(4, 1));
    directory.writeUInt32LE(add(table), t * 4);
  }
  add(marker(Math.ceil(directory.length / SECTOR), 2));
  const gdOffset = add(padded(directory));
  add(marker(1, 3));
  add(header(capacity, BigInt(gdOffset), Math.ceil(descriptor.length / SECTOR), overhead));
  add(marker(0, 0));
  return Buffer.concat(parts);
}

/** 70 MiB: three grain tables' worth, the middle one empty; a partial last grain. */
const sampleDisk = (() => {
  const disk = Buffer.alloc(70 * (1 << 20) + 4096);
  pattern(65536, 1).copy(disk, 0);
  pattern(3000, 2).copy(disk, 1 << 20);
  pattern(200000, 3).copy(disk, 5 << 20);
  pattern(4096, 4).copy(disk, disk.length - 4096);
  return (): Buffer => disk;
})();

describe('VMware-style streamOptimized files', () => {
  it.each([['LF', '\n'], ['CRLF', '\r\n']])('read through their footer (%s descriptor)', async (_name, eol) => {
    const disk = sampleDisk();
    const path = join(dir, `vmware-${_name}.vmdk`);
    writeFileSync(path, vmwareStream(disk, eol));
    const reference = join(dir, 'reference.raw');
    writeFileSync(reference, disk);
    expect(qemu(['compare', '-f', 'raw', '-F', 'vmdk', reference, path])).toBe('Images are identical.\n');

    const { device } = await openImage(path, { readOnly: true });
    try {
      expect(device.size).toBe(disk.length);
      expect((await device.read(0, device.size)).equals(disk)).toBe(true);
      await expectIntrospectionAsQemu(device, path);
    } finally {
      await device.close();
    }
  });

  it('open for writing but refuse writes, which QEMU would place after the footer', async () => {
    const path = join(dir, 'vmware-write.vmdk');
    const disk = sampleDisk();
    writeFileSync(path, vmwareStream(disk, '\n'));
    const { device } = await openImage(path);
    const err = await device.write(10 << 20, Buffer.alloc(65536, 1)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VirtError);
    expect((err as Error).message).toContain(path);
    await device.close();
    expect(qemu(['check', path])).toBe('No errors were found on the image.\n');
    const reference = join(dir, 'reference-w.raw');
    writeFileSync(reference, disk);
    expect(qemu(['compare', '-f', 'raw', '-F', 'vmdk', reference, path])).toBe('Images are identical.\n');
  });

  it('a damaged footer is "Invalid footer", as in QEMU', async () => {
    const path = join(dir, 'vmware-bad.vmdk');
    const stream = vmwareStream(sampleDisk(), '\n');
    writeFileSync(path, Buffer.concat([stream, Buffer.alloc(100)]));
    expect(qemuStatus(['info', path]).stderr).toContain('Invalid footer');
    const err = await openImage(path, { readOnly: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VirtError);
    expect((err as Error).message).toBe('Invalid footer');
  });
});
