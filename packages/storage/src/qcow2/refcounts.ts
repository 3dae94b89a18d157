import { invalidOperation } from '../errors.js';
import { isZero } from '../io/zeros.js';
import { HEADER, MAX_CLUSTER_OFFSET, MAX_REFTABLE_BYTES, REFTABLE_RESERVED_LO } from './constants.js';
import { alternateHex, type Corruption } from './corruption.js';
import type { Geometry } from './geometry.js';
import type { HostFile } from './host-file.js';
import { refcountMetadataSize } from './metadata-size.js';
import { refcountCodec, type RefcountCodec } from './refcount-codec.js';
import type { TableCache } from './table-cache.js';
import { readU64, writeU64 } from './u64.js';

/**
 * Why clusters are freed. It decides only whether a cluster whose refcount
 * drops to 0 is also punched out of the host file (QEMU's discard
 * passthrough defaults with discard=unmap): refcounts are always exact.
 */
export type FreeReason = 'request' | 'snapshot' | 'other' | 'always' | 'never';

const PUNCH: Readonly<Record<FreeReason, boolean>> = { request: true, snapshot: true, always: true, other: false, never: false };

/** A refcount block had to be created; the allocation that needed it starts over (it may have taken the spot). */
const RETRY = Symbol('retry');

/**
 * The refcount table and blocks: reading refcounts, changing them, and the
 * cluster allocator built on them. The allocator is QEMU's: first fit from
 * a moving start point, new refcount blocks placed after the allocation
 * that needed them, the refcount table rebuilt 1.5 times larger at the end
 * of the file when it is full, compressed data packed at byte granularity.
 *
 * Safety: raised refcounts reach the disk before the L2 tables that use
 * the clusters (the L2 cache depends on this one), and a refcount drops to
 * 0 only once the L2 tables that no longer reference the cluster are on
 * disk, so that the cluster cannot be reused while the disk still points
 * at it. A crash in between leaks clusters, never more.
 */
export class Refcounts {
  private table: Buffer;
  private tableOffset: number;
  /** Highest table index with a refcount block (QEMU's max_refcount_table_index). */
  private maxIndex = 0;
  private readonly codec: RefcountCodec;
  /** Where the next cluster search starts. */
  private freeClusterIndex = 0;
  /** Where the next compressed cluster may go (0: start a new cluster). */
  private freeByteOffset = 0;
  private pendingPunches: { offset: number; length: number }[] = [];
  private holdPunches = 0;

  constructor(
    private readonly host: HostFile,
    private readonly geometry: Geometry,
    table: Buffer,
    tableOffset: number,
    readonly blocks: TableCache,
    private readonly l2Cache: TableCache,
    private readonly corruption: Corruption,
  ) {
    this.table = table;
    this.tableOffset = tableOffset;
    this.codec = refcountCodec(geometry.refcountOrder);
    this.updateMaxIndex();
  }

  get reftableOffset(): number {
    return this.tableOffset;
  }

  /** Entries in the refcount table. */
  get tableEntries(): number {
    return this.table.length / 8;
  }

  get reftableClusters(): number {
    return this.table.length / this.geometry.clusterSize;
  }

  /** The raw entry (offset and reserved bits as stored). */
  rawEntry(index: number): { hi: number; lo: number } {
    return { hi: this.table.readUInt32BE(index * 8), lo: this.table.readUInt32BE(index * 8 + 4) };
  }

  /** The refcount block offset in table entry `index` (0: none). */
  blockOffset(index: number): number {
    if (index >= this.tableEntries) return 0;
    return this.table.readUInt32BE(index * 8) * 2 ** 32 + ((this.table.readUInt32BE(index * 8 + 4) & ~REFTABLE_RESERVED_LO) >>> 0);
  }

  /** Replace the whole structure (a rebuilt or converted one, already on disk and in the header). */
  replaceTable(table: Buffer, tableOffset: number): void {
    this.table = table;
    this.tableOffset = tableOffset;
    this.blocks.clear();
    this.updateMaxIndex();
    this.freeClusterIndex = 0;
    this.freeByteOffset = 0;
  }

  async get(clusterIndex: number): Promise<number> {
    const index = this.geometry.reftableIndex(clusterIndex);
    const blockOffset = this.blockOffset(index);
    if (blockOffset === 0) return 0;
    const block = await this.loadBlock(blockOffset, index);
    return this.codec.get(block, this.geometry.refblockIndex(clusterIndex));
  }

