import { native } from '../native.js';
import { SECTOR } from './chunks.js';

/** A run of sectors at the start of `buf`, to be written as data or left as zeros. */
export interface SectorRun {
  data: boolean;
  sectors: number;
}

/** Which 512-byte sectors of a buffer are all zeros: runs of alike sectors, scanned once on the thread pool. */
export class SectorMap {
  private constructor(
    /** Where each run ends, in sectors; runs alternate, starting with a (maybe empty) zero run. */
    private readonly ends: Uint32Array,
  ) {}

  static async of(buf: Buffer): Promise<SectorMap> {
    return new SectorMap(await native.sectorRuns(buf, SECTOR));
  }

  /** Whether sector `at` is all zeros, and how many sectors from it on are alike. */
  at(at: number): { zero: boolean; sectors: number } {
    let low = 0;
    let high = this.ends.length - 1;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.ends[middle]! > at) high = middle;
      else low = middle + 1;
    }
    return { zero: low % 2 === 0, sectors: this.ends[low]! - at };
  }
}

/**
 * The run of sectors from sector `at` of a buffer (`count` sectors left,
 * the first at disk sector `first`) that are all zero or all not. Where
 * the run ends off an `alignment` boundary, it is moved to one, so that
 * writes start and end aligned: a data run grows to the boundary, a zero
 * run shrinks to it (or becomes data when it would vanish, as the next
 * write covers it anyway).
 */
export function sameSectors(map: SectorMap, at: number, count: number, first: number, alignment: number): SectorRun {
  const here = map.at(at);
  let zero = here.zero;
  let run = Math.min(here.sectors, count);
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
export function dataOrSparse(map: SectorMap, at: number, count: number, first: number, minimum: number, alignment: number): SectorRun {
  const least = Math.min(minimum, count);
  const head = sameSectors(map, at, count, first, alignment);
  if (!head.data) return head;
  let used = head.sectors;
  for (let checked = used; checked < count; ) {
    const next = sameSectors(map, at + checked, count - checked, first + checked, alignment);
    checked += next.sectors;
    if (next.data) used = checked;
    else if (next.sectors >= least) break;
  }
  return { data: true, sectors: used };
}
