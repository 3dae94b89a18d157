import type { BlockDevice } from '../block/device.js';
import { zeroSectors } from '../io/zeros.js';

/** The largest request the operations read or write at once (qemu-img's IO_BUF_SIZE). */
export const IO_CHUNK = 2 << 20;

export const SECTOR = 512;

/** The offset (relative to `buf`) of the first 512-byte sector that is not all zeros, or -1. */
export function firstNonZeroSector(buf: Buffer): number {
  const at = zeroSectors(buf, SECTOR) * SECTOR;
  return at >= buf.length ? -1 : at;
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
