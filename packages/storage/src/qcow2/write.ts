import { invalidOperation } from '../errors.js';
import { isZero } from '../io/zeros.js';
import { allocateForWrite, linkAllocation, type ClusterAllocation, type WriteTarget } from './allocation.js';
import { compressedEntry, entryOffset, readL2Entry, writeL2Entry } from './entries.js';
import { writableL2 } from './l2-tables.js';
import { readRange } from './read.js';
import type { Qcow2State } from './state.js';

/**
 * Write guest data (QEMU's qcow2_co_pwritev_part): find or allocate host
 * clusters, write the data together with what partly written clusters
 * must keep, and only then enter new clusters into the L2 tables. The
 * caller holds the metadata lock throughout (Qcow2Image.write runs the
 * same steps with the lock released while the data goes out).
 */
export async function writeRange(state: Qcow2State, offset: number, buf: Buffer): Promise<void> {
  state.lastDecompressed = undefined;
  let done = 0;
  while (done < buf.length) {
    const target = await allocateForWrite(state, offset + done, buf.length - done);
    await writeTargetOrAbandon(state, target, offset + done, buf.subarray(done, done + target.bytes));
    await linkTarget(state, target);
    done += target.bytes;
  }
}

/** Enter what a write allocated into the L2 tables, once its data is written. */
export async function linkTarget(state: Qcow2State, target: WriteTarget): Promise<void> {
  for (const allocation of target.allocations) await linkAllocation(state, allocation);
  await state.trimCaches();
}

/**
 * writeTarget(), giving back the clusters the target allocated when the
 * data cannot be written (QEMU's qcow2_alloc_cluster_abort), so that they
 * do not leak; `locked` runs that under the metadata lock when the caller
 * does not hold it.
 */
export async function writeTargetOrAbandon(
  state: Qcow2State,
  target: WriteTarget,
  guestOffset: number,
  data: Buffer,
  locked: (task: () => Promise<void>) => Promise<void> = (task) => task(),
): Promise<void> {
  try {
    await writeTarget(state, target, guestOffset, data);
  } catch (err) {
    const abandon = async (): Promise<void> => {
      for (const allocation of target.allocations) {
        if (!allocation.keepOld) await state.refcounts.free(allocation.hostOffset, allocation.clusters * state.clusterSize, 'never');
      }
    };
    // the write's failure is the one to report
    await locked(abandon).catch(() => undefined);
    throw err;
  }
}

/** Write the data of one write target (and the copy-on-write parts around it) to the host clusters found for it. */
async function writeTarget(state: Qcow2State, target: WriteTarget, guestOffset: number, data: Buffer): Promise<void> {
  let dataWritten = false;
  for (const allocation of target.allocations) {
    const wrapsData =
      !dataWritten &&
      allocation.guestOffset + allocation.cowStart.offset + allocation.cowStart.bytes === guestOffset &&
      allocation.guestOffset + allocation.cowEnd.offset === guestOffset + data.length;
    if (await fillAround(state, allocation, wrapsData ? data : undefined)) dataWritten = true;
  }
  if (!dataWritten) await state.data().write(target.hostOffset, data);
  // the L2 tables about to point at the clusters must not reach the disk before their data
  if (target.allocations.length > 0) state.l2Cache.dependOnBarrier(state.data());
}

/**
 * Fill the parts of an allocation a write does not cover with what the
 * guest reads there now (QEMU's copy-on-write). With `data` (the write
 * lies right between the two parts) everything goes out in one write;
 * returns whether `data` was written.
 */
export async function fillAround(state: Qcow2State, allocation: ClusterAllocation, data?: Buffer): Promise<boolean> {
  const { cowStart, cowEnd } = allocation;
  if (cowStart.bytes === 0 && cowEnd.bytes === 0) return false;
  const file = state.data();
  const head = await guestView(state, allocation, cowStart.offset, cowStart.bytes);
  const tail = await guestView(state, allocation, cowEnd.offset, cowEnd.bytes);
  const headAt = allocation.hostOffset + cowStart.offset;
  const tailAt = allocation.hostOffset + cowEnd.offset;
  // zeros around the data: let the file system zero the whole range, then write the data alone (QEMU does the same)
  if (isZero(head) && isZero(tail) && (await file.zeroRange(headAt, tailAt + cowEnd.bytes - headAt, false))) return false;
  if (data) {
    await file.write(headAt, Buffer.concat([head, data, tail]));
    return true;
  }
  await file.write(headAt, head);
  await file.write(tailAt, tail);
  return false;
}

/** What the guest reads now in a part of an allocation (the part is about to be copied into it). */
async function guestView(state: Qcow2State, allocation: ClusterAllocation, offset: number, bytes: number): Promise<Buffer> {
  const view = Buffer.allocUnsafe(bytes);
  if (bytes > 0) await readRange(state, allocation.guestOffset + offset, view);
  return view;
}

/**
 * Store one compressed cluster (QEMU's qcow2_alloc_compressed_cluster_offset
 * and the write after it): the cluster must still be unallocated; the
 * data is packed after the previous compressed cluster, written, then
 * entered into the L2 table.
 */
export async function writeCompressedCluster(state: Qcow2State, guestOffset: number, compressed: Buffer): Promise<void> {
  state.lastDecompressed = undefined;
  const g = state.geometry;
  const location = await writableL2(state, guestOffset);
  const existing = readL2Entry(await state.l2Cache.get(location.l2Offset), location.index, g);
  if (entryOffset(existing.hi, existing.lo) !== 0) {
    throw invalidOperation(`'${state.path}': cannot write compressed data at offset ${guestOffset}: the cluster is already allocated`);
  }
  const hostOffset = await state.refcounts.allocBytes(compressed.length);
  await state.host.write(hostOffset, compressed);
  state.l2Cache.dependOnBarrier();
  const table = await state.l2Cache.get(location.l2Offset);
  writeL2Entry(table, location.index, g, compressedEntry(hostOffset, compressed.length, g));
  state.l2Cache.markDirty(location.l2Offset);
  await state.trimCaches();
}
