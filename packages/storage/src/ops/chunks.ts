import type { BlockDevice } from '../block/device.js';

/** The largest request the operations read or write at once (qemu-img's IO_BUF_SIZE). */
export const IO_CHUNK = 2 << 20;

export const SECTOR = 512;

/** Whether `buf` holds nothing but zero bytes. */
export function isZero(buf: Buffer): boolean {
  // compare against a shared zero page in slices: much faster than a byte loop
  for (let at = 0; at < buf.length; at += ZERO_PAGE.length) {
    const slice = buf.subarray(at, at + ZERO_PAGE.length);
    if (!slice.equals(ZERO_PAGE.subarray(0, slice.length))) return false;
  }
  return true;
}

const ZERO_PAGE = Buffer.alloc(64 << 10);

/** The offset (relative to `buf`) of the first 512-byte sector that is not all zeros, or -1. */
export function firstNonZeroSector(buf: Buffer): number {
  for (let at = 0; at < buf.length; at += SECTOR) {
    if (!isZero(buf.subarray(at, at + SECTOR))) return at;
  }
  return -1;
}

/**
 * Read `buf.length` bytes at `offset` from `device`, where what lies past
 * its end (or the whole range, without a device) reads as zeros, as a
 * backing file shorter than its overlay does.
 */
export async function readPadded(device: BlockDevice | undefined, offset: number, buf: Buffer): Promise<void> {
  const inside = device === undefined ? 0 : Math.max(0, Math.min(buf.length, device.size - offset));
  if (inside > 0) await device!.readInto(offset, buf.subarray(0, inside));
  buf.fill(0, inside);
}
