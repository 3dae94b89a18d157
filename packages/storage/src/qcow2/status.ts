import type { BlockStatus } from '../block/device.js';
import type { HostFile } from './host-file.js';
import { mapGuest } from './mapping.js';
import type { Qcow2State } from './state.js';

/** QEMU asks a format driver about at most INT_MAX bytes at once. */
const MAX_QUERY = 2 ** 31 - 1;

/**
 * The status of a range as qemu-img map reports it: this image's answer
 * if it holds the range (data or zeros), else the backing chain's, one
 * layer deeper.
 */
export async function blockStatus(state: Qcow2State, offset: number, length: number): Promise<BlockStatus> {
  if (length === 0) return { length: 0, present: false, zero: false, data: false, depth: 0 };
  const own = await layerStatus(state, offset, length);
  if (own.zero || own.data || !state.backing) return own;
  const backing = state.backing;
  const below = await backing.getStatus(offset, Math.min(own.length, backing.size - offset));
  return { ...below, depth: below.depth + 1 };
}

/** QEMU's qcow2_co_block_status, with the generic block layer's additions, for this image alone. */
async function layerStatus(state: Qcow2State, offset: number, length: number): Promise<BlockStatus> {
  state.metadataPreallocated ??= await looksMetadataPreallocated(state);
  const mapping = await mapGuest(state, offset, Math.min(length, MAX_QUERY));
  const { type } = mapping;
  const hasOffset = type === 'normal' || type === 'zero-alloc' || type === 'unallocated-alloc';
  let zero = type === 'zero-plain' || type === 'zero-alloc';
  const data = type === 'normal' || type === 'compressed';
  const present = zero || data;
  let bytes = mapping.bytes;
  if (!present) {
    // nothing here: zeros unless a backing file has something to show
    zero = !state.backing || offset >= state.backing.size;
  }
  if (state.metadataPreallocated && data && hasOffset) {
    // metadata preallocation leaves data clusters that are holes in the file: those read as zeros
    const host = await hostFileStatus(state.data(), mapping.hostOffset, bytes);
    if (host.atEnd && (host.bytes === 0 || host.zero)) zero = true;
    else {
      bytes = host.bytes;
      zero = host.zero;
    }
  }
  const status: BlockStatus = { length: bytes, present, zero, data, depth: 0 };
  if (hasOffset) {
    status.offset = mapping.hostOffset;
    status.file = state.data().path;
  }
  if (type === 'compressed') status.compressed = true;
  return status;
}

/** What the file system says about a host range: data or a hole, and how far that goes (file-posix's block status). */
async function hostFileStatus(file: HostFile, offset: number, length: number): Promise<{ bytes: number; zero: boolean; atEnd: boolean }> {
  const total = file.length;
  if (offset >= total) return { bytes: 0, zero: false, atEnd: true };
  const limit = Math.min(length, total - offset);
  const data = file.file.nextData(offset);
  let bytes: number;
  let zero: boolean;
  if (data === undefined) {
    bytes = limit;
    zero = true;
  } else if (data > offset) {
    bytes = data - offset;
    zero = true;
  } else {
    bytes = (file.file.nextHole(offset) ?? total) - offset;
    zero = false;
  }
  bytes = Math.min(bytes, limit);
  return { bytes, zero, atEnd: offset + bytes === total };
}

/**
 * QEMU's metadata-preallocation probe: the refcounts claim clearly more
 * clusters than the file has blocks for.
 */
async function looksMetadataPreallocated(state: Qcow2State): Promise<boolean> {
  const cs = state.clusterSize;
  const realClusters = Math.floor((await state.host.allocatedSize()) / cs);
  const threshold = Math.max(Math.floor((realClusters * 10) / 9), realClusters + 2);
  const end = state.geometry.clustersFor(state.host.length);
  let used = 0;
  for (let i = 0; i < end && used < threshold; i++) {
    if ((await state.refcounts.get(i)) > 0) used++;
  }
  return used >= threshold;
}
