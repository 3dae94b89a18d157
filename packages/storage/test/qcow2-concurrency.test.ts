import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createImage, openImage, type BlockDevice } from '../src/index.js';
import { SharedLock } from '../src/block/shared-lock.js';
import { pattern, qemuCheck, qemuContents, qemuImg, qemuIo, readAll, scratch } from './qcow2-helpers.js';

const { dir, cleanup } = scratch('qcow2-concurrency-');
afterAll(cleanup);

/** The disk cut into random pieces of 1 byte to 192 KiB, in random order. */
function shuffledPieces(size: number, seed: number): { offset: number; length: number; roll: number }[] {
  let x = seed;
  const rand = (n: number): number => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return x % n;
  };
  const pieces = [];
  for (let offset = 0; offset < size; ) {
    const length = Math.min(size - offset, 1 + rand(192 << 10));
    pieces.push({ offset, length, roll: rand(10) });
    offset += length;
  }
  for (let i = pieces.length - 1; i > 0; i--) {
    const j = rand(i + 1);
    [pieces[i], pieces[j]] = [pieces[j]!, pieces[i]!];
  }
  return pieces;
}

/**
 * Every request at once: writes and zero writes on pieces that share
 * clusters but not bytes (so the result does not depend on their order),
 * flushes among them, and a snapshot taken halfway, which must wait for
 * the writes in flight.
 */
async function allAtOnce(device: BlockDevice, expected: Buffer, seed: number): Promise<void> {
  const requests: Promise<void>[] = [];
  const pieces = shuffledPieces(device.size, seed);
  for (const [i, { offset, length, roll }] of pieces.entries()) {
    if (roll < 7) {
      const data = pattern(length, seed + i);
      requests.push(device.write(offset, data));
      data.copy(expected, offset);
    } else {
      requests.push(device.writeZeroes(offset, length, { mayUnmap: roll === 8 }));
      expected.fill(0, offset, offset + length);
    }
    if (i % 25 === 0) requests.push(device.flush());
    if (i === Math.floor(pieces.length / 2)) requests.push(device.snapshots!.create('halfway'));
  }
  await Promise.all(requests);
}

describe('qcow2 requests in flight together', () => {
  const variants: [string, Record<string, string>][] = [
    ['default', {}],
    ['c512', { cluster_size: '512' }],
    ['extl2', { extended_l2: 'on', cluster_size: '32768' }],
    ['lazy-v3', { lazy_refcounts: 'on' }],
  ];
  for (const [name, options] of variants) {
    it(`${name}: read back as written, over a backing file, and check clean`, async () => {
      const base = join(dir, `${name}-base.qcow2`);
      qemuImg(['create', '-q', '-f', 'qcow2', base, '3M']);
      qemuIo(base, ['write -P 0x5a 0 3M']);
      const path = join(dir, `${name}.qcow2`);
      await createImage('qcow2', { path, size: 4 << 20, backingFile: `${name}-base.qcow2`, backingFormat: 'qcow2', options });
      const expected = Buffer.concat([qemuContents(base, dir), Buffer.alloc(1 << 20)]);
      const { device } = await openImage(path);
      await allAtOnce(device, expected, name.length * 104729);
      expect((await readAll(device)).equals(expected)).toBe(true);
      await device.close();
      const report = qemuCheck(path);
      expect([report['check-errors'], report.corruptions, report.leaks]).toEqual([0, undefined, undefined]);
      expect(qemuContents(path, dir).equals(expected)).toBe(true);
    });
  }
});

describe('SharedLock', () => {
  it('runs shared tasks side by side, exclusive ones alone, in the order they asked', async () => {
    const lock = new SharedLock();
    const log: string[] = [];
    const gates = new Map<string, () => void>();
    const task = (name: string) => async () => {
      log.push(`${name}+`);
      await new Promise<void>((resolve) => gates.set(name, resolve));
      log.push(`${name}-`);
    };
    const done = [lock.shared(task('s1')), lock.shared(task('s2')), lock.exclusive(task('x')), lock.shared(task('s3'))];
    const settle = () => new Promise((resolve) => setImmediate(resolve));
    await settle();
    // s3 asked after x: it waits although only shared tasks run
    expect(log).toEqual(['s1+', 's2+']);
    gates.get('s1')!();
    await settle();
    expect(log).toEqual(['s1+', 's2+', 's1-']);
    gates.get('s2')!();
    await settle();
    expect(log).toEqual(['s1+', 's2+', 's1-', 's2-', 'x+']);
    gates.get('x')!();
    await settle();
    gates.get('s3')!();
    await Promise.all(done);
    expect(log).toEqual(['s1+', 's2+', 's1-', 's2-', 'x+', 'x-', 's3+', 's3-']);
  });

  it('moves on when a task throws', async () => {
    const lock = new SharedLock();
    await expect(lock.exclusive(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(lock.shared(async () => 'ran')).resolves.toBe('ran');
  });
});
