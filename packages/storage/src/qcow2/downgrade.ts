import { zeroBuffer } from '../block/ranges.js';
import { unsupported } from '../errors.js';
import { COMPRESSION_ZLIB, INCOMPAT_COMPRESSION, INCOMPAT_DIRTY } from './constants.js';
import { clusterType, entryOffset, normalEntry, readL2Entry, UNALLOCATED_ENTRY, writeL2Entry } from './entries.js';
import type { Qcow2State } from './state.js';

/**
 * qemu-img amend -o compat=0.10: turn a v3 image into one a v2 reader
 * understands, with QEMU's refusals (in its order) for what v2 cannot
 * express. v2 has no zero clusters: a zero cluster with no backing file to
 * show through becomes unallocated, otherwise a cluster of zeros.
 *
 * Unlike QEMU, images with internal snapshots are refused: their L2 tables
 * may be shared, and rewriting them would need copy-on-write here.
 */
export async function downgrade(state: Qcow2State): Promise<void> {
  const header = state.header;
  if (state.geometry.refcountBits !== 16) throw unsupported('compat=0.10 requires refcount_bits=16');
  if (state.hasDataFile()) throw unsupported('Cannot downgrade an image with a data file');
  if (state.snapshots.list.some((s) => s.vmStateSize > 0xffffffff || s.diskSize !== state.size)) {
    throw unsupported('Internal snapshots prevent downgrade of image');
  }
  if ((header.incompatible & INCOMPAT_DIRTY) !== 0n) await state.markClean();
  const blocking = header.incompatible & ~INCOMPAT_COMPRESSION;
  if (blocking !== 0n) throw unsupported(`Cannot downgrade an image with incompatible features 0x${blocking.toString(16)} set`);
  if (state.snapshots.list.length > 0) throw unsupported('Downgrading an image with internal snapshots is not supported');
  const compressed = await expandZeroClusters(state);
  if ((header.incompatible & INCOMPAT_COMPRESSION) !== 0n) {
    if (compressed) throw unsupported('Cannot downgrade an image with zstd compression type and existing compressed clusters');
    header.incompatible &= ~INCOMPAT_COMPRESSION;
    header.compressionType = COMPRESSION_ZLIB;
  }
  header.compatible = 0n;
  header.autoclear = 0n;
  header.version = 2;
  await state.flushMetadata();
  await state.rewriteHeader();
}

/** Rewrite the zero clusters of the active tables as v2 can hold them; returns whether any cluster is compressed. */
async function expandZeroClusters(state: Qcow2State): Promise<boolean> {
  const g = state.geometry;
  const showsThrough = state.header.backingFile !== undefined;
  let compressed = false;
  for (let i = 0; i < state.l1.size; i++) {
    const l2Offset = state.l1.l2Offset(i);
    if (l2Offset === 0) continue;
    for (let j = 0; j < g.l2Entries; j++) {
      const entry = readL2Entry(await state.l2Cache.get(l2Offset), j, g);
      const type = clusterType(entry, g, false);
      if (type === 'compressed') compressed = true;
      if (type !== 'zero-plain' && type !== 'zero-alloc') continue;
      let host = entryOffset(entry.hi, entry.lo);
      if (type === 'zero-plain' && !showsThrough) {
        writeL2Entry(await state.l2Cache.get(l2Offset), j, g, UNALLOCATED_ENTRY);
      } else {
        if (type === 'zero-plain') host = await state.refcounts.allocClusters(g.clusterSize);
        // the zeros are on disk before the entry points at them as data
        await state.host.write(host, zeroBuffer(g.clusterSize));
        await state.host.barrier();
        writeL2Entry(await state.l2Cache.get(l2Offset), j, g, normalEntry(host, true));
      }
      state.l2Cache.markDirty(l2Offset);
    }
  }
  return compressed;
}
