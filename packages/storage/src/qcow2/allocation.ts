import { COPIED_HI } from './constants.js';
import { bitRange, clusterType, entryOffset, normalEntry, readL2Entry, subclusterRun, subclusterType, writeL2Entry, type L2Entry } from './entries.js';
import { freeEntry, writableL2, type EntryLocation } from './l2-tables.js';
import type { Qcow2State } from './state.js';
import { alternateHex } from './corruption.js';

/** A part of a cluster allocation the write does not cover: filled with what the guest reads there now. */
export interface CowRegion {
  /** From the start of the allocation's first cluster. */
  offset: number;
  bytes: number;
}

/**
 * Clusters a write puts in place (QEMU's QCowL2Meta): new ones, or
 * existing ones whose entries change (zero or partly allocated clusters
 * written in place). Linked into the L2 table once the data is written.
 */
export interface ClusterAllocation {
  /** Guest offset of the first cluster. */
  guestOffset: number;
  /** Host offset of the first cluster. */
  hostOffset: number;
  clusters: number;
  /** The clusters were there already (written in place): nothing to free. */
  keepOld: boolean;
  cowStart: CowRegion;
  cowEnd: CowRegion;
  /** Preallocation: entries point at the clusters, subcluster bitmaps stay as they are. */
  prealloc: boolean;
}

/** Where a write goes: a contiguous host range, and the allocations to link afterwards. */
export interface WriteTarget {
  hostOffset: number;
  /** Bytes of the request this target covers (at least 1). */
  bytes: number;
  allocations: ClusterAllocation[];
}

/**
 * Find (allocating where needed) a host range for a guest write (QEMU's
 * qcow2_alloc_host_offset): clusters that can be written in place are
 * used as they are; others get new clusters, contiguous with the range
 * found so far, until the range cannot grow.
 */
export async function allocateForWrite(state: Qcow2State, offset: number, bytes: number): Promise<WriteTarget> {
  const allocations: ClusterAllocation[] = [];
  let start = offset;
  let remaining = bytes;
  let clusterOffset: number | undefined;
  let hostOffset: number | undefined;
  let current = 0;
  for (;;) {
    if (hostOffset === undefined && clusterOffset !== undefined) hostOffset = clusterOffset;
    start += current;
    remaining -= current;
    if (clusterOffset !== undefined) clusterOffset += current;
    if (remaining === 0) break;
    const inPlace = await findInPlace(state, start, remaining, clusterOffset, allocations);
    if (inPlace.bytes === 0) break;
    if (inPlace.hostOffset !== undefined) {
      clusterOffset = inPlace.hostOffset;
      current = inPlace.bytes;
      continue;
    }
    const fresh = await allocateNew(state, start, remaining, clusterOffset, allocations);
    if (fresh.bytes === 0) break;
    clusterOffset = fresh.hostOffset;
    current = fresh.bytes;
  }
  if (hostOffset === undefined) throw new Error('a write found no host range');
  return { hostOffset, bytes: bytes - remaining, allocations };
}

interface Step {
  /** Where the bytes go; undefined when this step does not apply. */
  hostOffset?: number;
  /** Bytes this step covers; 0 ends the range. */
  bytes: number;
}

/** A cluster writable in place needs a new allocation when it is shared, compressed, unallocated or plain zero. */
function needsNewCluster(state: Qcow2State, entry: L2Entry): boolean {
  const type = clusterType(entry, state.geometry, state.hasDataFile());
  return !((type === 'normal' || type === 'zero-alloc') && (entry.hi & COPIED_HI) !== 0);
}

/** Clusters from `index` on that need (or do not need) a new allocation, contiguous on the host if not. */
function countAlike(state: Qcow2State, table: Buffer, index: number, clusters: number, newAlloc: boolean): number {
  const g = state.geometry;
  const first = readL2Entry(table, index, g);
  let expected = entryOffset(first.hi, first.lo);
  let i = 0;
  for (; i < clusters; i++) {
    const entry = readL2Entry(table, index + i, g);
    if (needsNewCluster(state, entry) !== newAlloc) break;
    if (!newAlloc) {
      if (expected !== entryOffset(entry.hi, entry.lo)) break;
      expected += g.clusterSize;
    }
  }
  return i;
}

/** Clusters the step may look at: up to the end of the L2 table. */
function clustersInReach(state: Qcow2State, start: number, bytes: number): number {
  const g = state.geometry;
  return Math.min(g.clustersFor(g.offsetInCluster(start) + bytes), g.l2Entries - g.l2Index(start));
}

