import { invalidArgument } from '../errors.js';

/** The largest buffer of zeros written at once when a file system cannot zero a range itself. */
export const ZERO_CHUNK = 1 << 20;

let zeros: Buffer | undefined;

/** A shared read-only buffer of zeros, at most ZERO_CHUNK long. */
export function zeroBuffer(length: number): Buffer {
  zeros ??= Buffer.alloc(ZERO_CHUNK);
  return zeros.subarray(0, Math.min(length, ZERO_CHUNK));
}

/** Refuse a range that does not lie within an image of `size` bytes. */
export function checkRange(offset: number, length: number, size: number, path: string): void {
  if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0 || offset + length > size) {
    throw invalidArgument(`'${path}': the range ${offset}+${length} is outside the image (${size} bytes)`);
  }
}

/** What creating a plain image file (raw, a flat VMDK extent) writes at its start, as QEMU does. */
export const FIRST_BLOCK = 4096;