  /** Allocate clusters for `bytes` bytes, first fit; returns the offset of the first. */
  async allocClusters(bytes: number): Promise<number> {
    for (;;) {
      const offset = await this.findFree(bytes);
      if ((await this.update(offset, bytes, 1, false, 'never')) !== RETRY) return offset;
    }
  }

  /** Allocate up to `count` clusters at `offset`; returns how many were free there (from the first on). */
  async allocClustersAt(offset: number, count: number): Promise<number> {
    if (count === 0) return 0;
    for (;;) {
      let free = 0;
      const first = this.geometry.clusterIndex(offset);
      while (free < count && (this.cachedGet(first + free) ?? (await this.get(first + free))) === 0) free++;
      if ((await this.update(offset, free * this.geometry.clusterSize, 1, false, 'never')) !== RETRY) return free;
    }
  }

  /**
   * Space for `size` bytes of compressed data, packed right after the
   * previous compressed cluster; every host cluster the bytes touch gains a
   * reference.
   */
  async allocBytes(size: number): Promise<number> {
    const cs = this.geometry.clusterSize;
    let offset = this.freeByteOffset;
    if (offset !== 0 && (await this.get(this.geometry.clusterIndex(offset))) >= this.geometry.refcountMax) offset = 0;
    let freeInCluster = cs - (offset % cs);
    for (;;) {
      if (offset === 0 || freeInCluster < size) {
        const cluster = await this.findFree(cs, Math.min(2 ** this.geometry.csizeShift - 1, MAX_CLUSTER_OFFSET));
        if (cluster === 0) throw await this.corruption.signal('Preventing invalid allocation of compressed cluster at offset 0');
        if (offset === 0 || Math.ceil(offset / cs) * cs !== cluster) {
          offset = cluster;
          freeInCluster = cs;
        } else {
          // the next cluster is free too: the data may run on into it
          freeInCluster += cs;
        }
      }
      if ((await this.update(offset, size, 1, false, 'never')) !== RETRY) break;
    }
    await this.l2Cache.dependOn(this.blocks);
    this.freeByteOffset = (offset + size) % cs === 0 ? 0 : offset + size;
    return offset;
  }

  /** Drop one reference from every cluster the byte range touches. */
  async free(offset: number, length: number, reason: FreeReason): Promise<void> {
    await this.update(offset, length, 1, true, reason);
  }

  /** Add one reference to every cluster the byte range touches (they are allocated already). */
  async addReference(offset: number, length: number): Promise<void> {
    if ((await this.update(offset, length, 1, false, 'never')) === RETRY) {
      throw await this.corruption.signal(`Cluster at ${alternateHex(offset)} is in use but not covered by the refcount structures`);
    }
  }

  /** Move a cluster's refcount by `delta` (check's repairs). */
  async adjust(clusterIndex: number, delta: number, reason: FreeReason): Promise<void> {
    const offset = clusterIndex * this.geometry.clusterSize;
    for (;;) {
      if ((await this.update(offset, 1, Math.abs(delta), delta < 0, reason)) !== RETRY) return;
    }
  }

  /** While held, clusters freed are punched out of the file only when released (QEMU's cached discards). */
  deferPunches(): void {
    this.holdPunches++;
  }

  async releasePunches(): Promise<void> {
    if (--this.holdPunches === 0) await this.punchPending();
  }

  async flush(): Promise<void> {
    await this.blocks.flush();
  }

