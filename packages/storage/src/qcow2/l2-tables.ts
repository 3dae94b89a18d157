import { clusterType, compressedExtent, entryOffset, type L2Entry } from './entries.js';
import type { FreeReason } from './refcounts.js';
import type { Qcow2State } from './state.js';
import { alternateHex } from './corruption.js';

/** Where the L2 entry of a guest offset lives. */
export interface EntryLocation {
  l2Offset: number;
  index: number;
}

/**
 * The L2 table for a guest offset, made writable: the L1 table grows if
 * it is too short, and a missing or shared L2 table is replaced by a new
 * one (a copy, for a shared table) before the entry can be changed.
 */
export async function writableL2(state: Qcow2State, guestOffset: number): Promise<EntryLocation> {
  const g = state.geometry;
  const l1Index = g.l1Index(guestOffset);
  if (l1Index >= state.l1.size) await state.l1.grow(l1Index + 1, false, state.refcounts);
  let l2Offset = state.l1.l2Offset(l1Index);
  if (l2Offset % g.clusterSize !== 0) {
    throw await state.corruption.signal(`L2 table offset ${alternateHex(l2Offset)} unaligned (L1 index: ${alternateHex(l1Index)})`);
  }
  if (!state.l1.copied(l1Index)) {
    const replaced = l2Offset;
    l2Offset = await allocateL2(state, l1Index, replaced);
    if (replaced !== 0) await state.refcounts.free(replaced, g.clusterSize, 'other');
  }
  return { l2Offset, index: g.l2Index(guestOffset) };
}

/**
 * A new L2 table for L1 entry `l1Index`: allocated, filled (zeros, or a
 * copy of the table it replaces), written, and only then entered into
 * the L1 table.
 */
async function allocateL2(state: Qcow2State, l1Index: number, replaced: number): Promise<number> {
  const cs = state.geometry.clusterSize;
  const l2Offset = await state.refcounts.allocClusters(cs);
  if (l2Offset === 0) throw await state.corruption.signal('Preventing invalid allocation of L2 table at offset 0');
  await state.refcounts.flush();
  if (replaced === 0) state.l2Cache.create(l2Offset);
  else state.l2Cache.put(l2Offset, Buffer.from(await state.l2Cache.get(replaced)));
  await state.l2Cache.flush();
  await state.l1.set(l1Index, l2Offset, true);
  return l2Offset;
}

/**
 * Drop the reference an L2 entry held (a compressed extent, or a host
 * cluster); with an external data file only the data file's range can be
 * given back.
 */
export async function freeEntry(state: Qcow2State, entry: L2Entry, reason: FreeReason): Promise<void> {
  const g = state.geometry;
  const type = clusterType(entry, g, state.hasDataFile());
  if (state.hasDataFile()) {
    if ((type === 'normal' || type === 'zero-alloc') && (reason === 'request' || reason === 'snapshot' || reason === 'always')) {
      await state.data().zeroRange(entryOffset(entry.hi, entry.lo), g.clusterSize, true);
    }
    return;
  }
  if (type === 'compressed') {
    const extent = compressedExtent(entry, g);
    await state.refcounts.free(extent.offset, extent.size, reason);
  } else if (type === 'normal' || type === 'zero-alloc') {
    const offset = entryOffset(entry.hi, entry.lo);
    // an unaligned offset is corruption QEMU only reports; the cluster is left alone
    if (offset % g.clusterSize === 0) await state.refcounts.free(offset, g.clusterSize, reason);
  }
}
