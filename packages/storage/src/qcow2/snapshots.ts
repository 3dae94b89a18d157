import type { SnapshotInfo, SnapshotTable } from '../block/introspect.js';
import { corruptImage, invalidArgument, invalidOperation, unsupported } from '../errors.js';
import { COPIED_HI, HEADER, MAX_L1_ENTRIES, MAX_SNAPSHOTS } from './constants.js';
import { snapshotInfo } from './describe.js';
import { clusterType, compressedExtent, entryOffset, readL2Entry, writeL2Entry } from './entries.js';
import { ActiveL1 } from './l1-table.js';
import type { FreeReason } from './refcounts.js';
import { resize } from './resize.js';
import { serializeSnapshotTable, type SnapshotRecord } from './snapshot-table.js';
import type { Qcow2State } from './state.js';
import { writeU64 } from './u64.js';

/** Runs a task with the image's lock held (exclusive: and only if the image is writable and not found corrupt). */
type Locked = <T>(task: () => Promise<T>) => Promise<T>;

/**
 * Internal snapshots (QEMU's qcow2-snapshot.c): a snapshot is a copy of
 * the active L1 table whose clusters gained a reference each, so that
 * writes to the active image copy them first.
 */
export class Qcow2Snapshots implements SnapshotTable {
  constructor(
    private readonly state: Qcow2State,
    private readonly exclusive: Locked,
    private readonly locked: Locked,
  ) {}

  async list(): Promise<SnapshotInfo[]> {
    return this.state.snapshots.list.map(snapshotInfo);
  }

  create(name: string): Promise<void> {
    return this.exclusive(() => createSnapshot(this.state, name));
  }

  apply(idOrName: string): Promise<void> {
    return this.exclusive(() => applySnapshot(this.state, idOrName));
  }

  delete(name: string): Promise<void> {
    return this.exclusive(() => deleteSnapshot(this.state, name));
  }

  loadTemporarily(id: string | undefined, name: string | undefined): Promise<void> {
    return this.locked(() => loadSnapshotTemporarily(this.state, id, name));
  }
}

/**
 * Swap the snapshot's L1 table in for the active one, in memory only: the
 * image reads as the snapshot did. The virtual size stays the image's, as
 * in QEMU; nothing may be written afterwards, hence read-only images only.
 */
async function loadSnapshotTemporarily(state: Qcow2State, id: string | undefined, name: string | undefined): Promise<void> {
  if (!state.readOnly) throw invalidOperation('Device is not readonly');
  const snapshot = state.snapshots.list.find((s) => (id === undefined || s.id === id) && (name === undefined || s.name === name));
  if (!snapshot) throw invalidArgument("Can't find snapshot");
  if (snapshot.l1Offset % state.clusterSize !== 0 || snapshot.l1Size > MAX_L1_ENTRIES) throw corruptImage('Snapshot L1 table offset invalid');
  const table = Buffer.alloc(snapshot.l1Size * 8);
  await state.host.file.read(snapshot.l1Offset, table, 'zeros', 'the snapshot L1 table');
  state.l1 = new ActiveL1(state.host, state.clusterSize, table, snapshot.l1Offset);
}

async function createSnapshot(state: Qcow2State, name: string): Promise<void> {
  const list = state.snapshots.list;
  if (state.hasDataFile()) throw unsupported(`'${state.path}': internal snapshots are not supported in images with an external data file`);
  if (list.length >= MAX_SNAPSHOTS) throw invalidArgument(`'${state.path}': too many snapshots`);
  const id = Math.max(0, ...list.map((s) => Number.parseInt(s.id, 10) || 0)) + 1;
  const now = Date.now();
  const l1 = state.l1.bytes();
  const l1Offset = await state.refcounts.allocClusters(l1.length);
  await state.refcounts.flush();
  await state.host.write(l1Offset, l1);
  const active = state.l1.bytes();
  await updateSnapshotRefcount(state, active, 1, 'never');
  await state.flushMetadata();
  state.l1.adopt(active);
  await state.l1.writeAll();
  const record: SnapshotRecord = {
    l1Offset,
    l1Size: state.l1.size,
    id: String(id),
    name,
    dateSec: Math.floor(now / 1000),
    dateNsec: (now % 1000) * 1_000_000,
    vmClockNsec: 0n,
    vmStateSize: 0,
    diskSize: state.size,
    // qemu-img zero-fills the record: an icount of 0, not "none"
    icount: 0n,
    extraDataSize: 24,
    unknownExtra: Buffer.alloc(0),
  };
  await writeSnapshotTable(state, [...list, record]);
}

async function applySnapshot(state: Qcow2State, idOrName: string): Promise<void> {
  const list = state.snapshots.list;
  const snapshot = list.find((s) => s.id === idOrName) ?? list.find((s) => s.name === idOrName);
  if (!snapshot) throw invalidArgument('Failed to load snapshot: No such file or directory');
  if (snapshot.diskSize !== state.size) await resize(state, snapshot.diskSize, 'off');
  await state.l1.grow(snapshot.l1Size, true, state.refcounts);
  const target = Buffer.alloc(state.l1.size * 8);
  await state.host.file.read(snapshot.l1Offset, target.subarray(0, snapshot.l1Size * 8), 'error', 'the snapshot L1 table');
  if (await updateSnapshotRefcount(state, target, 1, 'never')) {
    await state.host.write(snapshot.l1Offset, target.subarray(0, snapshot.l1Size * 8));
  }
  // the new references are durable before the active table points at them
  await state.flushMetadata();
  const old = state.l1.bytes();
  state.l1.adopt(target);
  await state.l1.writeAll();
  await updateSnapshotRefcount(state, old, -1, 'snapshot');
  await fixActiveCopiedFlags(state);
}

