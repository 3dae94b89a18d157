import { COMPRESSED_HI, COMPRESSED_SECTOR, COPIED_HI, OFFSET_HI, OFFSET_LO, ZERO_LO } from './constants.js';
import type { Geometry } from './geometry.js';

/*
 * L1 and L2 entries. A 64-bit entry is kept as its two 32-bit words (hi,
 * lo) so that flag bits and offsets stay exact as JS numbers.
 */

/** What a whole cluster is, from its L2 entry alone. */
export type ClusterType = 'unallocated' | 'zero-plain' | 'zero-alloc' | 'normal' | 'compressed';

/**
 * What one subcluster is (a cluster has one subcluster without extended
 * L2). The "-alloc" kinds own a host cluster; the "-plain" ones do not.
 */
export type SubclusterType = 'normal' | 'compressed' | 'zero-plain' | 'zero-alloc' | 'unallocated-plain' | 'unallocated-alloc' | 'invalid';

export interface L2Entry {
  hi: number;
  lo: number;
  /** Extended L2: bit i set = subcluster i reads as zeros (bits 32..63 of the bitmap). */
  zeroBits: number;
  /** Extended L2: bit i set = subcluster i is allocated (bits 0..31 of the bitmap). */
  allocBits: number;
}

export const UNALLOCATED_ENTRY: Readonly<L2Entry> = { hi: 0, lo: 0, zeroBits: 0, allocBits: 0 };

/** Every subcluster zero, none allocated: what discards and zero writes leave with extended L2. */
export const ALL_SUBCLUSTERS = 0xffffffff;

export function readL2Entry(table: Buffer, index: number, geometry: Geometry): L2Entry {
  const at = index * geometry.l2EntrySize;
  const hi = table.readUInt32BE(at);
  const lo = table.readUInt32BE(at + 4);
  if (!geometry.extendedL2) return { hi, lo, zeroBits: 0, allocBits: 0 };
  return { hi, lo, zeroBits: table.readUInt32BE(at + 8), allocBits: table.readUInt32BE(at + 12) };
}

export function writeL2Entry(table: Buffer, index: number, geometry: Geometry, entry: L2Entry): void {
  const at = index * geometry.l2EntrySize;
  table.writeUInt32BE(entry.hi >>> 0, at);
  table.writeUInt32BE(entry.lo >>> 0, at + 4);
  if (geometry.extendedL2) {
    table.writeUInt32BE(entry.zeroBits >>> 0, at + 8);
    table.writeUInt32BE(entry.allocBits >>> 0, at + 12);
  }
}

export function sameEntry(a: L2Entry, b: L2Entry): boolean {
  return a.hi === b.hi && a.lo === b.lo && a.zeroBits === b.zeroBits && a.allocBits === b.allocBits;
}

/** The offset field (bits 9..55) of an L1 or standard L2 entry. */
export function entryOffset(hi: number, lo: number): number {
  return (hi & OFFSET_HI) * 2 ** 32 + ((lo & OFFSET_LO) >>> 0);
}

export function isCopied(hi: number): boolean {
  return (hi & COPIED_HI) !== 0;
}

export function isCompressed(entry: L2Entry): boolean {
  return (entry.hi & COMPRESSED_HI) !== 0;
}

/** An entry for a cluster at `offset`, with the COPIED flag when the cluster is referenced once. */
export function normalEntry(offset: number, copied: boolean, bitmap: { zeroBits: number; allocBits: number } = UNALLOCATED_ENTRY): L2Entry {
  return {
    hi: ((copied ? COPIED_HI : 0) | Math.floor(offset / 2 ** 32)) >>> 0,
    lo: offset % 2 ** 32,
    zeroBits: bitmap.zeroBits,
    allocBits: bitmap.allocBits,
  };
}

/** The type of a cluster, as QEMU's reader classifies it. */
export function clusterType(entry: L2Entry, geometry: Geometry, hasDataFile: boolean): ClusterType {
  if (entry.hi & COMPRESSED_HI) return 'compressed';
  const offset = entryOffset(entry.hi, entry.lo);
  if (entry.lo & ZERO_LO && !geometry.extendedL2) return offset ? 'zero-alloc' : 'zero-plain';
  if (offset === 0) {
    // offset 0 is a real place in an external data file, told apart by COPIED
    return hasDataFile && isCopied(entry.hi) ? 'normal' : 'unallocated';
  }
  return 'normal';
}

