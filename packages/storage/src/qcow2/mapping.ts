import {
  entryOffset,
  readL2Entry,
  subclusterRun,
  subclusterType,
  UNALLOCATED_ENTRY,
  type L2Entry,
  type SubclusterType,
} from './entries.js';
import type { Qcow2State } from './state.js';
import { alternateHex } from './corruption.js';

/** What a guest range maps to: one kind of (sub)cluster, contiguous on the host where it has a place there. */
export interface GuestMapping {
  type: Exclude<SubclusterType, 'invalid'>;
  /** Bytes from the guest offset asked about (at least 1). */
  bytes: number;
  /** Host offset of the guest offset, for types that own a host cluster (0 otherwise). */
  hostOffset: number;
  /** The L2 entry of the first cluster (compressed clusters need it). */
  entry: L2Entry;
}

/**
 * Look a guest range up (QEMU's qcow2_get_host_offset): the answer covers
 * as many following subclusters of the same type as are contiguous on
 * the host, up to the end of the L2 table, one compressed cluster at most.
 */
export async function mapGuest(state: Qcow2State, offset: number, bytes: number): Promise<GuestMapping> {
  const g = state.geometry;
  const inCluster = g.offsetInCluster(offset);
  const l2Index = g.l2Index(offset);
  const needed = Math.min(bytes + inCluster, (g.l2Entries - l2Index) * g.clusterSize);
  const l1Index = g.l1Index(offset);
  const l2Offset = state.l1.l2Offset(l1Index);
  if (l2Offset === 0) return { type: 'unallocated-plain', bytes: needed - inCluster, hostOffset: 0, entry: UNALLOCATED_ENTRY };
  if (l2Offset % g.clusterSize !== 0) {
    throw await state.corruption.signal(`L2 table offset ${alternateHex(l2Offset)} unaligned (L1 index: ${alternateHex(l1Index)})`);
  }
  const table = await state.l2Cache.get(l2Offset);
  const entry = readL2Entry(table, l2Index, g);
  const sc = g.subclusterIndex(offset);
  const type = subclusterType(entry, sc, g, state.hasDataFile());
  const where = `(L2 offset: ${alternateHex(l2Offset)}, L2 index: ${alternateHex(l2Index)})`;
  if (type === 'invalid') throw await invalidEntry(state, l2Offset, l2Index);
  if (state.header.version < 3 && (type === 'zero-plain' || type === 'zero-alloc')) {
    throw await state.corruption.signal(`Zero cluster entry found in pre-v3 image ${where}`);
  }
  let hostOffset = 0;
  if (type === 'compressed' && state.hasDataFile()) {
    throw await state.corruption.signal(`Compressed cluster entry found in image with external data file ${where}`);
  }
  if (type === 'normal' || type === 'zero-alloc' || type === 'unallocated-alloc') {
    const host = entryOffset(entry.hi, entry.lo);
    hostOffset = host + inCluster;
    if (host % g.clusterSize !== 0) {
      throw await state.corruption.signal(`Cluster allocation offset ${alternateHex(host)} unaligned ${where}`);
    }
    if (state.hasDataFile() && hostOffset !== offset) {
      throw await state.corruption.signal(
        `External data file host cluster offset ${alternateHex(host)} does not match guest cluster offset: ${alternateHex(offset - inCluster)}, L2 index: ${alternateHex(l2Index)})`,
      );
    }
  }
  const run = contiguousSubclusters(state, table, l2Index, g.clustersFor(needed), sc);
  if (typeof run === 'object') throw await invalidEntry(state, l2Offset, run.invalidIndex);
  const available = Math.min((run + sc) * g.subclusterSize, needed);
  return { type, bytes: available - inCluster, hostOffset, entry };
}

function invalidEntry(state: Qcow2State, l2Offset: number, index: number): Promise<Error> {
  return state.corruption.signal(`Invalid cluster entry found  (L2 offset: ${alternateHex(l2Offset)}, L2 index: ${alternateHex(index)})`);
}

/**
 * How many subclusters from subcluster `sc` of entry `first` on share its
 * type (and, for types owning host clusters, are contiguous there),
 * looking at `clusters` entries at most.
 */
function contiguousSubclusters(state: Qcow2State, table: Buffer, first: number, clusters: number, sc: number): number | { invalidIndex: number } {
  const g = state.geometry;
  let count = 0;
  let expectedType: SubclusterType = 'normal';
  let expectedOffset = 0;
  let checkOffset = false;
  for (let i = 0; i < clusters; i++) {
    const from = i === 0 ? sc : 0;
    const entry = readL2Entry(table, first + i, g);
    const type = subclusterType(entry, from, g, state.hasDataFile());
    if (type === 'invalid') return { invalidIndex: first + i };
    const run = subclusterRun(entry, from, type, g);
    if (i === 0) {
      if (type === 'compressed') return run;
      expectedType = type;
      expectedOffset = entryOffset(entry.hi, entry.lo);
      checkOffset = type === 'normal' || type === 'zero-alloc' || type === 'unallocated-alloc';
    } else if (type !== expectedType) {
      break;
    } else if (checkOffset) {
      expectedOffset += g.clusterSize;
      if (expectedOffset !== entryOffset(entry.hi, entry.lo)) break;
    }
    count += run;
    if (from + run < g.subclusters) break;
  }
  return count;
}
