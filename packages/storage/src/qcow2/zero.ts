import { zeroBuffer, ZERO_CHUNK } from '../block/ranges.js';
import { ZERO_LO } from './constants.js';
import { ALL_SUBCLUSTERS, bitRange, clusterType, isAllocatedType, readL2Entry, sameEntry, writeL2Entry, type L2Entry } from './entries.js';
import { freeEntry, writableL2 } from './l2-tables.js';
import { mapGuest } from './mapping.js';
import type { FreeReason } from './refcounts.js';
import type { Qcow2State } from './state.js';
import { blockStatus } from './status.js';
import { writeRange } from './write.js';

/**
 * Make a range read as zeros (QEMU's block layer splitting plus
 * qcow2_co_pwrite_zeroes): whole subclusters become zero entries; the
 * ragged edges too when the rest of their subcluster already reads as
 * zeros; anything else gets zeros written as data.
 */
export async function writeZeroes(state: Qcow2State, offset: number, length: number, mayUnmap: boolean): Promise<void> {
  state.lastDecompressed = undefined;
  const alignment = state.geometry.subclusterSize;
  // v2 images have no zero flag: QEMU does not pass MAY_UNMAP down to them
  const unmap = mayUnmap && state.header.version >= 3;
  let head = offset % alignment;
  const tail = (offset + length) % alignment;
  let bytes = length;
  while (bytes > 0) {
    let piece = bytes;
    if (head) {
      piece = Math.min(bytes, alignment - head);
      head = (head + piece) % alignment;
    } else if (tail && piece > alignment) {
      piece -= tail;
    }
    if (!(await zeroPiece(state, offset, piece, unmap))) await writeZeroData(state, offset, piece);
    offset += piece;
    bytes -= piece;
  }
}

async function writeZeroData(state: Qcow2State, offset: number, length: number): Promise<void> {
  for (let done = 0; done < length; done += ZERO_CHUNK) {
    await writeRange(state, offset + done, Buffer.from(zeroBuffer(length - done)));
  }
}

/** QEMU's qcow2_co_pwrite_zeroes: false where only writing zeros as data will do. */
async function zeroPiece(state: Qcow2State, offset: number, bytes: number, unmap: boolean): Promise<boolean> {
  const scs = state.geometry.subclusterSize;
  const head = offset % scs;
  let tail = Math.ceil((offset + bytes) / scs) * scs - (offset + bytes);
  if (offset + bytes === state.size) tail = 0;
  if (head || tail) {
    if (!(await readsAsZeros(state, offset - head, head)) || !(await readsAsZeros(state, offset + bytes, tail))) return false;
    offset -= head;
    bytes = scs;
    const { type } = await mapGuest(state, offset, scs);
    if (type !== 'unallocated-plain' && type !== 'unallocated-alloc' && type !== 'zero-plain' && type !== 'zero-alloc') return false;
  }
  return zeroize(state, offset, bytes, unmap);
}

/** The range reads as zeros through the whole backing chain. */
async function readsAsZeros(state: Qcow2State, offset: number, bytes: number): Promise<boolean> {
  let remaining = Math.min(bytes, state.size - offset);
  while (remaining > 0) {
    const status = await blockStatus(state, offset, remaining);
    if (!status.zero || status.length === 0) return false;
    offset += status.length;
    remaining -= status.length;
  }
  return true;
}

/** QEMU's qcow2_subcluster_zeroize: zero entries for subcluster-aligned ranges. */
async function zeroize(state: Qcow2State, offset: number, bytes: number, unmap: boolean): Promise<boolean> {
  const g = state.geometry;
  if (state.dataFileIsRaw()) await zeroDataFile(state, offset, bytes);
  if (state.header.version < 3) {
    if (state.backing) return false;
    await discardClusters(state, offset, bytes, 'request', false);
    return true;
  }
  let end = offset + bytes;
  const head = Math.min(end, Math.ceil(offset / g.clusterSize) * g.clusterSize) - offset;
  offset += head;
  const tail = end >= state.size ? 0 : end - Math.max(offset, g.startOfCluster(end));
  end -= tail;
  state.refcounts.deferPunches();
  try {
    if (head && !(await zeroSubclusters(state, offset - head, Math.ceil(head / g.subclusterSize)))) return false;
    let clusters = g.clustersFor(end - offset);
    while (clusters > 0) {
      const cleared = await zeroClusters(state, offset, clusters, unmap);
      clusters -= cleared;
      offset += cleared * g.clusterSize;
      await state.trimCaches();
    }
    if (tail && !(await zeroSubclusters(state, end, Math.ceil(tail / g.subclusterSize)))) return false;
    return true;
  } finally {
    await state.refcounts.releasePunches();
  }
}

/** A raw external data file must read as the image does. */
async function zeroDataFile(state: Qcow2State, offset: number, bytes: number): Promise<void> {
  const file = state.data();
  if (await file.zeroRange(offset, bytes, false)) return;
  for (let done = 0; done < bytes; done += ZERO_CHUNK) await file.write(offset + done, zeroBuffer(bytes - done));
}