  /**
   * Build new refcount structures at `start` (the end of the used file):
   * blocks covering everything up to the structures themselves plus
   * `additionalClusters`, and a new table; then switch the header to them
   * and free the old table. `newBlock` is entered at `newIndex` first.
   * Returns where the additional clusters may go.
   */
  async buildArea(start: number, additionalClusters: number, exact: boolean, newIndex = 0, newBlock = 0): Promise<number> {
    const g = this.geometry;
    const cs = g.clusterSize;
    const total = refcountMetadataSize(start / cs + additionalClusters, cs, g.refcountOrder, !exact).refblocks;
    const areaIndex = Math.floor(start / cs / g.refblockEntries);
    const tableSize = Math.ceil((exact ? total : total + Math.ceil(total / 2)) / (cs / 8)) * (cs / 8);
    if (tableSize * 8 > MAX_REFTABLE_BYTES) throw tooLarge(this.host.path);
    const tableClusters = (tableSize * 8) / cs;
    const table = Buffer.alloc(tableSize * 8);
    this.table.copy(table, 0, 0, Math.min(tableSize, this.maxIndex + 1) * 8);
    if (newBlock) writeU64(table, newIndex * 8, newBlock);
    let missing = 0;
    for (let i = areaIndex; i < total; i++) if (readU64(table, i * 8) === 0) missing++;
    const tableOffset = start + missing * cs;
    const end = tableOffset + tableClusters * cs;

    let blockOffset = start;
    for (let i = areaIndex; i < total; i++) {
      await this.blocks.trim();
      let offset = readU64(table, i * 8);
      let block: Buffer;
      if (offset === 0) {
        offset = blockOffset;
        block = this.blocks.create(offset);
        writeU64(table, i * 8, offset);
        blockOffset += cs;
      } else {
        block = await this.blocks.get(offset);
      }
      const firstCovered = i * g.refblockEntries * cs;
      if (firstCovered >= end) continue;
      const from = firstCovered < start ? (start - firstCovered) / cs : 0;
      const to = Math.min((end - firstCovered) / cs, g.refblockEntries);
      for (let j = from; j < to; j++) {
        if (this.codec.get(block, j) !== 0) throw new Error(`refcount area at ${start} is not free`);
        this.codec.set(block, j, 1);
      }
      this.blocks.markDirty(offset);
    }

    await this.blocks.flush();
    await this.host.write(tableOffset, table);
    await this.host.barrier();
    const pointer = Buffer.alloc(12);
    writeU64(pointer, 0, tableOffset);
    pointer.writeUInt32BE(tableClusters, 8);
    await this.host.write(HEADER.refcountTableOffset, pointer);
    await this.host.barrier();

    const oldOffset = this.tableOffset;
    const oldBytes = this.table.length;
    this.table = table;
    this.tableOffset = tableOffset;
    this.updateMaxIndex();
    await this.free(oldOffset, oldBytes, 'other');
    return end;
  }

  /** The last cluster with a non-zero refcount below `fileLength`, or -1. */
  async lastUsedCluster(fileLength: number): Promise<number> {
    for (let i = this.geometry.clustersFor(fileLength) - 1; i >= 0; i--) {
      if ((await this.get(i)) > 0) return i;
    }
    return -1;
  }

  /**
   * Drop refcount blocks that count nothing but themselves (after a
   * shrink), clearing their table entries first.
   */
  async dropUnusedBlocks(): Promise<void> {
    const g = this.geometry;
    const unused: number[] = [];
    for (let i = 0; i < this.tableEntries; i++) {
      const offset = this.blockOffset(i);
      if (offset === 0) continue;
      const block = Buffer.from(await this.loadBlock(offset, i));
      const ownCluster = g.clusterIndex(offset);
      if (g.reftableIndex(ownCluster) === i) this.codec.set(block, g.refblockIndex(ownCluster), 0);
      if (block.every((byte) => byte === 0)) unused.push(i);
    }
    if (unused.length === 0) return;
    const table = Buffer.from(this.table);
    for (const i of unused) writeU64(table, i * 8, 0);
    await this.blocks.flush();
    await this.host.write(this.tableOffset, table);
    await this.host.barrier();
    const offsets = unused.map((i) => this.blockOffset(i));
    this.table = table;
    this.updateMaxIndex();
    for (const offset of offsets) {
      this.blocks.discard(offset);
      const cluster = g.clusterIndex(offset);
      // the block is no longer in the table; its own count lived in another block or in itself
      const index = g.reftableIndex(cluster);
      const covering = this.blockOffset(index);
      if (covering !== 0) {
        const block = await this.loadBlock(covering, index);
        this.codec.set(block, g.refblockIndex(cluster), 0);
        this.blocks.markDirty(covering);
      }
      this.freeClusterIndex = Math.min(this.freeClusterIndex, cluster);
      this.queuePunch(offset, g.clusterSize, 'always');
    }
    await this.punchPending();
  }

