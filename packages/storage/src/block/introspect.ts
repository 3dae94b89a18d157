import type { ImageFormat } from './device.js';

/** A value in format-specific information: JSON-shaped, keyed as qemu-img prints it ("refcount-bits"). */
export type InfoValue = string | number | boolean | readonly InfoValue[] | { readonly [key: string]: InfoValue };

/** What `qemu-img info` reports about one image (QEMU's ImageInfo, in camelCase). */
export interface ImageDescription {
  format: ImageFormat;
  /** Virtual size in bytes. */
  virtualSize: number;
  /** Bytes the image's files occupy on the host (st_blocks × 512), qemu-img's "disk size". */
  actualSize?: number;
  clusterSize?: number;
  dirtyFlag?: boolean;
  encrypted?: boolean;
  compressed?: boolean;
  /** The backing file name as the image stores it. */
  backingFilename?: string;
  /** That name resolved against the image's folder. */
  fullBackingFilename?: string;
  backingFormat?: string;
  snapshots?: SnapshotInfo[];
  /** The format's own details, with qemu-img's keys ({type: 'qcow2', data: {compat: '1.1', ...}}). */
  formatSpecific?: { type: string; data: { readonly [key: string]: InfoValue } };
}

/** An internal snapshot (QEMU's SnapshotInfo). */
export interface SnapshotInfo {
  id: string;
  name: string;
  vmStateSize: number;
  dateSec: number;
  dateNsec: number;
  vmClockSec: number;
  vmClockNsec: number;
  icount: number;
}

/** The counts `qemu-img check` reports (QEMU's ImageCheck); zero counts are simply 0 here. */
export interface CheckReport {
  checkErrors: number;
  corruptions: number;
  leaks: number;
  corruptionsFixed: number;
  leaksFixed: number;
  imageEndOffset?: number;
  totalClusters?: number;
  allocatedClusters?: number;
  fragmentedClusters?: number;
  compressedClusters?: number;
}

export interface CheckOptions {
  /** Repair what was found: leaked clusters only, or everything repairable. */
  repair?: 'leaks' | 'all';
  /** The lines qemu-img prints while checking ("Leaked cluster 5 refcount=1 reference=0"), in order. */
  report?: (line: string) => void;
}

/** Internal snapshots of an image (qcow2). */
export interface SnapshotTable {
  list(): Promise<SnapshotInfo[]>;
  create(name: string): Promise<void>;
  /** Revert the image to a snapshot, found by ID first, then by name. */
  apply(idOrName: string): Promise<void>;
  /** Delete the snapshot with this name. */
  delete(name: string): Promise<void>;
  /**
   * Read a read-only image as it was at a snapshot from now on, without
   * changing the file (QEMU's bdrv_snapshot_load_tmp, for convert -l):
   * the snapshot whose ID and name match those given (either may be left out).
   */
  loadTemporarily(id: string | undefined, name: string | undefined): Promise<void>;
}

/** What `qemu-img measure` reports (QEMU's BlockMeasureInfo). */
export interface MeasureResult {
  required: number;
  fullyAllocated: number;
  bitmaps?: number;
}

export interface MeasureRequest {
  /** The virtual size of a new, empty image; or the source to be copied. */
  size?: number;
  source?: {
    size: number;
    /** The bytes of the clusters of this size that hold data, a cluster counted whole if any of it does (as qemu-img counts). */
    allocatedBytes(clusterSize: number): Promise<number>;
    /** The source could keep persistent bitmaps (a v3 qcow2 image): their names and granularities. */
    persistentBitmaps?: readonly { name: string; granularity: number }[];
  };
  options?: Readonly<Record<string, string>>;
  format: ImageFormat;
}
