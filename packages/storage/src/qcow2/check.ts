import type { CheckOptions, CheckReport } from '../block/introspect.js';
import { corruptImage } from '../errors.js';
import { COPIED_HI, MAX_L1_ENTRIES, REFTABLE_RESERVED_LO } from './constants.js';
import { clusterType, entryOffset, hex64, readL2Entry, writeL2Entry } from './entries.js';
import { bitmapClusters, readBitmapDirectory } from './bitmaps.js';
import { rebuildRefcounts } from './rebuild-refcounts.js';
import { emptyCounts, References, type CheckCounts } from './reference-count.js';
import type { Qcow2State } from './state.js';

type Repair = 'leaks' | 'all' | undefined;

/**
 * qemu-img check: count every reference the metadata makes, compare with
 * the refcounts, check the COPIED flags; with `repair`, fix what that mode
 * may fix and then check again, as qemu-img does, reporting the second
 * run with the first one's repair counts.
 */
export async function checkImage(state: Qcow2State, options: CheckOptions): Promise<CheckReport> {
  const report = options.report ?? (() => undefined);
  if (!state.readOnly) await state.flushMetadata();
  const first = await checkPass(state, options.repair, report);
  if (!options.repair || (first.counts.leaksFixed === 0 && first.counts.corruptionsFixed === 0)) return first.report;
  const second = await checkPass(state, undefined, report);
  second.report.leaksFixed = first.counts.leaksFixed;
  second.report.corruptionsFixed = first.counts.corruptionsFixed;
  return second.report;
}

async function checkPass(state: Qcow2State, repair: Repair, report: (line: string) => void): Promise<{ report: CheckReport; counts: CheckCounts }> {
  const g = state.geometry;
  const counts = emptyCounts();
  let refs = await countReferences(state, counts, report);
  const beforeCompare = { ...counts };
  await compareRefcounts(state, refs, counts, undefined, report);
  if (refs.rebuild && repair === 'all') {
    report('Rebuilding refcount structure');
    await rebuildRefcounts(state, refs.counts);
    // the old structures are now leaks, repaired at once and not counted
    refs = await countReferences(state, emptyCounts(), report);
    await compareRefcounts(state, refs, emptyCounts(), 'all', report);
    counts.corruptionsFixed += counts.corruptions;
    counts.leaksFixed += counts.leaks;
    counts.corruptions = 0;
    counts.leaks = 0;
  } else if (refs.rebuild && repair === 'leaks') {
    // QEMU gives up here (-EIO): no COPIED check and no summary, just "Check failed: Input/output error"
    report('ERROR need to rebuild refcount structures');
    throw corruptImage('Input/output error');
  } else if (repair && (counts.leaks > 0 || counts.corruptions > 0)) {
    Object.assign(counts, beforeCompare);
    await compareRefcounts(state, refs, counts, repair, report);
  }
  const fixCopied = repair === 'all' || (repair === 'leaks' && counts.checkErrors === 0 && counts.corruptions === 0 && counts.leaks === 0);
  await checkCopiedFlags(state, counts, fixCopied, report);
  if (repair && counts.checkErrors === 0 && counts.corruptions === 0) {
    await state.flushMetadata();
    await state.markClean();
    await state.markConsistent();
  }
  let highest = -1;
  const end = Math.max(refs.counts.length, g.clustersFor(state.host.length));
  for (let i = 0; i < end; i++) {
    if (refs.get(i) > 0 || (i < g.clustersFor(state.host.length) && (await state.refcounts.get(i)) > 0)) highest = i;
  }
  return {
    counts,
    report: {
      checkErrors: counts.checkErrors,
      corruptions: counts.corruptions,
      leaks: counts.leaks,
      corruptionsFixed: counts.corruptionsFixed,
      leaksFixed: counts.leaksFixed,
      imageEndOffset: (highest + 1) * g.clusterSize,
      totalClusters: g.clustersFor(state.size),
      allocatedClusters: counts.allocatedClusters,
      fragmentedClusters: counts.fragmentedClusters,
      compressedClusters: counts.compressedClusters,
    },
  };
}

/** Every reference the metadata makes (QEMU's calculate_refcounts), the refcount blocks' own included. */
async function countReferences(state: Qcow2State, counts: CheckCounts, report: (line: string) => void): Promise<References> {
  const g = state.geometry;
  const refs = new References(state, state.host.length, counts, report);
  refs.add(0, g.clusterSize);
  await refs.countL1(state.l1.offset, state.l1.size, true);
  if (state.hasDataFile() && state.snapshots.list.length > 0) {
    report(`ERROR ${state.snapshots.list.length} snapshots in image with data file`);
    counts.corruptions++;
  }
  for (const snapshot of state.snapshots.list) {
    if (snapshot.l1Offset % g.clusterSize !== 0) {
      report(`ERROR snapshot ${snapshot.id} (${snapshot.name}) l1_offset=0x${snapshot.l1Offset.toString(16)}: L1 table is not cluster aligned; snapshot table entry corrupted`);
      counts.corruptions++;
      continue;
    }
    if (snapshot.l1Size > MAX_L1_ENTRIES) {
      report(`ERROR snapshot ${snapshot.id} (${snapshot.name}) l1_size=0x${snapshot.l1Size.toString(16)}: L1 table is too large; snapshot table entry corrupted`);
      counts.corruptions++;
      continue;
    }
    await refs.countL1(snapshot.l1Offset, snapshot.l1Size, false);
  }
  refs.add(state.snapshots.offset, state.snapshots.size);
  refs.add(state.refcounts.reftableOffset, state.refcounts.reftableClusters * g.clusterSize);
  if (state.header.bitmaps) {
    refs.add(state.header.bitmaps.directoryOffset, state.header.bitmaps.directorySize);
    for (const bitmap of await readBitmapDirectory(state)) {
      for (const { offset, length } of await bitmapClusters(state, bitmap)) refs.add(offset, length);
    }
  }
  countRefcountBlocks(state, refs, report);
  return refs;
}

