import type { BlockDevice } from '../block/device.js';
import { invalidArgument, systemError } from '../errors.js';
import { AUTOCLEAR_DATA_FILE_RAW, COMPAT_LAZY_REFCOUNTS, HEADER, INCOMPAT_CORRUPT, INCOMPAT_DATA_FILE, INCOMPAT_DIRTY } from './constants.js';
import type { Corruption } from './corruption.js';
import type { Geometry } from './geometry.js';
import { afterRewrite, buildHeaderCluster, type ImageHeader, type TablePointers } from './header.js';
import type { HostFile } from './host-file.js';
import type { ActiveL1 } from './l1-table.js';
import type { Refcounts } from './refcounts.js';
import type { SnapshotRecord } from './snapshot-table.js';
import type { TableCache } from './table-cache.js';

/** The internal snapshots as loaded, and where their table is. */
export interface SnapshotState {
  list: SnapshotRecord[];
  offset: number;
  /** Bytes the table occupies (to the end of the last name). */
  size: number;
}

/**
 * Everything an open qcow2 image holds in memory, shared by the modules
 * that read, write, check and reshape it.
 */
export class Qcow2State {
  /** The image looks metadata-preallocated (QEMU's probe, run on the first block-status query). */
  metadataPreallocated: boolean | undefined;
  /** The last cluster decompressed, by its L2 entry: reads of one cluster often come in pieces. */
  lastDecompressed: { hi: number; lo: number; data: Buffer } | undefined;
  /** The image was opened dirty for writing: its refcounts must be rebuilt before use (QEMU repairs it on open). */
  needsRepair = false;

  constructor(
    readonly path: string,
    readonly host: HostFile,
    /** Where guest data lives: the external data file (undefined when it could not be opened), or the image file. */
    public dataHost: HostFile | undefined,
    public geometry: Geometry,
    readonly header: ImageHeader,
    public l1: ActiveL1,
    public refcounts: Refcounts,
    readonly l2Cache: TableCache,
    readonly corruption: Corruption,
    readonly snapshots: SnapshotState,
    public backing: BlockDevice | undefined,
    public readOnly: boolean,
  ) {}

  /** The file guest data lives in; without it (an external data file missing) no data can be read or written. */
  data(): HostFile {
    if (!this.dataHost) throw invalidArgument(`Could not open '${this.path}': 'data-file' is required for this image`);
    return this.dataHost;
  }

  get clusterSize(): number {
    return this.geometry.clusterSize;
  }

  get size(): number {
    return this.header.size;
  }

  hasDataFile(): boolean {
    return (this.header.incompatible & INCOMPAT_DATA_FILE) !== 0n;
  }

  /** The data file is a valid raw image on its own (it must be kept so). */
  dataFileIsRaw(): boolean {
    return (this.header.autoclear & AUTOCLEAR_DATA_FILE_RAW) !== 0n;
  }

  lazyRefcounts(): boolean {
    return (this.header.compatible & COMPAT_LAZY_REFCOUNTS) !== 0n;
  }

  pointers(): TablePointers {
    return {
      l1Size: this.l1.size,
      l1Offset: this.l1.offset,
      reftableOffset: this.refcounts.reftableOffset,
      reftableClusters: this.refcounts.reftableClusters,
      nbSnapshots: this.snapshots.list.length,
      snapshotsOffset: this.snapshots.offset,
    };
  }

  /** Rewrite the whole first cluster from what is in memory (QEMU's qcow2_update_header). */
  async rewriteHeader(): Promise<void> {
    const cluster = buildHeaderCluster(this.header, this.pointers());
    if (!cluster) throw systemError(`Could not update the header of '${this.path}'`, { code: 'ENOSPC', name: 'Error', message: 'ENOSPC' });
    await this.host.write(0, cluster);
    await this.host.barrier();
    afterRewrite(this.header);
  }

  /** Write the virtual size into the header (8 bytes in place). */
  async writeSize(size: number): Promise<void> {
    const field = Buffer.alloc(8);
    field.writeBigUInt64BE(BigInt(size));
    await this.host.write(HEADER.size, field);
    await this.host.barrier();
    this.header.size = size;
  }

  /**
   * With lazy refcounts QEMU sets the dirty bit before the first L2 update
   * that links new clusters; refcounts here are always kept exact, so the
   * bit only tells QEMU to check the image if this process dies.
   */
  async markDirty(): Promise<void> {
    if (this.header.version < 3 || (this.header.incompatible & INCOMPAT_DIRTY) !== 0n) return;
    const field = Buffer.alloc(8);
    field.writeBigUInt64BE(this.header.incompatible | INCOMPAT_DIRTY);
    await this.host.write(HEADER.incompatibleFeatures, field);
    await this.host.barrier();
    this.header.incompatible |= INCOMPAT_DIRTY;
  }

  /** Everything cached on disk, then the dirty bit cleared (a header rewrite, as QEMU). */
  async markClean(): Promise<void> {
    if ((this.header.incompatible & INCOMPAT_DIRTY) === 0n) return;
    this.header.incompatible &= ~INCOMPAT_DIRTY;
    await this.flushMetadata();
    await this.rewriteHeader();
  }

  async markCorrupt(): Promise<void> {
    this.header.incompatible |= INCOMPAT_CORRUPT;
    await this.rewriteHeader();
  }

  async markConsistent(): Promise<void> {
    if ((this.header.incompatible & INCOMPAT_CORRUPT) === 0n) return;
    this.header.incompatible &= ~INCOMPAT_CORRUPT;
    await this.rewriteHeader();
  }

  /** Cached L2 tables and refcount blocks written, then made durable. */
  async flushMetadata(): Promise<void> {
    await this.l2Cache.writeBack();
    await this.refcounts.blocks.writeBack();
    await this.host.barrier();
  }

  /** Keep the caches within their bounds (called where no table is held). */
  async trimCaches(): Promise<void> {
    await this.l2Cache.trim();
    await this.refcounts.blocks.trim();
  }
}
