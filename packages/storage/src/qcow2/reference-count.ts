import { COMPRESSED_HI, COPIED_HI, L1_RESERVED_HI, L1_RESERVED_LO, L2_RESERVED_HI, L2_RESERVED_LO } from './constants.js';
import { compressedExtent, entryOffset, hex64, readL2Entry } from './entries.js';
import type { Qcow2State } from './state.js';

/** The counts a check pass accumulates (QEMU's BdrvCheckResult). */
export interface CheckCounts {
  corruptions: number;
  leaks: number;
  checkErrors: number;
  corruptionsFixed: number;
  leaksFixed: number;
  allocatedClusters: number;
  fragmentedClusters: number;
  compressedClusters: number;
}

export function emptyCounts(): CheckCounts {
  return { corruptions: 0, leaks: 0, checkErrors: 0, corruptionsFixed: 0, leaksFixed: 0, allocatedClusters: 0, fragmentedClusters: 0, compressedClusters: 0 };
}

/**
 * How often each host cluster is referenced, counted from the metadata
 * itself (QEMU's in-memory refcount table): the header, every L1 and L2
 * table and what they point at, the snapshot table, the refcount
 * structures. Growable: references may reach just past the end of the file.
 */
export class References {
  counts: Float64Array;
  /** A refcount block is referenced other than once, or is unusable: the structures must be rebuilt. */
  rebuild = false;

  constructor(
    private readonly state: Qcow2State,
    private readonly fileLength: number,
    readonly result: CheckCounts,
    private readonly report: (line: string) => void,
  ) {
    this.counts = new Float64Array(state.geometry.clustersFor(fileLength));
  }

  /** Count a reference to every cluster the byte range touches. */
  add(offset: number, length: number): void {
    if (length <= 0) return;
    const g = this.state.geometry;
    if (offset + length - this.fileLength >= g.clusterSize) {
      this.report(
        `ERROR: counting reference for region exceeding the end of the file by one cluster or more: offset 0x${offset.toString(16)} size 0x${length.toString(16)}`,
      );
      this.result.corruptions++;
      return;
    }
    const last = g.clusterIndex(offset + length - 1);
    this.ensure(last + 1);
    for (let k = g.clusterIndex(offset); k <= last; k++) {
      if (this.counts[k]! >= g.refcountMax) {
        this.report(`ERROR: overflow cluster offset=0x${(k * g.clusterSize).toString(16)}`);
        this.report(
          'Use qemu-img amend to increase the refcount entry width or qemu-img convert to create a clean copy if the image cannot be opened for writing',
        );
        this.result.corruptions++;
        continue;
      }
      this.counts[k]!++;
    }
  }

  get(cluster: number): number {
    return this.counts[cluster] ?? 0;
  }

  /** Make room for `clusters` entries, whole refcount blocks at a time. */
  ensure(clusters: number): void {
    if (clusters <= this.counts.length) return;
    const rbe = this.state.geometry.refblockEntries;
    const grown = new Float64Array(Math.ceil(clusters / rbe) * rbe);
    grown.set(this.counts);
    this.counts = grown;
  }

  /**
   * Count an L1 table and everything under it. The active one (`stats`)
   * also yields the allocated/fragmented/compressed figures.
   */
  async countL1(l1Offset: number, l1Size: number, stats: boolean): Promise<void> {
    if (l1Size === 0) return;
    const g = this.state.geometry;
    this.add(l1Offset, l1Size * 8);
    const l1 = Buffer.alloc(l1Size * 8);
    await this.state.host.readData(l1Offset, l1);
    for (let i = 0; i < l1Size; i++) {
      const hi = l1.readUInt32BE(i * 8);
      const lo = l1.readUInt32BE(i * 8 + 4);
      if (hi === 0 && lo === 0) continue;
      if (hi & L1_RESERVED_HI || lo & L1_RESERVED_LO) {
        this.report(`ERROR found L1 entry with reserved bits set: ${hex64(hi, lo)}`);
        this.result.corruptions++;
      }
      const l2Offset = entryOffset(hi, lo);
      this.add(l2Offset, g.clusterSize);
      if (l2Offset % g.clusterSize !== 0) {
        this.report(`ERROR l2_offset=${l2Offset.toString(16)}: Table is not cluster aligned; L1 entry corrupted`);
        this.result.corruptions++;
      }
      await this.countL2(l2Offset, stats);
    }
  }

  private async countL2(l2Offset: number, stats: boolean): Promise<void> {
    const g = this.state.geometry;
    const dataFile = this.state.hasDataFile();
    const table = Buffer.alloc(g.clusterSize);
    await this.state.host.readData(l2Offset, table);
    let nextContiguous = 0;
    for (let i = 0; i < g.l2Entries; i++) {
      const entry = readL2Entry(table, i, g);
      const { hi, lo } = entry;
      const compressed = (hi & COMPRESSED_HI) !== 0;
      if (!compressed && (hi & L2_RESERVED_HI || lo & L2_RESERVED_LO)) {
        this.report(`ERROR found l2 entry with reserved bits set: ${hex64(hi, lo)}`);
        this.result.corruptions++;
      }
      if (compressed) {
        const extent = compressedExtent(entry, g);
        if (hi & COPIED_HI) {
          this.report(`ERROR: coffset=0x${extent.offset.toString(16)}: copied flag must never be set for compressed clusters`);
          this.result.corruptions++;
        }
        if (dataFile || entry.allocBits !== 0 || entry.zeroBits !== 0) {
          const why = dataFile ? 'with data file' : 'with non-zero subcluster allocation bitmap';
          this.report(`ERROR compressed cluster ${i} ${why}, entry=0x${hex64(hi, lo)}`);
          this.result.corruptions++;
          continue;
        }
        this.add(extent.offset, extent.size);
        if (stats) {
          this.result.allocatedClusters++;
          this.result.compressedClusters++;
          this.result.fragmentedClusters++;
        }
        continue;
      }
      const offset = entryOffset(hi, lo);
      const zeroFlag = !g.extendedL2 && (lo & 1) !== 0;
      const allocated = offset !== 0 || (dataFile && (hi & COPIED_HI) !== 0);
      if (!allocated) {
        if (g.extendedL2 && entry.allocBits !== 0) {
          this.report('ERROR: Unallocated cluster has non-zero subcluster allocation map');
          this.result.corruptions++;
        }
        continue;
      }
      if (g.extendedL2 && (entry.zeroBits & entry.allocBits) !== 0) {
        this.report(`ERROR offset=${offset.toString(16)}: Allocated cluster has corrupted subcluster allocation bitmap`);
        this.result.corruptions++;
      }
      if (offset % g.clusterSize !== 0) {
        const noData = g.extendedL2 ? entry.allocBits === 0 : zeroFlag;
        this.report(`ERROR offset=${offset.toString(16)}: ${noData ? 'Preallocated' : 'Data'} cluster is not properly aligned; L2 entry corrupted.`);
        this.result.corruptions++;
      }
      if (stats) {
        this.result.allocatedClusters++;
        if (nextContiguous !== 0 && offset !== nextContiguous) this.result.fragmentedClusters++;
        nextContiguous = offset + g.clusterSize;
      }
      if (!dataFile) this.add(offset, g.clusterSize);
    }
  }
}