/** QEMU's check_refblocks: each block is referenced once, aligned, inside the file. */
function countRefcountBlocks(state: Qcow2State, refs: References, report: (line: string) => void): void {
  const g = state.geometry;
  const clusters = g.clustersFor(state.host.length);
  for (let i = 0; i < state.refcounts.tableEntries; i++) {
    const raw = state.refcounts.rawEntry(i);
    const offset = state.refcounts.blockOffset(i);
    if (raw.lo & REFTABLE_RESERVED_LO) {
      report(`ERROR refcount table entry ${i} has reserved bits set`);
      refs.result.corruptions++;
      refs.rebuild = true;
      continue;
    }
    if (offset === 0) continue;
    if (offset % g.clusterSize !== 0) {
      report(`ERROR refcount block ${i} is not cluster aligned; refcount table entry corrupted`);
      refs.result.corruptions++;
      refs.rebuild = true;
      continue;
    }
    if (g.clusterIndex(offset) >= clusters) {
      report(`ERROR refcount block ${i} is outside image`);
      refs.result.corruptions++;
      refs.rebuild = true;
      continue;
    }
    refs.add(offset, g.clusterSize);
    if (refs.get(g.clusterIndex(offset)) !== 1) {
      report(`ERROR refcount block ${i} refcount=${refs.get(g.clusterIndex(offset))}`);
      refs.result.corruptions++;
      refs.rebuild = true;
    }
  }
}

/** Compare stored refcounts with the references found, fixing what `repair` allows. */
async function compareRefcounts(state: Qcow2State, refs: References, counts: CheckCounts, repair: Repair, report: (line: string) => void): Promise<void> {
  const clusters = Math.max(refs.counts.length, state.geometry.clustersFor(state.host.length));
  const fileClusters = state.geometry.clustersFor(state.host.length);
  for (let i = 0; i < clusters; i++) {
    const stored = await state.refcounts.get(i);
    const found = refs.get(i);
    if (stored === found || (i >= fileClusters && found === 0)) continue;
    if (stored === 0) refs.rebuild = true;
    const leak = stored > found;
    const fix = leak ? repair !== undefined : repair === 'all' && stored > 0;
    if (fix) {
      report(`Repairing cluster ${i} refcount=${stored} reference=${found}`);
      await state.refcounts.adjust(i, found - stored, 'always');
      if (leak) counts.leaksFixed++;
      else counts.corruptionsFixed++;
      continue;
    }
    report(`${leak ? 'Leaked' : 'ERROR'} cluster ${i} refcount=${stored} reference=${found}`);
    if (leak) counts.leaks++;
    else counts.corruptions++;
  }
  await state.refcounts.flush();
}

/** The COPIED flag of every active L1 and L2 entry says whether the cluster's refcount is 1. */
async function checkCopiedFlags(state: Qcow2State, counts: CheckCounts, fix: boolean, report: (line: string) => void): Promise<void> {
  const g = state.geometry;
  const dataFile = state.hasDataFile();
  const prefix = fix ? 'Repairing' : 'ERROR';
  for (let i = 0; i < state.l1.size; i++) {
    const l2Offset = state.l1.l2Offset(i);
    if (l2Offset === 0 || l2Offset % g.clusterSize !== 0) continue;
    const refcount = await state.refcounts.get(g.clusterIndex(l2Offset));
    if ((refcount === 1) !== state.l1.copied(i)) {
      report(`${prefix} OFLAG_COPIED L2 cluster: l1_index=${i} l1_entry=${hex64(state.l1.hi(i), state.l1.lo(i))} refcount=${refcount}`);
      if (fix) {
        await state.l1.set(i, l2Offset, refcount === 1);
        counts.corruptionsFixed++;
      } else counts.corruptions++;
    }
    const table = await state.l2Cache.get(l2Offset);
    for (let j = 0; j < g.l2Entries; j++) {
      const entry = readL2Entry(table, j, g);
      const type = clusterType(entry, g, dataFile);
      if (type !== 'normal' && type !== 'zero-alloc') continue;
      const offset = entryOffset(entry.hi, entry.lo);
      const rc = dataFile ? 1 : await state.refcounts.get(g.clusterIndex(offset));
      if ((rc === 1) === ((entry.hi & COPIED_HI) !== 0)) continue;
      report(`${prefix} OFLAG_COPIED data cluster: l2_entry=${hex64(entry.hi, entry.lo)} refcount=${rc}`);
      if (!fix) {
        counts.corruptions++;
        continue;
      }
      const current = await state.l2Cache.get(l2Offset);
      writeL2Entry(current, j, g, { ...entry, hi: rc === 1 ? (entry.hi | COPIED_HI) >>> 0 : entry.hi & ~COPIED_HI });
      state.l2Cache.markDirty(l2Offset);
      counts.corruptionsFixed++;
    }
  }
  if (fix) await state.flushMetadata();
}
