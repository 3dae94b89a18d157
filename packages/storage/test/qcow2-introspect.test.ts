import { copyFileSync, openSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createImage, openImage, type CheckReport } from '../src/index.js';
import { mapJson } from './map-json.js';
import { pattern, qemuCheck, qemuContents, qemuImg, qemuIo, qemuJson, readAll, scratch } from './qcow2-helpers.js';

const { dir, cleanup } = scratch('qcow2-introspect-');
afterAll(cleanup);

/** The counts of qemu-img check --output=json, as a CheckReport. */
function qemuReport(path: string): Partial<CheckReport> {
  const j = qemuCheck(path) as Record<string, number>;
  return {
    checkErrors: j['check-errors'] ?? 0,
    corruptions: j.corruptions ?? 0,
    leaks: j.leaks ?? 0,
    imageEndOffset: j['image-end-offset'] ?? 0,
    totalClusters: j['total-clusters'] ?? 0,
    allocatedClusters: j['allocated-clusters'] ?? 0,
    fragmentedClusters: j['fragmented-clusters'] ?? 0,
    compressedClusters: j['compressed-clusters'] ?? 0,
  };
}

function mixedImage(name: string, options: string, size = '4M'): string {
  const path = join(dir, name);
  qemuImg(['create', '-q', '-f', 'qcow2', ...(options ? ['-o', options] : []), path, size]);
  qemuIo(path, ['write -P 1 0 100k', 'write -c -P 2 192k 128k', 'write -z 512k 64k', 'write -P 3 1M 4k', 'discard 64k 64k', 'write -P 4 700k 3k']);
  return path;
}

