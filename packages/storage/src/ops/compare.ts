import type { BlockDevice, BlockStatus } from '../block/device.js';
import { firstNonZeroSector, IO_CHUNK, SECTOR } from './chunks.js';

export interface CompareOptions {
  /** -s: images of different sizes or different block status differ. */
  strict?: boolean;
  /** Called as the comparison advances, with the percentage done. */
  onProgress?: (percent: number) => void;
}

export type CompareResult =
  /** The same contents; `sizeMismatch`: one is longer, all zeros past the other's end. */
  | { same: true; sizeMismatch: boolean }
  | { same: false; reason: 'size'; sizeMismatch: true }
  | { same: false; reason: 'status' | 'content'; offset: number; sizeMismatch: boolean };

/** A step of the comparison failed on one of the images (0: the first, 1: the second). */
export class CompareError extends Error {
  constructor(
    readonly image: 0 | 1,
    readonly step: 'status' | 'read',
    readonly offset: number,
    readonly reason: unknown,
  ) {
    super(`${step} failed at ${offset} of image ${image + 1}`);
  }
}

/**
 * Compare two disks as guests see them (qemu-img compare): ranges zero in
 * both need no reading; where one side holds nothing, the other must read
 * as zeros. The first difference is found to the 512-byte sector.
 */
export async function compare(first: BlockDevice, second: BlockDevice, options: CompareOptions = {}): Promise<CompareResult> {
  const images = [first, second] as const;
  const sizeMismatch = first.size !== second.size;
  if (options.strict && sizeMismatch) return { same: false, reason: 'size', sizeMismatch: true };
  const common = Math.min(first.size, second.size);
  const whole = Math.max(first.size, second.size);
  const progress = (at: number): void => options.onProgress?.(whole === 0 ? 100 : (at / whole) * 100);
  options.onProgress?.(0);
  let offset = 0;
  while (offset < common) {
    const status1 = await statusOf(images, 0, offset);
    const status2 = await statusOf(images, 1, offset);
    let chunk = Math.min(status1.length, status2.length, common - offset);
    if (options.strict && statusWord(status1, first, offset) !== statusWord(status2, second, offset)) {
      return { same: false, reason: 'status', offset, sizeMismatch };
    }
    if (!(status1.zero && status2.zero)) {
      chunk = Math.min(chunk, IO_CHUNK);
      const differs =
        status1.present === status2.present
          ? status1.present
            ? await firstDifference(images, offset, chunk)
            : -1
          : await firstNonZero(images, status1.present ? 0 : 1, offset, chunk);
      if (differs >= 0) return { same: false, reason: 'content', offset: offset + differs, sizeMismatch };
    }
    offset += chunk;
    progress(offset);
  }
  const longer = first.size > second.size ? 0 : 1;
  while (offset < whole) {
    const status = await statusOf(images, longer, offset);
    let chunk = status.length;
    if (status.present && !status.zero) {
      chunk = Math.min(chunk, IO_CHUNK);
      const differs = await firstNonZero(images, longer, offset, chunk);
      if (differs >= 0) return { same: false, reason: 'content', offset: offset + differs, sizeMismatch };
    }
    offset += chunk;
    progress(offset);
  }
  return { same: true, sizeMismatch };
}

async function statusOf(images: readonly [BlockDevice, BlockDevice], image: 0 | 1, offset: number): Promise<BlockStatus> {
  const device = images[image];
  try {
    return await device.getStatus(offset, device.size - offset);
  } catch (err) {
    throw new CompareError(image, 'status', offset, err);
  }
}

/** What strict mode compares: the kind of range, not its length or where it is stored. */
function statusWord(status: BlockStatus, device: BlockDevice, offset: number): string {
  const atEnd = offset + status.length === device.size;
  return [status.data, status.zero, status.present, status.offset !== undefined, atEnd].map(Number).join('');
}

async function readRange(images: readonly [BlockDevice, BlockDevice], image: 0 | 1, offset: number, length: number): Promise<Buffer> {
  try {
    return await images[image].read(offset, length);
  } catch (err) {
    throw new CompareError(image, 'read', offset, err);
  }
}

/** The offset (within the range) of the first sector that differs, or -1. */
async function firstDifference(images: readonly [BlockDevice, BlockDevice], offset: number, length: number): Promise<number> {
  const one = await readRange(images, 0, offset, length);
  const two = await readRange(images, 1, offset, length);
  if (one.equals(two)) return -1;
  for (let at = 0; at < length; at += SECTOR) {
    if (!one.subarray(at, at + SECTOR).equals(two.subarray(at, at + SECTOR))) return at;
  }
  return -1;
}

async function firstNonZero(images: readonly [BlockDevice, BlockDevice], image: 0 | 1, offset: number, length: number): Promise<number> {
  return firstNonZeroSector(await readRange(images, image, offset, length));
}
