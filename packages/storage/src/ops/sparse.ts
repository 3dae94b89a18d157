import { dataSectors, zeroSectors } from '../io/zeros.js';
import { SECTOR } from './chunks.js';

/** A run of sectors at the start of a buffer, to be written as data or left as zeros. */
export interface SectorRun {
  data: boolean;
  sectors: number;
}

/**
 * The run of sectors at the start of `buf` (`count` sectors, the first at
 * disk sector `first`) that are all zero or all not. Where the run ends off
 * an `alignment` boundary, it is moved to one, so that writes start and end
 * aligned: a data run grows to the boundary, a zero run shrinks to it (or
 * becomes data when it would vanish, as the next write covers it anyway).
 */
export function sameSectors(buf: Buffer, count: number, first: number, alignment: number): SectorRun {
  const sectors = buf.subarray(0, count * SECTOR);
  const zeros = zeroSectors(sectors, SECTOR);
  let zero = zeros > 0;
  let run = zero ? zeros : dataSectors(sectors, SECTOR);
  if (run === count) return { data: !zero, sectors: run };
  const offBoundary = (first + run) % alignment;
  if (offBoundary !== 0) {
    if (zero && run <= offBoundary) zero = false;
    run = zero ? run - offBoundary : Math.min(count, run + alignment - offBoundary);
  }
  return { data: !zero, sectors: run };
}

/**
 * Like sameSectors, but a data run swallows zero runs shorter than
 * `minimum` sectors (qemu-img convert -S), so that small gaps do not break
 * a write into pieces.
 */
export function dataOrSparse(buf: Buffer, count: number, first: number, minimum: number, alignment: number): SectorRun {
  const least = Math.min(minimum, count);
  const head = sameSectors(buf, count, first, alignment);
  if (!head.data) return head;
  let used = head.sectors;
  for (let checked = used; checked < count; ) {
    const next = sameSectors(buf.subarray(checked * SECTOR), count - checked, first + checked, alignment);
    checked += next.sectors;
    if (next.data) used = checked;
    else if (next.sectors >= least) break;
  }
  return { data: true, sectors: used };
}