describe('qcow2 introspection matches qemu-img', () => {
  const cases: [string, string][] = [
    ['m-default.qcow2', ''],
    ['m-v2.qcow2', 'compat=0.10'],
    ['m-extl2.qcow2', 'extended_l2=on'],
    ['m-4k.qcow2', 'cluster_size=4096,refcount_bits=8'],
  ];
  for (const [name, options] of cases) {
    it(`map, check and info of ${name}`, async () => {
      const path = mixedImage(name, options);
      const { device } = await openImage(path, { readOnly: true });
      expect(await mapJson(device)).toEqual(qemuJson(['map', '-f', 'qcow2', path]));
      expect(await device.check!()).toMatchObject(qemuReport(path));
      const info = qemuJson<Record<string, unknown>>(['info', '-f', 'qcow2', path]);
      const ours = await device.describe();
      expect(ours.formatSpecific).toEqual(info['format-specific']);
      expect(ours.clusterSize).toBe(info['cluster-size']);
      await device.close();
    });
  }

  it('map through a backing chain', async () => {
    const base = mixedImage('m-base.qcow2', '');
    const top = join(dir, 'm-top.qcow2');
    qemuImg(['create', '-q', '-f', 'qcow2', '-b', 'm-base.qcow2', '-F', 'qcow2', top, '5M']);
    qemuIo(top, ['write -P 9 32k 64k', 'write -z 1M 64k']);
    const { device } = await openImage(top, { readOnly: true });
    expect(await mapJson(device)).toEqual(qemuJson(['map', '-f', 'qcow2', top]));
    const ours = await device.describe();
    expect(ours.backingFilename).toBe('m-base.qcow2');
    expect(ours.backingFormat).toBe('qcow2');
    expect(ours.fullBackingFilename).toBe(base);
    await device.close();
  });

  it('check finds and repairs leaks', async () => {
    const path = mixedImage('leaky.qcow2', '');
    // raise the refcount of cluster 5 and give cluster 40 (past everything used) a stray count
    const { device: probe } = await openImage(path, { readOnly: true });
    await probe.close();
    const fd = openSync(path, 'r+');
    const refblock = 0x20000;
    writeSync(fd, Buffer.from([0, 2]), 0, 2, refblock + 5 * 2);
    writeSync(fd, Buffer.from([0, 1]), 0, 2, refblock + 9 * 2);
    closeSync(fd);
    const broken = join(dir, 'leaky-copy.qcow2');
    copyFileSync(path, broken);
    const { device } = await openImage(path);
    const lines: string[] = [];
    const before = await device.check!({ report: (l) => lines.push(l) });
    expect(before).toMatchObject(qemuReport(broken));
    expect(lines).toContain('Leaked cluster 5 refcount=2 reference=1');
    const after = await device.check!({ repair: 'leaks' });
    expect(after).toMatchObject({ leaks: 0, corruptions: 0, leaksFixed: before.leaks });
    await device.close();
    expect(qemuReport(path)).toMatchObject({ leaks: 0, corruptions: 0 });
  });

  it('open a dirty image left by lazy refcounts, rebuilding its refcounts', async () => {
    const path = join(dir, 'dirty.qcow2');
    qemuImg(['create', '-q', '-f', 'qcow2', '-o', 'lazy_refcounts=on', path, '4M']);
    try {
      qemuIo(path, ['write -P 7 0 300k', 'abort']);
    } catch {
      // qemu-io dies on abort, leaving the image dirty
    }
    const { device: ro } = await openImage(path, { readOnly: true });
    expect((await ro.describe()).dirtyFlag).toBe(true);
    await ro.close();
    const { device } = await openImage(path);
    expect((await device.describe()).dirtyFlag).toBe(false);
    await device.write(400_000, Buffer.alloc(1000, 8));
    await device.close();
    expect(qemuReport(path)).toMatchObject({ leaks: 0, corruptions: 0, checkErrors: 0 });
    const contents = qemuContents(path, dir);
    expect(contents.subarray(0, 300 * 1024).every((b) => b === 7)).toBe(true);
  });

  it('snapshots: create, list, apply, delete with exact refcounts', async () => {
    const path = join(dir, 'snap.qcow2');
    await createImage('qcow2', { path, size: 2 << 20 });
    const { device } = await openImage(path);
    const first = pattern(300_000, 11);
    await device.write(0, first);
    await device.snapshots!.create('one');
    const one = await readAll(device);
    await device.write(100_000, pattern(500_000, 12));
    await device.snapshots!.create('two');
    await device.write(50_000, pattern(10_000, 13));
    expect((await device.snapshots!.list()).map((s) => [s.id, s.name])).toEqual([
      ['1', 'one'],
      ['2', 'two'],
    ]);
    await device.close();
    expect(qemuReport(path)).toMatchObject({ leaks: 0, corruptions: 0 });
    const listed = qemuJson<{ snapshots: { id: string; name: string }[] }>(['info', '-f', 'qcow2', path]).snapshots;
    expect(listed.map((s) => s.name)).toEqual(['one', 'two']);

    const { device: again } = await openImage(path);
    await again.snapshots!.apply('one');
    expect((await readAll(again)).equals(one)).toBe(true);
    await again.snapshots!.delete('two');
    await again.close();
    expect(qemuReport(path)).toMatchObject({ leaks: 0, corruptions: 0 });
    expect(qemuContents(path, dir).equals(one)).toBe(true);
    // qemu-img applies what we made, and we apply what it made
    qemuImg(['snapshot', '-c', 'three', path]);
    qemuIo(path, ['write -P 0xee 0 64k']);
    const { device: third } = await openImage(path);
    await third.snapshots!.apply('three');
    expect((await readAll(third)).equals(one)).toBe(true);
    await third.snapshots!.delete('one');
    await third.snapshots!.delete('three');
    await third.close();
    expect(qemuReport(path)).toMatchObject({ leaks: 0, corruptions: 0 });
  });

  it('resize: grow, shrink only when asked', async () => {
    const path = join(dir, 'resize.qcow2');
    await createImage('qcow2', { path, size: 1 << 20 });
    const { device } = await openImage(path);
    await device.write(0, pattern(1 << 20, 21));
    await device.resize(300 << 20);
    expect(device.size).toBe(300 << 20);
    await device.write(200 << 20, Buffer.alloc(4096, 1));
    await expect(device.resize(512 << 10)).rejects.toThrow('Use the --shrink option to perform a shrink operation.');
    await device.resize(512 << 10, { shrink: true });
    await device.close();
    expect(qemuReport(path)).toMatchObject({ leaks: 0, corruptions: 0 });
    expect(qemuContents(path, dir).equals(pattern(1 << 20, 21).subarray(0, 512 << 10))).toBe(true);
  });

  it('amend, rebase -u and make-empty', async () => {
    const base = join(dir, 'am-base.qcow2');
    await createImage('qcow2', { path: base, size: 1 << 20 });
    const path = join(dir, 'am.qcow2');
    await createImage('qcow2', { path, size: 1 << 20, options: { compat: '0.10' } });
    const { device } = await openImage(path);
    await device.write(0, Buffer.alloc(70_000, 3));
    await device.amend!({ compat: '1.1', lazy_refcounts: 'on' });
    await device.setBackingFile!('am-base.qcow2', 'qcow2');
    await device.makeEmpty!();
    await device.close();
    const info = qemuJson<Record<string, any>>(['info', '-f', 'qcow2', path]);
    expect(info['format-specific'].data).toMatchObject({ compat: '1.1', 'lazy-refcounts': true });
    expect(info['backing-filename']).toBe('am-base.qcow2');
    expect(qemuReport(path)).toMatchObject({ leaks: 0, corruptions: 0, allocatedClusters: 0 });
  });

  it('refuses broken headers with QEMU messages', async () => {
    const path = join(dir, 'broken.qcow2');
    const cases: [number, Buffer, string][] = [
      [4, Buffer.from([0, 0, 0, 4]), 'Unsupported qcow2 version 4'],
      [20, Buffer.from([0, 0, 0, 22]), 'Unsupported cluster size: 2^22'],
      [32, Buffer.from([0, 0, 0, 1]), 'encrypt'],
      [36, Buffer.from([0, 0, 0, 0]), 'L1 table is too small'],
      [36, Buffer.from([0x01, 0, 0, 0]), 'Active L1 table too large'],
      [56, Buffer.from([0, 0, 0, 0]), 'Image does not contain a reference count table'],
      [72, Buffer.from([0, 0, 0, 0, 0, 0, 0, 0x20]), 'Unsupported qcow2 feature(s): Unknown incompatible feature: 20'],
      [96, Buffer.from([0, 0, 0, 7]), 'Reference count entry width too large; may not exceed 64 bits'],
      [100, Buffer.from([0, 0, 0, 50]), 'qcow2 header too short'],
    ];
    for (const [at, bytes, message] of cases) {
      await createImage('qcow2', { path, size: 1 << 20 });
      const fd = openSync(path, 'r+');
      writeSync(fd, bytes, 0, bytes.length, at);
      closeSync(fd);
      await expect(openImage(path, { format: 'qcow2', readOnly: true })).rejects.toThrow(message);
    }
    await createImage('qcow2', { path, size: 1 << 20 });
    const fd = openSync(path, 'r+');
    writeSync(fd, Buffer.from([0, 0, 0, 0, 0, 0, 0, 2]), 0, 8, 72);
    closeSync(fd);
    await expect(openImage(path)).rejects.toThrow('qcow2: Image is corrupt; cannot be opened read/write');
    const { device } = await openImage(path, { readOnly: true });
    expect((await device.describe()).formatSpecific?.data.corrupt).toBe(true);
    await device.close();
  });
});
