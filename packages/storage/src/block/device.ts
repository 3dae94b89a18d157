import type { CheckOptions, CheckReport, ImageDescription, SnapshotTable } from './introspect.js';

/** The image formats this package reads and writes. */
export type ImageFormat = 'raw' | 'qcow2' | 'vmdk';

/**
 * QEMU's cache modes, as far as they concern durability: `unsafe` ignores
 * flushes (qemu-img convert's default for its target: a crash loses the
 * copy, which is then simply made again); `writethrough` and `directsync`
 * make every write durable before it completes (O_DSYNC); `writeback` and
 * `none` honour flushes. (`none` keeps the host page cache: O_DIRECT would
 * demand aligned buffers of every caller for no gain in safety.)
 */
export type CacheMode = 'writeback' | 'writethrough' | 'directsync' | 'none' | 'unsafe';

/** How much of an image's space is reserved when it is created or grown. */
export type Preallocation = 'off' | 'metadata' | 'falloc' | 'full';

/**
 * What a range of an image holds, as qemu-img map reports it: the answer
 * covers `length` bytes from the offset asked about, all alike.
 */
export interface BlockStatus {
  /** Bytes from the requested offset that share this status (at least 1). */
  length: number;
  /** Some layer of the chain holds this range (allocated, or explicitly zero). */
  present: boolean;
  /** The range reads as zeros. */
  zero: boolean;
  /** The range is stored as data (not a hole, not a zero marker). */
  data: boolean;
  /** Which layer answered: 0 this image, 1 its backing file, and so on. */
  depth: number;
  /** Where the data lives in `file`, when it is stored uncompressed at a known place. */
  offset?: number;
  /** The host file holding the data (this image's file, an extent file, a data file). */
  file?: string;
  /** The data is stored compressed. */
  compressed?: boolean;
}

export interface WriteZeroesOptions {
  /** The range may be deallocated instead of written (qemu's MAY_UNMAP). */
  mayUnmap?: boolean;
}

export interface ResizeOptions {
  /** Allow a smaller size; data past it is lost. */
  shrink?: boolean;
  preallocation?: Preallocation;
}

/**
 * A virtual disk: the one API every consumer uses (the KVM driver's
 * virtio-blk, convert, the daemon's volumes). Offsets and lengths are in
 * bytes; ranges must lie within the virtual size. Reads and writes take and
 * fill caller buffers, so data is not copied on its way through.
 */
export interface BlockDevice {
  readonly format: ImageFormat;
  /** The image's own file (the descriptor, for multi-file VMDKs). */
  readonly path: string;
  readonly readOnly: boolean;
  /** Virtual size in bytes. */
  readonly size: number;
  /** The backing image, opened with this one, if any. */
  readonly backing: BlockDevice | undefined;

  /** Fill `buf` with the image's contents at `offset`. */
  readInto(offset: number, buf: Buffer): Promise<void>;
  read(offset: number, length: number): Promise<Buffer>;
  write(offset: number, buf: Buffer): Promise<void>;
  writeZeroes(offset: number, length: number, options?: WriteZeroesOptions): Promise<void>;
  /** Drop a range's contents; it may then read as zeros or as the backing file. */
  discard(offset: number, length: number): Promise<void>;
  /** Make every completed write durable, metadata included. */
  flush(): Promise<void>;
  getStatus(offset: number, length: number): Promise<BlockStatus>;
  resize(size: number, options?: ResizeOptions): Promise<void>;
  /** Flush and release the image (and its backing chain). */
  close(): Promise<void>;

  /** What qemu-img info shows about this image alone (not its backing chain). */
  describe(): Promise<ImageDescription>;

  // ---- what some formats can do besides ----

  /** The allocation unit of the format, when it has one (qcow2 cluster, VMDK grain). */
  readonly clusterSize?: number;
  /** Check the image's metadata, repairing if asked (qemu-img check). */
  check?(options?: CheckOptions): Promise<CheckReport>;
  /** Write whole clusters compressed (qcow2, streamOptimized VMDK): offset and length cluster-aligned, except at the end of the image. */
  writeCompressed?(offset: number, buf: Buffer): Promise<void>;
  /**
   * Every write must be a compressed one, of whole clusters written once
   * (streamOptimized VMDK): qemu-img convert then compresses without -c.
   */
  readonly needsCompressedWrites?: boolean;
  /** Internal snapshots. */
  readonly snapshots?: SnapshotTable;
  /** Point the image at another backing file (or none) without touching data (qemu-img rebase -u). */
  setBackingFile?(path: string | undefined, format: ImageFormat | undefined): Promise<void>;
  /** Change format options in place (qemu-img amend). */
  amend?(options: Readonly<Record<string, string>>): Promise<void>;
  /** Drop every cluster this image holds, so it reads as its backing file (after qemu-img commit). */
  makeEmpty?(): Promise<void>;
}