async function deleteSnapshot(state: Qcow2State, name: string): Promise<void> {
  const list = state.snapshots.list;
  const index = list.findIndex((s) => s.name === name);
  if (index < 0) throw invalidArgument('snapshot not found');
  const snapshot = list[index]!;
  await writeSnapshotTable(state, list.filter((_, i) => i !== index));
  const l1 = Buffer.alloc(snapshot.l1Size * 8);
  await state.host.file.read(snapshot.l1Offset, l1, 'error', 'the snapshot L1 table');
  await updateSnapshotRefcount(state, l1, -1, 'snapshot');
  await state.refcounts.free(snapshot.l1Offset, l1.length, 'snapshot');
  await fixActiveCopiedFlags(state);
}

/** Recompute the active tables' COPIED flags and write the L1 table if any of its flags changed. */
async function fixActiveCopiedFlags(state: Qcow2State): Promise<void> {
  const active = state.l1.bytes();
  if (await updateSnapshotRefcount(state, active, 0, 'never')) {
    state.l1.adopt(active);
    await state.l1.writeAll();
  }
  await state.flushMetadata();
}

/**
 * QEMU's qcow2_update_snapshot_refcount: move the refcount of every
 * cluster under the L1 table `l1` (its L2 tables included) by `addend`,
 * and set each COPIED flag to "refcount is 1". L2 tables are changed in
 * the cache; the L1 entries in `l1`. Returns whether `l1` changed.
 */
async function updateSnapshotRefcount(state: Qcow2State, l1: Buffer, addend: -1 | 0 | 1, reason: FreeReason): Promise<boolean> {
  const g = state.geometry;
  const refcounts = state.refcounts;
  let l1Changed = false;
  for (let i = 0; i < l1.length / 8; i++) {
    const hi = l1.readUInt32BE(i * 8);
    const l2Offset = entryOffset(hi, l1.readUInt32BE(i * 8 + 4));
    if (l2Offset === 0) continue;
    for (let j = 0; j < g.l2Entries; j++) {
      const entry = readL2Entry(await state.l2Cache.get(l2Offset), j, g);
      const type = clusterType(entry, g, state.hasDataFile());
      if (type === 'compressed') {
        const extent = compressedExtent(entry, g);
        if (addend > 0) await refcounts.addReference(extent.offset, extent.size);
        else if (addend < 0) await refcounts.free(extent.offset, extent.size, reason);
        continue;
      }
      if (type !== 'normal' && type !== 'zero-alloc') continue;
      const cluster = g.clusterIndex(entryOffset(entry.hi, entry.lo));
      if (addend !== 0) await refcounts.adjust(cluster, addend, reason);
      const copied = (await refcounts.get(cluster)) === 1;
      if (copied === ((entry.hi & COPIED_HI) !== 0)) continue;
      const table = await state.l2Cache.get(l2Offset);
      writeL2Entry(table, j, g, { ...entry, hi: copied ? (entry.hi | COPIED_HI) >>> 0 : (entry.hi & ~COPIED_HI) >>> 0 });
      state.l2Cache.markDirty(l2Offset);
    }
    if (addend !== 0) await refcounts.adjust(g.clusterIndex(l2Offset), addend, reason);
    const copied = (await refcounts.get(g.clusterIndex(l2Offset))) === 1;
    const flagged = (hi & COPIED_HI) !== 0;
    if (copied !== flagged) {
      l1.writeUInt32BE(copied ? (hi | COPIED_HI) >>> 0 : (hi & ~COPIED_HI) >>> 0, i * 8);
      l1Changed = true;
    }
    await state.trimCaches();
  }
  return l1Changed;
}

/**
 * Write the snapshot table to a new place, point the header at it (count
 * and offset in one write), then free the old one. An empty table has
 * offset 0.
 */
async function writeSnapshotTable(state: Qcow2State, list: SnapshotRecord[]): Promise<void> {
  const bytes = serializeSnapshotTable(list);
  const offset = bytes.length > 0 ? await state.refcounts.allocClusters(bytes.length) : 0;
  await state.flushMetadata();
  await state.host.write(offset, bytes);
  await state.host.barrier();
  const pointer = Buffer.alloc(12);
  pointer.writeUInt32BE(list.length, 0);
  writeU64(pointer, 4, offset);
  await state.host.write(HEADER.nbSnapshots, pointer);
  await state.host.barrier();
  const old = state.snapshots;
  state.snapshots.list = list;
  const oldOffset = old.offset;
  const oldSize = old.size;
  state.snapshots.offset = offset;
  state.snapshots.size = bytes.length;
  if (oldSize > 0) await state.refcounts.free(oldOffset, oldSize, 'other');
}
