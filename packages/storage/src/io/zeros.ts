import { native } from '../native.js';

/** Whether `buf` holds nothing but zero bytes. */
export function isZero(buf: Buffer): boolean {
  return buf.length === 0 || native.zeroSectors(buf, buf.length) === 1;
}

/** How many `sectorSize`-byte sectors at the start of `buf` are all zeros (a partial last one counts). */
export function zeroSectors(buf: Buffer, sectorSize: number): number {
  return native.zeroSectors(buf, sectorSize);
}

