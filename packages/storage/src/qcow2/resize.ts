import type { Preallocation } from '../block/device.js';
import { ZERO_CHUNK, zeroBuffer } from '../block/ranges.js';
import { invalidArgument, invalidOperation, unsupported } from '../errors.js';
import { allocateForWrite, linkAllocation, type ClusterAllocation } from './allocation.js';
import type { HostFile } from './host-file.js';
import type { Qcow2State } from './state.js';
import { fillAround, writeRange } from './write.js';
import { discardClusters, writeZeroes } from './zero.js';

/**
 * Change the virtual size (QEMU's qcow2_co_truncate). Shrinking drops the
 * clusters past the end, their L2 tables and refcount blocks left unused,
 * and trims the file; growing extends the L1 table and preallocates as
 * asked. Where a backing file reaches past the old end, the new area is
 * made to read as zeros rather than as the backing file.
 */
export async function resize(state: Qcow2State, size: number, preallocation: Preallocation): Promise<void> {
  if (size % 512 !== 0) throw invalidArgument('The new size must be a multiple of 512');
  if (state.snapshots.list.length > 0 && state.header.version < 3) throw unsupported("Can't resize a v2 image which has snapshots");
  if (state.header.bitmaps) throw unsupported('Cannot resize qcow2 with persistent bitmaps');
  state.lastDecompressed = undefined;
  const g = state.geometry;
  const oldSize = state.size;
  const zeroNewArea = size > oldSize && state.backing !== undefined && state.backing.size > oldSize;
  let mode = preallocation;
  if (size < oldSize) {
    if (mode !== 'off') throw invalidArgument("Preallocation can't be used for shrinking an image");
    await shrink(state, size);
  } else {
    await state.l1.grow(g.l1EntriesFor(size), true, state.refcounts);
    // a raw data file must stay readable on its own, so its mapping is always complete
    if (state.dataFileIsRaw() && mode === 'off') mode = 'metadata';
  }

  let zeroed = false;
  switch (mode) {
    case 'off':
      if (state.hasDataFile()) await state.data().truncate(size);
      break;
    case 'metadata':
      await preallocateMetadata(state, oldSize, size, mode);
      break;
    case 'falloc':
    case 'full':
      if (state.hasDataFile()) await preallocateMetadata(state, oldSize, size, mode);
      else {
        await preallocateData(state, oldSize, size, mode, zeroNewArea);
        zeroed = zeroNewArea;
      }
      break;
  }
  if (zeroNewArea && !zeroed) await zeroGrownArea(state, oldSize, size);
  if (mode !== 'off') await state.flushMetadata();
  await state.writeSize(size);
}

async function shrink(state: Qcow2State, size: number): Promise<void> {
  const g = state.geometry;
  const keep = Math.ceil(size / g.clusterSize) * g.clusterSize;
  if (state.size > keep) await discardClusters(state, keep, state.size - keep, 'always', true);
  await state.flushMetadata();
  await state.l1.clearFrom(g.l1EntriesFor(size), state.refcounts);
  await state.refcounts.dropUnusedBlocks();
  await state.flushMetadata();
  const last = await state.refcounts.lastUsedCluster(state.host.length);
  if (last < 0) throw await state.corruption.signal('There are no references in the refcount table.');
  if ((last + 1) * g.clusterSize < state.host.length) await state.host.truncate((last + 1) * g.clusterSize);
}

/**
 * Allocate clusters for [from, to) through the write path, entries
 * pointing at them but no data written (QEMU's preallocate_co); then make
 * the data file long enough to hold them.
 */
async function preallocateMetadata(state: Qcow2State, from: number, to: number, mode: Preallocation): Promise<void> {
  let offset = from;
  let end = 0;
  while (offset < to) {
    const target = await allocateForWrite(state, offset, to - offset);
    for (const allocation of target.allocations) {
      allocation.prealloc = true;
      await fillAround(state, allocation);
      await linkAllocation(state, allocation);
    }
    end = target.hostOffset + target.bytes;
    offset += target.bytes;
    await state.trimCaches();
  }
  const file = state.data();
  if (end > file.length) await growFile(file, end, mode === 'metadata' ? 'off' : mode);
}

/**
 * falloc/full without a data file (QEMU's truncate path): new refcount
 * structures after the used part of the file that cover all the new
 * clusters, the data clusters in one run after them, the file grown over
 * them, then the L2 entries.
 */
async function preallocateData(state: Qcow2State, oldSize: number, size: number, mode: 'falloc' | 'full', zeroNewArea: boolean): Promise<void> {
  const g = state.geometry;
  const cs = g.clusterSize;
  const last = await state.refcounts.lastUsedCluster(state.host.length);
  const usedEnd = last >= 0 ? (last + 1) * cs : Math.ceil(state.host.length / cs) * cs;
  let dataClusters = (Math.ceil(size / cs) * cs - g.startOfCluster(oldSize)) / cs;
  const l2Tables = Math.ceil(dataClusters / g.l2Entries) + 1;
  const start = await state.refcounts.buildArea(usedEnd, dataClusters + l2Tables, true);
  const allocated = await state.refcounts.allocClustersAt(start, dataClusters);
  if (allocated !== dataClusters) throw invalidOperation(`'${state.path}': Failed to allocate data clusters`);
  await growFile(state.host, start + dataClusters * cs, mode);

  let guest = oldSize;
  let host = start;
  while (dataClusters > 0) {
    const clusters = Math.min(dataClusters, g.l2Entries - g.l2Index(guest));
    const head = g.offsetInCluster(guest);
    guest = g.startOfCluster(guest);
    const allocation: ClusterAllocation = {
      guestOffset: guest,
      hostOffset: host,
      clusters,
      keepOld: false,
      cowStart: { offset: 0, bytes: head },
      cowEnd: { offset: clusters * cs, bytes: 0 },
      // growing over a backing file: the clusters must read as theirs, not the backing file's
      prealloc: !zeroNewArea,
    };
    await fillAround(state, allocation);
    await linkAllocation(state, allocation);
    guest += clusters * cs;
    host += clusters * cs;
    dataClusters -= clusters;
    await state.trimCaches();
  }
}

/** Extend a host file to `length` bytes, reserving the new space as `mode` says. */
async function growFile(file: HostFile, length: number, mode: Preallocation): Promise<void> {
  const from = file.length;
  if (mode === 'full') {
    for (let at = from; at < length; at += ZERO_CHUNK) await file.write(at, zeroBuffer(length - at));
    return;
  }
  await file.truncate(length);
  if (mode === 'falloc' && length > from) await file.allocate(from, length - from);
}

/** Make [oldSize, size) read as zeros instead of as the backing file. */
async function zeroGrownArea(state: Qcow2State, oldSize: number, size: number): Promise<void> {
  const scs = state.geometry.subclusterSize;
  const zeroStart = Math.ceil(oldSize / scs) * scs;
  if (size > zeroStart) {
    if (state.header.version < 3) throw unsupported(`'${state.path}': Failed to zero out new clusters: Operation not supported`);
    await writeZeroes(state, zeroStart, size - zeroStart, false);
  }
  if (zeroStart > oldSize) await writeRange(state, oldSize, Buffer.alloc(Math.min(zeroStart, size) - oldSize));
}