/** QEMU's handle_copied: clusters owned by this L2 entry alone are overwritten in place. */
async function findInPlace(state: Qcow2State, start: number, bytes: number, required: number | undefined, allocations: ClusterAllocation[]): Promise<Step> {
  const g = state.geometry;
  const clusters = clustersInReach(state, start, bytes);
  const location = await writableL2(state, start);
  const table = await state.l2Cache.get(location.l2Offset);
  const entry = readL2Entry(table, location.index, g);
  if (needsNewCluster(state, entry)) return { bytes };
  const clusterOffset = entryOffset(entry.hi, entry.lo);
  if (clusterOffset % g.clusterSize !== 0) {
    const what = clusterType(entry, g, state.hasDataFile()) === 'zero-alloc' ? 'Preallocated zero' : 'Data';
    throw await state.corruption.signal(`${what} cluster offset ${alternateHex(clusterOffset)} unaligned (guest offset: ${alternateHex(start)})`);
  }
  if (required !== undefined && clusterOffset !== required) return { bytes: 0 };
  const keep = countAlike(state, table, location.index, clusters, false);
  const covered = Math.min(bytes, keep * g.clusterSize - g.offsetInCluster(start));
  const allocation = await describeAllocation(state, location, table, clusterOffset, start, covered, true);
  if (allocation) allocations.push(allocation);
  return { hostOffset: clusterOffset + g.offsetInCluster(start), bytes: covered };
}

/** QEMU's handle_alloc: new clusters for everything else, at `required` when the range must continue there. */
async function allocateNew(state: Qcow2State, start: number, bytes: number, required: number | undefined, allocations: ClusterAllocation[]): Promise<Step> {
  const g = state.geometry;
  let clusters = clustersInReach(state, start, bytes);
  const location = await writableL2(state, start);
  clusters = countAlike(state, await state.l2Cache.get(location.l2Offset), location.index, clusters, true);
  let allocOffset: number;
  if (state.hasDataFile()) {
    allocOffset = g.startOfCluster(start);
  } else if (required === undefined) {
    allocOffset = await state.refcounts.allocClusters(clusters * g.clusterSize);
  } else {
    allocOffset = g.startOfCluster(required);
    clusters = await state.refcounts.allocClustersAt(allocOffset, clusters);
    if (clusters === 0) return { bytes: 0 };
  }
  const inCluster = g.offsetInCluster(start);
  const covered = Math.min(bytes, Math.min(bytes + inCluster, clusters * g.clusterSize) - inCluster);
  const table = await state.l2Cache.get(location.l2Offset);
  const allocation = await describeAllocation(state, location, table, allocOffset, start, covered, false);
  if (allocation) allocations.push(allocation);
  return { hostOffset: allocOffset + inCluster, bytes: covered };
}

/**
 * What linking the clusters under [start, start + bytes) involves (QEMU's
 * calculate_l2_meta): which parts around the write must be filled from the
 * current contents. Undefined when clusters written in place need neither
 * filling nor new entries.
 */
