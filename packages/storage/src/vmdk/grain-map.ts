import type { ImageFile } from '../io/image-file.js';
import { SECTOR } from './constants.js';
import type { TableCache } from './table-cache.js';

/**
 * Where the grains of a sparse extent are: what a grain directory and its
 * grain tables say about a run of grains.
 */
export type GrainState =
  /** No entry: the backing file shows through (or zeros). */
  | 'unallocated'
  /** A zeroed-grain entry: reads as zeros and hides the backing file. */
  | 'zero'
  | 'allocated'
  /** An entry QEMU cannot resolve (outside the directory, malformed): reads as zeros, block status fails. */
  | 'invalid';

/** One grain table entry, decoded. */
export interface GrainEntry {
  state: GrainState;
  /** The grain's sector in the extent file, when allocated. */
  sector: number;
}

export interface GrainRun extends GrainEntry {
  /** Grains in the run (at least 1): same state and, when allocated, consecutive in the file. */
  count: number;
}

export interface GrainMap {
  /** The grains from `grain` on that share the first one's state, at most `maxGrains` of them. */
  run(grain: number, maxGrains: number): Promise<GrainRun>;
}

/** Grain directories are read (and cached) in pages of this many bytes. */
export const GD_PAGE_BYTES = 4096;

/** The shape of a directory of grain tables. */
export interface TableLayout {
  /** Directory entries. */
  l1Size: number;
  /** Entries per grain table. */
  gtEntries: number;
  grainSectors: number;
}

/**
 * A grain map read from a directory of grain tables, through the table
 * cache. Hosted sparse, COWD and seSparse extents share this walk; they
 * differ in how directory and table entries are stored.
 */
export abstract class TableGrainMap implements GrainMap {
  constructor(
    protected readonly file: ImageFile,
    protected readonly cache: TableCache,
    private readonly layout: TableLayout,
    /** Bytes of one table entry. */
    private readonly entryBytes: number,
  ) {}

  /** Bytes of one grain table. */
  get gtBytes(): number {
    return this.layout.gtEntries * this.entryBytes;
  }

  async run(grain: number, maxGrains: number): Promise<GrainRun> {
    const { gtEntries, l1Size, grainSectors } = this.layout;
    const l1 = Math.floor(grain / gtEntries);
    // every later grain lies outside the directory too
    if (l1 >= l1Size) return { state: 'invalid', sector: 0, count: maxGrains };
    const first = grain % gtEntries;
    const span = Math.min(maxGrains, gtEntries - first);
    const gtSector = await this.tableSector(l1);
    if (gtSector === undefined) return { state: 'invalid', sector: 0, count: span };
    if (gtSector === 0) return { state: 'unallocated', sector: 0, count: span };
    const table = await this.cache.get(this.file, gtSector * SECTOR, this.gtBytes);
    const head = this.entry(table, first);
    let count = 1;
    while (count < span) {
      const next = this.entry(table, first + count);
      if (next.state !== head.state) break;
      if (head.state === 'allocated' && next.sector !== head.sector + count * grainSectors) break;
      count++;
    }
    return { ...head, count };
  }

  /** The sector of table `l1`: 0 when the directory has none, undefined when its entry is malformed. */
  protected abstract tableSector(l1: number): Promise<number | undefined>;

  /** Entry `index` of `table`. */
  protected abstract entry(table: Buffer, index: number): GrainEntry;
}