  /** First fit for `bytes` bytes of whole clusters from the search start; no refcount changes. */
  private async findFree(bytes: number, max = MAX_CLUSTER_OFFSET): Promise<number> {
    await this.punchPending();
    const cs = this.geometry.clusterSize;
    const count = this.geometry.clustersFor(bytes);
    let found = 0;
    while (found < count) {
      const index = this.freeClusterIndex++;
      found = (this.cachedGet(index) ?? (await this.get(index))) === 0 ? found + 1 : 0;
    }
    const end = this.freeClusterIndex * cs;
    if (end - cs > max || !Number.isSafeInteger(end)) {
      throw invalidOperation(`'${this.host.path}': the image file cannot grow beyond ${max + 1} bytes`);
    }
    return (this.freeClusterIndex - count) * cs;
  }

  /**
   * Add or drop `amount` references for each cluster of a byte range.
   * Returns RETRY (with nothing changed) when a refcount block had to be
   * created first and the caller should search for free space again.
   */
  private async update(offset: number, length: number, amount: number, decrease: boolean, reason: FreeReason): Promise<typeof RETRY | undefined> {
    if (length <= 0) return undefined;
    const g = this.geometry;
    if (decrease) await this.blocks.dependOn(this.l2Cache);
    const first = g.clusterIndex(offset);
    const last = g.clusterIndex(offset + length - 1);
    let done = first;
    try {
      for (let cluster = first; cluster <= last; cluster++) {
        const found = this.cachedBlockFor(cluster) ?? (await this.blockFor(cluster, decrease));
        if (found === RETRY) {
          this.freeClusterIndex = Math.min(this.freeClusterIndex, first);
          await this.undo(first, done, amount, decrease);
          return RETRY;
        }
        if (found === undefined) {
          // nothing to drop: the cluster is not counted at all
          done = cluster + 1;
          continue;
        }
        let block = found.block;
        const index = g.refblockIndex(cluster);
        const current = this.codec.get(block, index);
        if (decrease && current < amount) {
          done = cluster + 1;
          continue;
        }
        const next = decrease ? current - amount : current + amount;
        if (next > g.refcountMax) {
          throw invalidOperation(`'${this.host.path}': refcount of cluster ${cluster} would exceed ${g.refcountBits} bits; use qemu-img amend to increase the refcount entry width`);
        }
        if (next === 0 && this.l2Cache.hasDirty()) {
          // the tables that dropped the reference reach the disk before the cluster can be reused
          await this.l2Cache.flush();
          block = await this.loadBlock(found.offset, g.reftableIndex(cluster));
        }
        this.codec.set(block, index, next);
        this.blocks.markDirty(found.offset);
        done = cluster + 1;
        if (next === 0) this.released(cluster, reason);
      }
    } catch (err) {
      await this.undo(first, done, amount, decrease);
      throw err;
    }
    if (this.holdPunches === 0) await this.punchPending();
    return undefined;
  }

  private async undo(first: number, end: number, amount: number, decrease: boolean): Promise<void> {
    if (end > first) {
      const cs = this.geometry.clusterSize;
      await this.update(first * cs, (end - first) * cs, amount, !decrease, 'never');
    }
  }

  /** A cluster reached refcount 0: it may be reused, and no cached table may be written over it. */
  private released(cluster: number, reason: FreeReason): void {
    const offset = cluster * this.geometry.clusterSize;
    this.freeClusterIndex = Math.min(this.freeClusterIndex, cluster);
    this.blocks.discard(offset);
    this.l2Cache.discard(offset);
    if (PUNCH[reason]) this.queuePunch(offset, this.geometry.clusterSize, reason);
  }

  private queuePunch(offset: number, length: number, reason: FreeReason): void {
    if (!PUNCH[reason]) return;
    const last = this.pendingPunches.at(-1);
    if (last && last.offset + last.length === offset) last.length += length;
    else this.pendingPunches.push({ offset, length });
  }

  private async punchPending(): Promise<void> {
    const punches = this.pendingPunches;
    this.pendingPunches = [];
    for (const { offset, length } of punches) {
      // only the part of the range inside the file: punching never grows it
      const end = Math.min(offset + length, this.host.length);
      if (end > offset) await this.host.zeroRange(offset, end - offset, true);
    }
  }

