import { MAX_SNAPSHOT_EXTRA_DATA, MAX_SNAPSHOTS_SIZE, SNAPSHOT_EXTRA_SIZE, SNAPSHOT_HEADER_SIZE } from './constants.js';
import { readU64, writeU64 } from './u64.js';

/** One internal snapshot as the table stores it. */
export interface SnapshotRecord {
  l1Offset: number;
  l1Size: number;
  id: string;
  name: string;
  dateSec: number;
  dateNsec: number;
  vmClockNsec: bigint;
  vmStateSize: number;
  /** The virtual size when the snapshot was taken. */
  diskSize: number;
  /** Instruction count; -1n when the entry has none. */
  icount: bigint;
  /** Extra data size as stored (0, 8, 16, 24 or more). */
  extraDataSize: number;
  /** Extra data past the 24 bytes QEMU knows, kept as it was. */
  unknownExtra: Buffer;
}

/** Reads bytes of the table; past the end of the file is an error. */
export type TableReader = (offset: number, length: number) => Promise<Buffer>;

export interface ReadTableResult {
  snapshots: SnapshotRecord[];
  /** Bytes from the table start to the end of the last name (no trailing padding). */
  size: number;
  /** Entries dropped in repair mode because the table was too big. */
  dropped: number;
  /** Entries whose oversized extra data was cut in repair mode. */
  truncatedExtra: number;
}

export class SnapshotTableError extends Error {
  constructor(
    message: string,
    readonly hint: string,
  ) {
    super(message);
  }
}

/**
 * Read `count` entries from `offset`. Without `repair`, oversized extra
 * data or an oversized table is an error (QEMU's messages); with it they
 * are cut, as `qemu-img check -r all` does.
 */
export async function readSnapshotTable(read: TableReader, offset: number, count: number, currentSize: number, repair: boolean): Promise<ReadTableResult> {
  const result: ReadTableResult = { snapshots: [], size: 0, dropped: 0, truncatedExtra: 0 };
  let at = offset;
  let length = 0;
  for (let i = 0; i < count; i++) {
    const entryStart = at;
    at = Math.ceil(at / 8) * 8;
    length = Math.ceil(length / 8) * 8;
    const head = await read(at, SNAPSHOT_HEADER_SIZE);
    at += SNAPSHOT_HEADER_SIZE;
    let extraSize = head.readUInt32BE(36);
    const idSize = head.readUInt16BE(12);
    const nameSize = head.readUInt16BE(14);
    let truncate = false;
    if (extraSize > MAX_SNAPSHOT_EXTRA_DATA) {
      if (!repair) {
        throw new SnapshotTableError(`Too much extra metadata in snapshot table entry ${i}`, 'You can force-remove this extra metadata with qemu-img check -r all');
      }
      result.truncatedExtra++;
      truncate = true;
    }
    const known = await read(at, Math.min(SNAPSHOT_EXTRA_SIZE, extraSize));
    at += known.length;
    let unknownExtra: Buffer = Buffer.alloc(0);
    if (extraSize > SNAPSHOT_EXTRA_SIZE) {
      const extraEnd = at + extraSize - SNAPSHOT_EXTRA_SIZE;
      if (truncate) extraSize = MAX_SNAPSHOT_EXTRA_DATA;
      unknownExtra = await read(at, extraSize - SNAPSHOT_EXTRA_SIZE);
      at = extraEnd;
    }
    const id = (await read(at, idSize)).toString('latin1');
    at += idSize;
    const name = (await read(at, nameSize)).toString('latin1');
    at += nameSize;
    length += SNAPSHOT_HEADER_SIZE + extraSize + idSize + nameSize;
    if (length > MAX_SNAPSHOTS_SIZE) {
      if (!repair) {
        throw new SnapshotTableError('Snapshot table is too big', `You can force-remove all ${count - i} overhanging snapshots with qemu-img check -r all`);
      }
      result.dropped = count - i;
      at = entryStart;
      break;
    }
    result.snapshots.push({
      l1Offset: readU64(head, 0),
      l1Size: head.readUInt32BE(8),
      id,
      name,
      dateSec: head.readUInt32BE(16),
      dateNsec: head.readUInt32BE(20),
      vmClockNsec: head.readBigUInt64BE(24),
      vmStateSize: known.length >= 8 ? Number(known.readBigUInt64BE(0)) : head.readUInt32BE(32),
      diskSize: known.length >= 16 ? Number(known.readBigUInt64BE(8)) : currentSize,
      icount: known.length >= 24 ? known.readBigInt64BE(16) : -1n,
      extraDataSize: extraSize,
      unknownExtra,
    });
  }
  result.size = at - offset;
  return result;
}

/** The bytes QEMU writes for a table: every entry with at least the 24 known bytes of extra data. */
export function serializeSnapshotTable(snapshots: readonly SnapshotRecord[]): Buffer {
  const parts: Buffer[] = [];
  let length = 0;
  for (const snapshot of snapshots) {
    const padding = Math.ceil(length / 8) * 8 - length;
    if (padding) parts.push(Buffer.alloc(padding));
    const id = Buffer.from(snapshot.id, 'latin1');
    const name = Buffer.from(snapshot.name, 'latin1');
    const head = Buffer.alloc(SNAPSHOT_HEADER_SIZE + SNAPSHOT_EXTRA_SIZE);
    writeU64(head, 0, snapshot.l1Offset);
    head.writeUInt32BE(snapshot.l1Size, 8);
    head.writeUInt16BE(id.length, 12);
    head.writeUInt16BE(name.length, 14);
    head.writeUInt32BE(snapshot.dateSec, 16);
    head.writeUInt32BE(snapshot.dateNsec, 20);
    head.writeBigUInt64BE(snapshot.vmClockNsec, 24);
    // a state too large for 32 bits reads as a disk-only snapshot to older programs
    if (snapshot.vmStateSize <= 0xffffffff) head.writeUInt32BE(snapshot.vmStateSize, 32);
    head.writeUInt32BE(SNAPSHOT_EXTRA_SIZE + snapshot.unknownExtra.length, 36);
    writeU64(head, 40, snapshot.vmStateSize);
    writeU64(head, 48, snapshot.diskSize);
    head.writeBigInt64BE(snapshot.icount, 56);
    parts.push(head, snapshot.unknownExtra, id, name);
    length += padding + head.length + snapshot.unknownExtra.length + id.length + name.length;
  }
  return Buffer.concat(parts);
}
