import { join } from 'node:path';
import { ErrorDomain, VirtError } from '@virt/core-api';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { createImage, ImageFile, openImage, type BlockDevice } from '../src/index.js';
import { pattern, qemuCheck, qemuContents, qemuImg, qemuIo, readAll, scratch } from './qcow2-helpers.js';

const { dir, cleanup } = scratch('qcow2-write-');
afterAll(cleanup);

/** qemu-img check found nothing wrong, leaks included. */
function expectClean(path: string): void {
  const report = qemuCheck(path);
  expect(report['check-errors']).toBe(0);
  expect(report.corruptions).toBeUndefined();
  expect(report.leaks).toBeUndefined();
}

/** A random mix of writes, zero writes and discards, mirrored in `expected`. */
async function churn(device: BlockDevice, expected: Buffer, seed: number, rounds: number): Promise<void> {
  let x = seed;
  const rand = (n: number): number => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return x % n;
  };
  for (let i = 0; i < rounds; i++) {
    const offset = rand(device.size - 1);
    const length = Math.min(1 + rand(200_000), device.size - offset);
    const kind = rand(10);
    if (kind < 7) {
      const data = pattern(length, seed + i);
      await device.write(offset, data);
      data.copy(expected, offset);
    } else if (kind < 9) {
      await device.writeZeroes(offset, length, { mayUnmap: kind === 8 });
      expected.fill(0, offset, offset + length);
    } else {
      // discard may leave data in partial clusters: mirror what the image reads afterwards
      await device.discard(offset, length);
      (await device.read(offset, length)).copy(expected, offset);
    }
  }
}

/** Churn an image that now reads as `expected`, then compare our reads and qemu-img's, and check it. */
async function churnAndVerify(path: string, expected: Buffer, seed: number, rounds: number): Promise<void> {
  const { device } = await openImage(path);
  await churn(device, expected, seed, rounds);
  expect((await readAll(device)).equals(expected)).toBe(true);
  await device.close();
  expectClean(path);
  expect(qemuContents(path, dir).equals(expected)).toBe(true);
}

const variants: [string, Record<string, string>][] = [
  ['default', {}],
  ['v2', { compat: '0.10' }],
  ['c512-rc2', { cluster_size: '512', refcount_bits: '2' }],
  ['c4k-rc64', { cluster_size: '4096', refcount_bits: '64' }],
  ['extl2', { extended_l2: 'on', cluster_size: '32768' }],
  ['lazy', { lazy_refcounts: 'on' }],
];

