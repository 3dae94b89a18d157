import type { ImageFile } from '../io/image-file.js';

/** What a stretch of an extent holds, from an offset on. */
export interface ExtentRun {
  kind:
    | 'data'
    /** A compressed grain: `fileOffset` is its record; the run covers one grain at most. */
    | 'compressed'
    | 'zero'
    | 'unallocated'
    | 'invalid';
  /** Bytes from the asked offset that are alike (at least 1). */
  length: number;
  /** Data: where the asked offset lies in the extent file. Compressed: where the grain's record starts. */
  fileOffset: number;
  /** Flat data that reads as zeros (a hole in the host file, or past its end). */
  hole?: boolean;
}

/**
 * Fill `buf` with what lies under this extent at `offset` (relative to the
 * extent) in the layers below: the backing file, or zeros. Used to fill the
 * rest of a grain that a write allocates.
 */
export type LowerLayer = (offset: number, buf: Buffer) => Promise<void>;

/** What a write needs besides its data. */
export interface WriteContext {
  /** The content under this image, or undefined when there is nothing (no backing file). */
  lower: LowerLayer | undefined;
}

/** One extent of a VMDK: a flat file, or a sparse, compressed or seSparse extent file. */
export interface Extent {
  readonly file: ImageFile;
  /** The descriptor's extent type (FLAT, SPARSE, VMFS, VMFSSPARSE, SESPARSE), or '' for a monolithic file. */
  readonly type: string;
  /** Size in bytes. */
  readonly size: number;
  readonly flat: boolean;
  readonly compressed: boolean;
  /** Grain size in bytes; for a flat extent, its whole size (QEMU's view, used to compare extents). */
  readonly grainSize: number;
  /** Why this extent cannot be written although the image is open for writing, or undefined when it can. */
  readonly writeRefusal: string | undefined;

  /** What holds the bytes from `offset` (within the extent) on, up to `length`. */
  map(offset: number, length: number): Promise<ExtentRun>;
  /** As `map`, with the host file's holes for flat extents (qemu-img map). */
  status(offset: number, length: number): Promise<ExtentRun>;
  /** Read a run that `map` returned as data or compressed. */
  readRun(run: ExtentRun, offset: number, buf: Buffer): Promise<void>;
  write(offset: number, data: Buffer, context: WriteContext): Promise<void>;
  writeZeroes(offset: number, length: number, mayUnmap: boolean, context: WriteContext): Promise<void>;
  /** Make completed writes durable, metadata included. */
  flush(): Promise<void>;
  close(): Promise<void>;
}
