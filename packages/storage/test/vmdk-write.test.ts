import { closeSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, readSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VirtError } from '@virt/core-api';
import { afterAll, describe, expect, it } from 'vitest';
import { createImage, openImage, type BlockDevice } from '../src/index.js';
import { expectIntrospectionAsQemu, pattern, qemu, qemuJson, qemuStatus } from './vmdk-helpers.js';

/*
 * Every image the library writes must be one qemu-img accepts: created
 * with qemu-img's layout (headers, tables and descriptor text identical but
 * for the random CID), passing qemu-img check after writes, and holding
 * exactly the data written.
 */

const dir = mkdtempSync(join(tmpdir(), 'vmdk-write-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const MiB = 1 << 20;
const GRAIN = 65536;

/** Descriptor text with its CID values blanked out (they are random). */
function withoutCid(text: string): string {
  return text.replace(/\0[\s\S]*$/, '').replace(/^CID=[0-9a-f]+$/m, 'CID=x');
}

function firstBytes(path: string, count: number): string {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(count);
    readSync(fd, buf, 0, count, 0);
    return buf.toString('latin1');
  } finally {
    closeSync(fd);
  }
}

/** The files of two images created side by side must match, byte for byte but for the CID. */
function expectSameFiles(ours: string, theirs: string): void {
  const names = readdirSync(theirs).sort();
  expect(readdirSync(ours).sort()).toEqual(names);
  for (const name of names) {
    const head = firstBytes(join(theirs, name), 6);
    if (head === '# Disk') {
      // a descriptor file: its length varies with the CID's digits
      expect(withoutCid(readFileSync(join(ours, name), 'latin1'))).toBe(withoutCid(readFileSync(join(theirs, name), 'latin1')));
      continue;
    }
    expect(statSync(join(ours, name)).size, name).toBe(statSync(join(theirs, name)).size);
    // flat extents are holes the size of the disk: only their length matters
    if (!head.startsWith('KDMV')) continue;
    const a = readFileSync(join(ours, name));
    const b = readFileSync(join(theirs, name));
    expect(a.subarray(0, 512).equals(b.subarray(0, 512)), `${name} header`).toBe(true);
    expect(withoutCid(a.toString('latin1', 512, 512 * 21))).toBe(withoutCid(b.toString('latin1', 512, 512 * 21)));
    expect(a.subarray(512 * 21).equals(b.subarray(512 * 21)), `${name} tables`).toBe(true);
  }
}

/** qemu-img info, with what differs between two equal images (CIDs, names, disk usage) left out. */
function comparableInfo(path: string): unknown {
  const info = qemuJson(['info', path]) as Record<string, unknown> & { 'format-specific': { data: Record<string, unknown> } };
  const data = { ...info['format-specific'].data, cid: 0 } as Record<string, unknown>;
  if (data['parent-cid'] !== 0xffffffff) data['parent-cid'] = 0;
  data.extents = (data.extents as Array<Record<string, unknown>>).map((e) => ({ ...e, filename: String(e.filename).slice(String(e.filename).lastIndexOf('/') + 1) }));
  return { ...info, filename: '', 'actual-size': 0, 'format-specific': { type: 'vmdk', data } };
}

describe('creating VMDKs as qemu-img does', () => {
  const cases: Array<[string, number, Record<string, string>]> = [
    ['monolithicSparse', 100 * MiB, {}],
    ['monolithicFlat', 100 * MiB, { subformat: 'monolithicFlat' }],
    ['streamOptimized', 100 * MiB, { subformat: 'streamOptimized' }],
    ['twoGbMaxExtentSparse', 5 * 1024 * MiB, { subformat: 'twoGbMaxExtentSparse' }],
    ['twoGbMaxExtentFlat', 4 * 1024 * MiB + 512, { subformat: 'twoGbMaxExtentFlat' }],
    ['zeroed_grain', 10 * MiB, { zeroed_grain: 'on' }],
    ['streamOptimized zeroed_grain', 10 * MiB, { subformat: 'streamOptimized', zeroed_grain: 'on' }],
    ['compat6', 1000, { compat6: 'on' }],
    ['adapter and versions', 1024 * MiB, { adapter_type: 'lsilogic', hwversion: '10', toolsversion: '10240' }],
    ['buslogic', 3 * MiB, { adapter_type: 'buslogic' }],
    ['legacyESX', 200 * 1024 * MiB, { adapter_type: 'legacyESX' }],
  ];
  it.each(cases)('%s', async (name, size, options) => {
    const ours = join(dir, 'create', name, 'ours');
    const theirs = join(dir, 'create', name, 'qemu');
    mkdirSync(ours, { recursive: true });
    mkdirSync(theirs, { recursive: true });
    await createImage('vmdk', { path: join(ours, 'disk.img'), size, options });
    const o = Object.entries(options).map(([k, v]) => `${k}=${v}`);
    qemu(['create', '-q', '-f', 'vmdk', ...(o.length ? ['-o', o.join(',')] : []), join(theirs, 'disk.img'), String(size)]);
    expectSameFiles(ours, theirs);
    expect(comparableInfo(join(ours, 'disk.img'))).toEqual(comparableInfo(join(theirs, 'disk.img')));
  });

  it('refuses what qemu-img refuses, with its messages', async () => {
    const path = join(dir, 'refused.vmdk');
    const attempts: Array<[Record<string, string>, string]> = [
      [{ subformat: 'foo' }, 'invalid parameter value: foo'],
      [{ adapter_type: 'scsi' }, 'invalid parameter value: scsi'],
      [{ compat6: 'on', hwversion: '7' }, 'compat6 cannot be enabled with hwversion set'],
      [{ subformat: 'monolithicFlat', zeroed_grain: 'on' }, "Flat image can't enable zeroed grain"],
      [{ cluster_size: '4096' }, "Invalid parameter 'cluster_size'"],
    ];
    for (const [options, message] of attempts) {
      const err = await createImage('vmdk', { path, size: MiB, options }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(VirtError);
      expect((err as Error).message).toBe(message);
    }
    await expect(createImage('vmdk', { path, size: MiB, backingFile: 'x.vmdk', options: { subformat: 'twoGbMaxExtentFlat' } })).rejects.toThrow(
      "Flat image can't have backing file",
    );
  });
});

/** Apply the same writes to the image and to a buffer standing for the disk. */
async function scribble(device: BlockDevice, expected: Buffer): Promise<void> {
  const writes: Array<[number, number, number]> = [
    [0, 4096, 1],
    [4096 + 100, 70000, 2],
    [3 * MiB - 512, 3 * GRAIN + 1024, 3],
    [device.size - 1536, 1536, 4],
  ];
  for (const [offset, length, seed] of writes) {
    const data = pattern(length, seed);
    await device.write(offset, data);
    data.copy(expected, offset);
  }
  await device.writeZeroes(3 * MiB, 2 * GRAIN);
  expected.fill(0, 3 * MiB, 3 * MiB + 2 * GRAIN);
  await device.writeZeroes(100, 300);
  expected.fill(0, 100, 400);
  expect((await device.read(0, device.size)).equals(expected)).toBe(true);
}

/** The image must pass qemu-img check and hold `expected`; map, info and check must agree with qemu-img's. */
async function expectQemuAgrees(path: string, expected: Buffer): Promise<void> {
  const reference = join(dir, 'reference.raw');
  writeFileSync(reference, expected);
  expect(qemu(['check', path])).toBe('No errors were found on the image.\n');
  expect(qemu(['compare', '-f', 'raw', '-F', 'vmdk', reference, path])).toBe('Images are identical.\n');
  const { device } = await openImage(path, { readOnly: true });
  try {
    await expectIntrospectionAsQemu(device, path);
  } finally {
    await device.close();
  }
}

describe('writing VMDKs', () => {
  const cases: Array<[string, Record<string, string>]> = [
    ['monolithicSparse', {}],
    ['monolithicFlat', { subformat: 'monolithicFlat' }],
    ['twoGbMaxExtentSparse', { subformat: 'twoGbMaxExtentSparse' }],
    ['twoGbMaxExtentFlat', { subformat: 'twoGbMaxExtentFlat' }],
    ['zeroed_grain', { zeroed_grain: 'on' }],
  ];
  it.each(cases)('%s', async (name, options) => {
    const path = join(dir, `w-${name}.vmdk`);
    await createImage('vmdk', { path, size: 8 * MiB, options });
    const expected = Buffer.alloc(8 * MiB);
    const { device } = await openImage(path);
    await scribble(device, expected);
    await device.close();
    await expectQemuAgrees(path, expected);
    // and again after reopening: grains are appended after the existing ones
    const { device: again } = await openImage(path);
    await again.write(6 * MiB + 512, pattern(GRAIN, 9));
    pattern(GRAIN, 9).copy(expected, 6 * MiB + 512);
    await again.close();
    await expectQemuAgrees(path, expected);
  });

  it('into an image qemu-img made, and the CID changes once per open as in QEMU', async () => {
    const path = join(dir, 'qemu-made.vmdk');
    qemu(['create', '-q', '-f', 'vmdk', path, '4M']);
    const before = (qemuJson(['info', path]) as { 'format-specific': { data: { cid: number } } })['format-specific'].data.cid;
    const { device } = await openImage(path);
    await device.write(GRAIN, pattern(2 * GRAIN, 5));
    await device.write(0, pattern(512, 6));
    await device.close();
    const after = (qemuJson(['info', path]) as { 'format-specific': { data: { cid: number } } })['format-specific'].data.cid;
    expect(after).not.toBe(before);
    const expected = Buffer.alloc(4 * MiB);
    pattern(2 * GRAIN, 5).copy(expected, GRAIN);
    pattern(512, 6).copy(expected, 0);
    await expectQemuAgrees(path, expected);
  });

  it('a child over a backing file: copy-on-write of partial grains, then the CID check', async () => {
    const base = join(dir, 'wbase.vmdk');
    const child = join(dir, 'wchild.vmdk');
    qemu(['create', '-q', '-f', 'vmdk', base, '4M']);
    qemu(['-f', 'vmdk', '-c', 'write -P 0x33 0 1M', base], 'qemu-io');
    await createImage('vmdk', { path: child, size: 4 * MiB, backingFile: 'wbase.vmdk', backingFormat: 'vmdk' });
    const theirs = join(dir, 'wchild-qemu.vmdk');
    qemu(['create', '-q', '-f', 'vmdk', '-b', 'wbase.vmdk', '-F', 'vmdk', theirs]);
    expect(withoutCid(readFileSync(child, 'latin1').slice(512, 512 * 21))).toBe(
      withoutCid(readFileSync(theirs, 'latin1').slice(512, 512 * 21)).replace('wchild-qemu.vmdk', 'wchild.vmdk'),
    );

    const expected = Buffer.alloc(4 * MiB);
    expected.fill(0x33, 0, MiB);
    const { device } = await openImage(child);
    await device.write(1000, pattern(3000, 7));
    pattern(3000, 7).copy(expected, 1000);
    await device.writeZeroes(GRAIN, GRAIN);
    expected.fill(0, GRAIN, 2 * GRAIN);
    expect((await device.read(0, device.size)).equals(expected)).toBe(true);
    await device.close();
    await expectQemuAgrees(child, expected);

    // a parent that has changed since (a new CID) cannot be read through any more
    qemu(['-f', 'vmdk', '-c', 'write -P 0x34 2M 64k', base], 'qemu-io');
    const { device: stale } = await openImage(child, { readOnly: true });
    expect((await stale.read(0, 4096)).equals(expected.subarray(0, 4096))).toBe(true);
    await expect(stale.read(3 * GRAIN, 512)).rejects.toThrow(/Invalid argument/);
    await stale.close();
    expect(qemuStatus(['convert', '-O', 'raw', child, join(dir, 'x.raw')]).stderr).toMatch(/Invalid argument/);
  });
});

describe('streamOptimized', () => {
  it('takes compressed grains written in parallel, and zero grains are simply skipped', async () => {
    const path = join(dir, 'stream.vmdk');
    const size = 5 * MiB + 4096;
    await createImage('vmdk', { path, size, options: { subformat: 'streamOptimized' } });
    const expected = Buffer.alloc(size);
    const { device } = await openImage(path);
    expect(device.clusterSize).toBe(GRAIN);
    expect(device.needsCompressedWrites).toBe(true);
    const writes: Promise<void>[] = [];
    for (let at = 0; at < size; at += GRAIN) {
      const grain = Math.floor(at / GRAIN);
      if (grain % 3 === 1) continue;
      const data = pattern(Math.min(GRAIN, size - at), grain + 1);
      data.copy(expected, at);
      writes.push(device.writeCompressed!(at, data));
    }
    await Promise.all(writes);
    await device.writeCompressed!(size, Buffer.alloc(0));
    await device.close();
    await expectQemuAgrees(path, expected);
    // grains follow one another in the order they were written, packed sector after sector
    const file = readFileSync(path);
    const lbas: number[] = [];
    for (let at = file.readUInt32LE(64) * 512; at + 12 <= file.length; ) {
      const length = file.readUInt32LE(at + 8);
      lbas.push(Number(file.readBigUInt64LE(at)));
      at += Math.ceil((12 + length) / 512) * 512;
    }
    expect(lbas).toEqual([...lbas].sort((a, b) => a - b));
    expect(lbas.length).toBe(writes.length);
  });

  it('refuses partial and repeated grain writes as QEMU does', async () => {
    const path = join(dir, 'stream-rules.vmdk');
    await createImage('vmdk', { path, size: MiB, options: { subformat: 'streamOptimized' } });
    const { device } = await openImage(path);
    await expect(device.write(512, Buffer.alloc(4096, 1))).rejects.toThrow(/Invalid argument/);
    await device.write(0, pattern(GRAIN, 1));
    await expect(device.write(0, pattern(GRAIN, 2))).rejects.toThrow(/Input\/output error/);
    await device.close();
    const expected = Buffer.alloc(MiB);
    pattern(GRAIN, 1).copy(expected);
    await expectQemuAgrees(path, expected);
  });
});