/** Zero the entries of whole clusters within one L2 table; returns how many were handled. */
async function zeroClusters(state: Qcow2State, offset: number, clusters: number, unmap: boolean): Promise<number> {
  const g = state.geometry;
  const location = await writableL2(state, offset);
  const count = Math.min(clusters, g.l2Entries - location.index);
  const freed: L2Entry[] = [];
  const table = await state.l2Cache.get(location.l2Offset);
  for (let i = 0; i < count; i++) {
    const old = readL2Entry(table, location.index + i, g);
    const type = clusterType(old, g, state.hasDataFile());
    const drop = type === 'compressed' || (unmap && isAllocatedType(type));
    const next: L2Entry = drop ? { hi: 0, lo: 0, zeroBits: old.zeroBits, allocBits: old.allocBits } : { ...old };
    if (g.extendedL2) {
      next.zeroBits = ALL_SUBCLUSTERS;
      next.allocBits = 0;
    } else {
      next.lo = (next.lo | ZERO_LO) >>> 0;
    }
    if (sameEntry(old, next)) continue;
    writeL2Entry(table, location.index + i, g, next);
    state.l2Cache.markDirty(location.l2Offset);
    if (drop) freed.push(old);
  }
  for (const old of freed) await freeEntry(state, old, 'request');
  return count;
}

/** Zero some subclusters of one cluster (extended L2); false for compressed clusters, which cannot be split. */
async function zeroSubclusters(state: Qcow2State, offset: number, count: number): Promise<boolean> {
  const g = state.geometry;
  const location = await writableL2(state, offset);
  const table = await state.l2Cache.get(location.l2Offset);
  const entry = readL2Entry(table, location.index, g);
  if (clusterType(entry, g, state.hasDataFile()) === 'compressed') return false;
  const sc = g.subclusterIndex(offset);
  const range = bitRange(sc, sc + count);
  const next = { ...entry, zeroBits: (entry.zeroBits | range) >>> 0, allocBits: (entry.allocBits & ~range) >>> 0 };
  if (!sameEntry(entry, next)) {
    writeL2Entry(table, location.index, g, next);
    state.l2Cache.markDirty(location.l2Offset);
  }
  return true;
}

/**
 * Guest discard (QEMU's block layer splitting plus qcow2_co_pdiscard):
 * whole clusters only, except a partial last cluster at the end of the
 * image; nothing on v2 images with a backing file, where a discarded
 * cluster would show the backing file's data.
 */
export async function discard(state: Qcow2State, offset: number, length: number): Promise<void> {
  state.lastDecompressed = undefined;
  if (state.header.version < 3 && state.backing) return;
  const cs = state.clusterSize;
  const start = Math.ceil(offset / cs) * cs;
  let end = Math.floor((offset + length) / cs) * cs;
  // the partial cluster at the end of the image counts as whole
  if (offset + length === state.size && end >= start) end = offset + length;
  if (end > start) await discardClusters(state, start, end - start, 'request', false);
}

/**
 * QEMU's qcow2_cluster_discard over cluster-aligned [offset, offset +
 * bytes): entries become zero clusters (v3, when that changes what the
 * guest reads) or unallocated (`full`: reading through to the backing
 * file), and their clusters are freed.
 */
export async function discardClusters(state: Qcow2State, offset: number, bytes: number, reason: FreeReason, full: boolean): Promise<void> {
  const g = state.geometry;
  let clusters = g.clustersFor(bytes);
  state.refcounts.deferPunches();
  try {
    while (clusters > 0) {
      const cleared = await discardInTable(state, offset, clusters, reason, full);
      clusters -= cleared;
      offset += cleared * g.clusterSize;
      await state.trimCaches();
    }
  } finally {
    await state.refcounts.releasePunches();
  }
}

async function discardInTable(state: Qcow2State, offset: number, clusters: number, reason: FreeReason, full: boolean): Promise<number> {
  const g = state.geometry;
  const location = await writableL2(state, offset);
  const count = Math.min(clusters, g.l2Entries - location.index);
  const table = await state.l2Cache.get(location.l2Offset);
  const freed: L2Entry[] = [];
  for (let i = 0; i < count; i++) {
    const old = readL2Entry(table, location.index + i, g);
    let next: L2Entry = old;
    if (full) next = { hi: 0, lo: 0, zeroBits: 0, allocBits: 0 };
    else if (state.backing || isAllocatedType(clusterType(old, g, state.hasDataFile()))) {
      if (g.extendedL2) next = { hi: 0, lo: 0, zeroBits: ALL_SUBCLUSTERS, allocBits: 0 };
      else next = { hi: 0, lo: state.header.version >= 3 ? ZERO_LO : 0, zeroBits: 0, allocBits: 0 };
    }
    if (sameEntry(old, next)) continue;
    writeL2Entry(table, location.index + i, g, next);
    state.l2Cache.markDirty(location.l2Offset);
    freed.push(old);
  }
  for (const old of freed) await freeEntry(state, old, reason);
  return count;
}
