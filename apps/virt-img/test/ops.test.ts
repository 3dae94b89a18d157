/*
 * The library operations virt-img's commands are built on, driven the way
 * the commands drive them; the byte-for-byte comparison with qemu-img is in
 * tests/qemu-img-compat.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compare, convert, createImage, mapImage, openImage, type BlockDevice } from '@virt/storage';
import { afterEach, beforeEach, expect, it } from 'vitest';

let dir: string;
beforeEach(() => void (dir = mkdtempSync(join(tmpdir(), 'virt-img-ops-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function image(name: string, size: number, fill: (device: BlockDevice) => Promise<void>, format: 'raw' | 'vmdk' = 'raw', options?: Record<string, string>): Promise<BlockDevice> {
  await createImage(format, { path: join(dir, name), size, ...(options ? { options } : {}) });
  const { device } = await openImage(join(dir, name), { format });
  await fill(device);
  return device;
}

it('converts out of order, compressed, to an image that compares equal', async () => {
  const source = await image('s.raw', 8 << 20, async (d) => {
    for (let mib = 0; mib < 8; mib += 2) await d.write(mib << 20, Buffer.alloc(1 << 20, mib + 1));
  });
  const target = await image('t.vmdk', 8 << 20, async () => {}, 'vmdk', { subformat: 'streamOptimized' });
  const seen: number[] = [];
  await convert([source], target, { compress: true, outOfOrder: true, parallel: 16, targetIsZero: true, onProgress: (p) => seen.push(p) });
  expect(await compare(source, target)).toEqual({ same: true, sizeMismatch: false });
  expect(seen.at(-1)).toBe(100);
  await Promise.all([source.close(), target.close()]);
});

it('finds the first differing sector and maps what is stored', async () => {
  const one = await image('a.raw', 1 << 20, (d) => d.write(0, Buffer.alloc(4096, 7)));
  const two = await image('b.raw', 1 << 20, async (d) => {
    await d.write(0, Buffer.alloc(4096, 7));
    await d.write(3000, Buffer.from([1]));
  });
  expect(await compare(one, two)).toEqual({ same: false, reason: 'content', offset: 2560, sizeMismatch: false });
  const entries = [];
  for await (const entry of mapImage(one, { dataOnly: true })) entries.push(entry);
  expect(entries[0]).toMatchObject({ start: 0, length: 4096, data: true, zero: false, offset: 0 });
  await Promise.all([one.close(), two.close()]);
});
