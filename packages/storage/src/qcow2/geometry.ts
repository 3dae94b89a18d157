import { SUBCLUSTERS_PER_CLUSTER } from './constants.js';

/**
 * The sizes everything else is derived from: cluster size, L2 entry
 * layout, refcount width. Pure arithmetic on guest and host offsets.
 */
export class Geometry {
  readonly clusterSize: number;
  /** Bytes per L2 entry: 8, or 16 with extended L2 (entry + subcluster bitmap). */
  readonly l2EntrySize: number;
  readonly l2Entries: number;
  readonly l2Bits: number;
  readonly subclusters: number;
  readonly subclusterSize: number;
  readonly subclusterBits: number;
  readonly refcountBits: number;
  /** Refcount entries per refcount block. */
  readonly refblockEntries: number;
  readonly refblockBits: number;
  /** The largest refcount the width can hold (2^64 - 1 becomes 2^64 as a number; never reached). */
  readonly refcountMax: number;
  /** Compressed descriptors: the offset takes the bits below this one. */
  readonly csizeShift: number;
  /** ... and the count of additional sectors the bits above it. */
  readonly csizeMask: number;

  constructor(
    readonly clusterBits: number,
    readonly extendedL2: boolean,
    readonly refcountOrder: number,
  ) {
    this.clusterSize = 2 ** clusterBits;
    this.l2EntrySize = extendedL2 ? 16 : 8;
    this.l2Bits = clusterBits - (extendedL2 ? 4 : 3);
    this.l2Entries = 2 ** this.l2Bits;
    this.subclusters = extendedL2 ? SUBCLUSTERS_PER_CLUSTER : 1;
    this.subclusterSize = this.clusterSize / this.subclusters;
    this.subclusterBits = Math.log2(this.subclusterSize);
    this.refcountBits = 2 ** refcountOrder;
    this.refblockBits = clusterBits + 3 - refcountOrder;
    this.refblockEntries = 2 ** this.refblockBits;
    this.refcountMax = 2 ** this.refcountBits - 1;
    this.csizeShift = 62 - (clusterBits - 8);
    this.csizeMask = 2 ** (clusterBits - 8) - 1;
  }

  offsetInCluster(offset: number): number {
    return offset % this.clusterSize;
  }

  startOfCluster(offset: number): number {
    return offset - (offset % this.clusterSize);
  }

  clusterIndex(offset: number): number {
    return Math.floor(offset / this.clusterSize);
  }

  /** Clusters needed to hold `bytes` bytes. */
  clustersFor(bytes: number): number {
    return Math.ceil(bytes / this.clusterSize);
  }

  roundUpToCluster(bytes: number): number {
    return this.clustersFor(bytes) * this.clusterSize;
  }

  l1Index(guestOffset: number): number {
    return Math.floor(guestOffset / (this.clusterSize * this.l2Entries));
  }

  l2Index(guestOffset: number): number {
    return Math.floor(guestOffset / this.clusterSize) % this.l2Entries;
  }

  subclusterIndex(guestOffset: number): number {
    return Math.floor((guestOffset % this.clusterSize) / this.subclusterSize);
  }

  /** L1 entries needed for a virtual size (QEMU's size_to_l1). */
  l1EntriesFor(size: number): number {
    return Math.ceil(size / (this.clusterSize * this.l2Entries));
  }

  /** Index in the refcount table of the block covering a host cluster. */
  reftableIndex(clusterIndex: number): number {
    return Math.floor(clusterIndex / this.refblockEntries);
  }

  refblockIndex(clusterIndex: number): number {
    return clusterIndex % this.refblockEntries;
  }
}