describe('qcow2 writes read back as qemu-img reads them, and check clean', () => {
  for (const [name, options] of variants) {
    it(name, async () => {
      const path = join(dir, `${name}.qcow2`);
      await createImage('qcow2', { path, size: 5 << 20, options });
      await churnAndVerify(path, Buffer.alloc(5 << 20), name.length * 7919, 60);
    });
  }

  it('copies partial clusters from the backing chain', async () => {
    const base = join(dir, 'cow-base.qcow2');
    qemuImg(['create', '-q', '-f', 'qcow2', base, '4M']);
    qemuIo(base, ['write -P 0x5a 0 4M']);
    const cases: Record<string, string>[] = [{}, { extended_l2: 'on' }, { compat: '0.10', cluster_size: '4096' }];
    for (const options of cases) {
      const path = join(dir, `cow-${Object.values(options).join('-')}.qcow2`);
      await createImage('qcow2', { path, size: 6 << 20, backingFile: 'cow-base.qcow2', backingFormat: 'qcow2', options });
      await churnAndVerify(path, Buffer.concat([qemuContents(base, dir), Buffer.alloc(2 << 20)]), 4242, 40);
    }
  });

  it('write to an external data file', async () => {
    const path = join(dir, 'df.qcow2');
    for (const raw of ['off', 'on']) {
      await createImage('qcow2', { path, size: 3 << 20, options: { data_file: join(dir, `df-${raw}.raw`), data_file_raw: raw } });
      const expected = Buffer.alloc(3 << 20);
      const { device } = await openImage(path);
      await churn(device, expected, 99, 30);
      await device.close();
      expectClean(path);
      expect(qemuContents(path, dir).equals(expected)).toBe(true);
      if (raw === 'on') expect(qemuContents(join(dir, `df-${raw}.raw`), dir, 'raw').equals(expected)).toBe(true);
    }
  });

  it('grow the refcount table when the file outgrows it', async () => {
    const path = join(dir, 'grow.qcow2');
    await createImage('qcow2', { path, size: 12 << 20, options: { cluster_size: '512' } });
    const { device } = await openImage(path);
    const data = pattern(12 << 20, 5);
    for (let at = 0; at < data.length; at += 1 << 20) await device.write(at, data.subarray(at, at + (1 << 20)));
    await device.close();
    expectClean(path);
    expect(qemuContents(path, dir).equals(data)).toBe(true);
  });

  it('compress whole clusters with zlib and zstd', async () => {
    for (const compression of ['zlib', 'zstd']) {
      const path = join(dir, `c-${compression}.qcow2`);
      const size = 1 << 20;
      await createImage('qcow2', { path, size: size - 4096, options: { compression_type: compression } });
      const { device } = await openImage(path);
      const expected = Buffer.alloc(size - 4096);
      for (let i = 0; i < expected.length; i++) expected[i] = i % 251 < 200 ? 0x41 + (i % 7) : i & 0xff;
      expected.fill(0xcc, 0, 2000);
      pattern(65536, 1).copy(expected, 3 * 65536);
      await device.writeCompressed!(0, expected);
      expect((await readAll(device)).equals(expected)).toBe(true);
      await device.write(65536 + 100, Buffer.alloc(10, 9));
      expected.fill(9, 65536 + 100, 65536 + 110);
      await device.close();
      const report = qemuCheck(path);
      expect(report).toMatchObject({ 'check-errors': 0, 'compressed-clusters': 14 });
      expect(report.corruptions).toBeUndefined();
      expect(report.leaks).toBeUndefined();
      expect(qemuContents(path, dir).equals(expected)).toBe(true);
    }
  });

  it('finishes writes before a flush even when not closed', async () => {
    const path = join(dir, 'flush.qcow2');
    await createImage('qcow2', { path, size: 2 << 20, options: { lazy_refcounts: 'on' } });
    const { device } = await openImage(path);
    const data = pattern(300_000, 3);
    await device.write(1000, data);
    await device.flush();
    // the image is still open (and marked dirty): qemu-img sees the data, and at most leaks
    const report = qemuCheck(path);
    expect(report.corruptions).toBeUndefined();
    expect(qemuContents(path, dir).subarray(1000, 301000).equals(data)).toBe(true);
    await device.close();
    expectClean(path);
  });

  it('gives back the clusters of a write whose data could not be written, and keeps a failed sync for the next flush', async () => {
    const path = join(dir, 'failing.qcow2');
    await createImage('qcow2', { path, size: 4 << 20 });
    const { device } = await openImage(path, { cache: 'writeback' });
    await device.write(0, pattern(65536, 1));
    // the data of a three-cluster write fails (EIO from the host file), the metadata around it does not
    const original = ImageFile.prototype.write;
    const failing = vi.spyOn(ImageFile.prototype, 'write').mockImplementation(function (this: ImageFile, offset: number, buf: Buffer) {
      if (buf.length === 3 * 65536) return Promise.reject(VirtError.system(ErrorDomain.STORAGE, 'pwrite', { name: 'Error', message: 'EIO', code: 'EIO' }));
      return original.call(this, offset, buf);
    });
    await expect(device.write(65536, pattern(3 * 65536, 2))).rejects.toThrow(/Input\/output error/);
    failing.mockRestore();
    // a sync that fails is not forgotten: the next flush syncs again
    await device.write(4 * 65536, pattern(65536, 3));
    const flush = vi.spyOn(ImageFile.prototype, 'flush').mockRejectedValueOnce(VirtError.system(ErrorDomain.STORAGE, 'fdatasync', { name: 'Error', message: 'EIO', code: 'EIO' }));
    await expect(device.flush()).rejects.toThrow(/Input\/output error/);
    await device.flush();
    expect(flush.mock.calls.length).toBeGreaterThanOrEqual(2);
    flush.mockRestore();
    await device.close();
    expectClean(path);
    const contents = qemuContents(path, dir);
    expect(contents.subarray(0, 65536).equals(pattern(65536, 1))).toBe(true);
    expect(contents.subarray(65536, 4 * 65536).every((byte) => byte === 0)).toBe(true);
    expect(contents.subarray(4 * 65536, 5 * 65536).equals(pattern(65536, 3))).toBe(true);
  });
});