  /** The block counting `cluster` (created when missing, unless only dropping references). */
  /**
   * A cluster's refcount when its refcount block is cached, without
   * waiting (allocation looks at thousands of clusters); undefined when
   * get() has to load (or vet) the block.
   */
  private cachedGet(clusterIndex: number): number | undefined {
    const block = this.cachedBlock(this.geometry.reftableIndex(clusterIndex));
    return block && this.codec.get(block.block, this.geometry.refblockIndex(clusterIndex));
  }

  /** blockFor(), without waiting, when the block is cached; undefined otherwise. */
  private cachedBlockFor(cluster: number): { offset: number; block: Buffer } | undefined {
    const found = this.cachedBlock(this.geometry.reftableIndex(cluster));
    if (found) this.blocks.markDirty(found.offset);
    return found;
  }

  private cachedBlock(index: number): { offset: number; block: Buffer } | undefined {
    const offset = this.blockOffset(index);
    if (offset === 0 || offset % this.geometry.clusterSize !== 0) return undefined;
    const block = this.blocks.peek(offset);
    return block && { offset, block };
  }

  private async blockFor(cluster: number, decrease: boolean): Promise<{ offset: number; block: Buffer } | typeof RETRY | undefined> {
    const index = this.geometry.reftableIndex(cluster);
    const offset = this.blockOffset(index);
    if (offset !== 0) {
      const block = await this.loadBlock(offset, index);
      this.blocks.markDirty(offset);
      return { offset, block };
    }
    if (decrease) return undefined;
    return this.createBlock(cluster);
  }

  private async loadBlock(offset: number, index: number): Promise<Buffer> {
    if (offset % this.geometry.clusterSize !== 0) {
      throw await this.corruption.signal(`Refblock offset ${alternateHex(offset)} unaligned (reftable index: ${alternateHex(index)})`);
    }
    return this.blocks.get(offset);
  }

  /**
   * Create the refcount block for `cluster`, at the first free cluster
   * after the search start, and enter it into the table (growing the
   * table when it is full). Always RETRY: the caller's search may have
   * picked the cluster the block now occupies.
   */
  private async createBlock(cluster: number): Promise<typeof RETRY> {
    const g = this.geometry;
    const cs = g.clusterSize;
    const index = g.reftableIndex(cluster);
    // the table entry will change: L2 tables written before must not wait for it
    await this.l2Cache.flush();
    const newBlock = await this.findFree(cs);
    if (newBlock === 0) throw await this.corruption.signal('Preventing invalid allocation of refcount block at offset 0');
    const newCluster = g.clusterIndex(newBlock);
    if (g.reftableIndex(newCluster) === index) {
      const block = this.blocks.create(newBlock);
      this.codec.set(block, g.refblockIndex(newCluster), 1);
    } else {
      if ((await this.update(newBlock, cs, 1, false, 'never')) === RETRY) return RETRY;
      await this.blocks.flush();
      this.blocks.create(newBlock);
    }
    await this.blocks.flush();

    if (index < this.tableEntries) {
      const entry = Buffer.alloc(8);
      writeU64(entry, 0, newBlock);
      await this.host.write(this.tableOffset + index * 8, entry);
      await this.host.barrier();
      writeU64(this.table, index * 8, newBlock);
      this.maxIndex = Math.max(this.maxIndex, index);
      return RETRY;
    }
    const blocksUsed = Math.ceil(Math.max(cluster + 1, newCluster + 1) / g.refblockEntries);
    await this.buildArea(blocksUsed * g.refblockEntries * cs, 0, false, index, newBlock);
    return RETRY;
  }

  private updateMaxIndex(): void {
    // from the end, past all-zero stretches a chunk at a time: a table sized for growth is mostly empty
    const chunk = 512;
    for (let end = this.tableEntries; end > 0; end -= chunk) {
      const start = Math.max(0, end - chunk);
      if (isZero(this.table.subarray(start * 8, end * 8))) continue;
      for (let i = end - 1; i >= start; i--) {
        if (this.blockOffset(i) !== 0) {
          this.maxIndex = i;
          return;
        }
      }
    }
    this.maxIndex = 0;
  }
}

function tooLarge(path: string): Error {
  return invalidOperation(`'${path}': the refcount table would exceed ${MAX_REFTABLE_BYTES} bytes: File too large`);
}