export function isAllocatedType(type: ClusterType): boolean {
  return type === 'normal' || type === 'zero-alloc' || type === 'compressed';
}

/** The type of subcluster `sc` of the cluster an entry describes. */
export function subclusterType(entry: L2Entry, sc: number, geometry: Geometry, hasDataFile: boolean): SubclusterType {
  const type = clusterType(entry, geometry, hasDataFile);
  if (!geometry.extendedL2) return type === 'unallocated' ? 'unallocated-plain' : type;
  const bit = 2 ** sc;
  switch (type) {
    case 'compressed':
      return 'compressed';
    case 'normal':
      if ((entry.zeroBits & entry.allocBits) !== 0) return 'invalid';
      if (entry.zeroBits & bit) return 'zero-alloc';
      return entry.allocBits & bit ? 'normal' : 'unallocated-alloc';
    default:
      // zero-plain/zero-alloc cannot come out of clusterType with extended L2
      if (entry.allocBits !== 0) return 'invalid';
      return entry.zeroBits & bit ? 'zero-plain' : 'unallocated-plain';
  }
}

/**
 * How many subclusters from `from` on (within the cluster) share the type
 * of subcluster `from`. Compressed and single-subcluster entries count as
 * the rest of the cluster.
 */
export function subclusterRun(entry: L2Entry, from: number, type: SubclusterType, geometry: Geometry): number {
  if (!geometry.extendedL2 || type === 'compressed' || type === 'invalid') return geometry.subclusters - from;
  let run = 0;
  for (let sc = from; sc < geometry.subclusters; sc++) {
    if (subclusterKind(entry, sc, type) !== type) break;
    run++;
  }
  return run;
}

/** The type a subcluster has within a cluster whose first examined subcluster has type `like`. */
function subclusterKind(entry: L2Entry, sc: number, like: SubclusterType): SubclusterType {
  const bit = 2 ** sc;
  const zero = (entry.zeroBits & bit) !== 0;
  const alloc = (entry.allocBits & bit) !== 0;
  const owned = like === 'normal' || like === 'zero-alloc' || like === 'unallocated-alloc';
  if (zero) return owned ? 'zero-alloc' : 'zero-plain';
  if (alloc) return 'normal';
  return owned ? 'unallocated-alloc' : 'unallocated-plain';
}

/** Where a compressed cluster's bytes are, and how many bytes to read (to the end of its last sector). */
export interface CompressedExtent {
  offset: number;
  size: number;
}

export function compressedExtent(entry: L2Entry, geometry: Geometry): CompressedExtent {
  const hiShift = geometry.csizeShift - 32;
  const offset = (entry.hi & (2 ** hiShift - 1)) * 2 ** 32 + (entry.lo >>> 0);
  const sectors = ((entry.hi >>> hiShift) & geometry.csizeMask) + 1;
  return { offset, size: sectors * COMPRESSED_SECTOR - (offset % COMPRESSED_SECTOR) };
}

/** The entry for `length` compressed bytes at host `offset`. */
export function compressedEntry(offset: number, length: number, geometry: Geometry): L2Entry {
  const extraSectors = Math.floor((offset + length - 1) / COMPRESSED_SECTOR) - Math.floor(offset / COMPRESSED_SECTOR);
  const hiShift = geometry.csizeShift - 32;
  return {
    hi: (COMPRESSED_HI | (extraSectors << hiShift) | Math.floor(offset / 2 ** 32)) >>> 0,
    lo: offset % 2 ** 32,
    zeroBits: 0,
    allocBits: 0,
  };
}

/** A 64-bit value as C's %llx prints it. */
export function hex64(hi: number, lo: number): string {
  return hi === 0 ? (lo >>> 0).toString(16) : (hi >>> 0).toString(16) + (lo >>> 0).toString(16).padStart(8, '0');
}

/** A mask of `count` bits starting at bit `from` (within 32 bits). */
export function bitRange(from: number, to: number): number {
  let mask = 0;
  for (let i = from; i < to; i++) mask |= 2 ** i;
  return mask >>> 0;
}