async function describeAllocation(
  state: Qcow2State,
  location: EntryLocation,
  table: Buffer,
  hostClusterOffset: number,
  start: number,
  bytes: number,
  keepOld: boolean,
): Promise<ClusterAllocation | undefined> {
  const g = state.geometry;
  const dataFile = state.hasDataFile();
  const cowStartTo = g.offsetInCluster(start);
  const cowEndFrom = cowStartTo + bytes;
  const clusters = g.clustersFor(cowEndFrom);
  let skipCow = keepOld;
  for (let i = 0; i < clusters; i++) {
    const entry = readL2Entry(table, location.index + i, g);
    let type;
    if (skipCow) {
      const writeFrom = Math.max(cowStartTo, i * g.clusterSize);
      const writeTo = Math.min(cowEndFrom, (i + 1) * g.clusterSize);
      const firstSc = g.subclusterIndex(writeFrom);
      const lastSc = g.subclusterIndex(writeTo - 1);
      type = subclusterType(entry, firstSc, g, dataFile);
      const run = type === 'invalid' ? 0 : subclusterRun(entry, firstSc, type, g);
      if (type !== 'normal' || firstSc + run <= lastSc) skipCow = false;
    } else {
      type = subclusterType(entry, 0, g, dataFile);
    }
    if (type === 'invalid') {
      throw await state.corruption.signal(`Invalid cluster entry found (L2 offset: ${alternateHex(location.l2Offset)}, L2 index: ${alternateHex(location.index + i)})`);
    }
  }
  if (skipCow) return undefined;

  const first = readL2Entry(table, location.index, g);
  const firstType = subclusterType(first, g.subclusterIndex(start), g, dataFile);
  const firstSc = g.subclusterIndex(start);
  let cowStartFrom: number;
  if (!keepOld) {
    if (firstType === 'compressed') cowStartFrom = 0;
    else if (firstType === 'normal' || firstType === 'zero-alloc' || firstType === 'unallocated-alloc') {
      cowStartFrom = g.extendedL2 ? Math.min(firstSc, ctz32(first.allocBits)) * g.subclusterSize : 0;
    } else cowStartFrom = firstSc * g.subclusterSize;
  } else {
    cowStartFrom = firstType === 'normal' ? cowStartTo : firstSc * g.subclusterSize;
  }

  const last = readL2Entry(table, location.index + clusters - 1, g);
  const lastSc = g.subclusterIndex(start + bytes - 1);
  const lastType = subclusterType(last, lastSc, g, dataFile);
  let cowEndTo: number;
  if (!keepOld) {
    if (lastType === 'compressed') cowEndTo = roundUp(cowEndFrom, g.clusterSize);
    else if (lastType === 'normal' || lastType === 'zero-alloc' || lastType === 'unallocated-alloc') {
      cowEndTo = roundUp(cowEndFrom, g.clusterSize);
      if (g.extendedL2) cowEndTo -= Math.min(g.subclusters - lastSc - 1, Math.clz32(last.allocBits)) * g.subclusterSize;
    } else cowEndTo = roundUp(cowEndFrom, g.subclusterSize);
  } else {
    cowEndTo = lastType === 'normal' ? cowEndFrom : roundUp(cowEndFrom, g.subclusterSize);
  }

  return {
    guestOffset: g.startOfCluster(start),
    hostOffset: hostClusterOffset,
    clusters,
    keepOld,
    cowStart: { offset: cowStartFrom, bytes: cowStartTo - cowStartFrom },
    cowEnd: { offset: cowEndFrom, bytes: cowEndTo - cowEndFrom },
    prealloc: false,
  };
}

/**
 * Enter written clusters into their L2 table (QEMU's
 * qcow2_alloc_cluster_link_l2): each entry points at its cluster with
 * COPIED; with extended L2 the written subclusters become allocated.
 * Clusters the entries pointed at before lose a reference.
 */
export async function linkAllocation(state: Qcow2State, allocation: ClusterAllocation): Promise<void> {
  const g = state.geometry;
  if (state.lazyRefcounts()) await state.markDirty();
  await state.l2Cache.dependOn(state.refcounts.blocks);
  const location = await writableL2(state, allocation.guestOffset);
  const table = await state.l2Cache.get(location.l2Offset);
  state.l2Cache.markDirty(location.l2Offset);
  const replaced: L2Entry[] = [];
  for (let i = 0; i < allocation.clusters; i++) {
    const old = readL2Entry(table, location.index + i, g);
    if (old.hi !== 0 || old.lo !== 0) replaced.push(old);
    let bitmap = { zeroBits: old.zeroBits, allocBits: old.allocBits };
    if (g.extendedL2 && !allocation.prealloc) {
      const writtenFrom = Math.max(allocation.cowStart.offset, i * g.clusterSize);
      const writtenTo = Math.min(allocation.cowEnd.offset + allocation.cowEnd.bytes, (i + 1) * g.clusterSize);
      const range = bitRange(g.subclusterIndex(writtenFrom), g.subclusterIndex(writtenTo - 1) + 1);
      bitmap = { zeroBits: (old.zeroBits & ~range) >>> 0, allocBits: (old.allocBits | range) >>> 0 };
    }
    writeL2Entry(table, location.index + i, g, normalEntry(allocation.hostOffset + i * g.clusterSize, true, bitmap));
  }
  if (allocation.keepOld) return;
  for (const old of replaced) await freeEntry(state, old, 'never');
}

function roundUp(value: number, multiple: number): number {
  return Math.ceil(value / multiple) * multiple;
}

/** Trailing zero bits of a 32-bit value (32 for 0). */
function ctz32(value: number): number {
  return value === 0 ? 32 : 31 - Math.clz32(value & -value);
}
