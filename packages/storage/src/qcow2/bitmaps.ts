import { readU64 } from './u64.js';
import type { Qcow2State } from './state.js';

/** One persistent dirty bitmap as its directory entry describes it. */
export interface BitmapEntry {
  name: string;
  tableOffset: number;
  /** Entries in the bitmap table. */
  tableSize: number;
  inUse: boolean;
  auto: boolean;
  granularity: number;
}

const ENTRY_FIXED = 24;
const FLAG_IN_USE = 1;
const FLAG_AUTO = 2;

/**
 * The bitmap directory (read only: this implementation keeps bitmaps but
 * does not update them). Its size was checked against QEMU's cap when the
 * header was read; entries running past it end the list.
 */
export async function readBitmapDirectory(state: Qcow2State): Promise<BitmapEntry[]> {
  const ext = state.header.bitmaps;
  if (!ext) return [];
  const dir = Buffer.alloc(ext.directorySize);
  await state.host.file.read(ext.directoryOffset, dir, 'error', 'the bitmap directory');
  const entries: BitmapEntry[] = [];
  for (let at = 0; at + ENTRY_FIXED <= dir.length && entries.length < ext.count; ) {
    const flags = dir.readUInt32BE(at + 12);
    const nameSize = dir.readUInt16BE(at + 18);
    const extra = dir.readUInt32BE(at + 20);
    const nameAt = at + ENTRY_FIXED + extra;
    if (nameAt + nameSize > dir.length) break;
    entries.push({
      name: dir.toString('utf8', nameAt, nameAt + nameSize),
      tableOffset: readU64(dir, at),
      tableSize: dir.readUInt32BE(at + 8),
      inUse: (flags & FLAG_IN_USE) !== 0,
      auto: (flags & FLAG_AUTO) !== 0,
      granularity: 2 ** dir[at + 17]!,
    });
    at = Math.ceil((nameAt + nameSize) / 8) * 8;
  }
  return entries;
}

/** The clusters a bitmap owns: its table, and each data cluster the table points at. */
export async function bitmapClusters(state: Qcow2State, bitmap: BitmapEntry): Promise<{ offset: number; length: number }[]> {
  const table = Buffer.alloc(bitmap.tableSize * 8);
  await state.host.readData(bitmap.tableOffset, table);
  const owned = [{ offset: bitmap.tableOffset, length: table.length }];
  for (let i = 0; i < bitmap.tableSize; i++) {
    const offset = readU64(table, i * 8) % 2 ** 56;
    const cluster = offset - (offset % 512);
    if (cluster !== 0) owned.push({ offset: cluster, length: state.clusterSize });
  }
  return owned;
}
