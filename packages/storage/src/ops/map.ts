import type { BlockDevice, BlockStatus } from '../block/device.js';

/** One run of the disk as qemu-img map reports it. */
export interface MapEntry {
  start: number;
  length: number;
  depth: number;
  present: boolean;
  zero: boolean;
  data: boolean;
  /** Where the run lives in `file`, when it is stored uncompressed at a known place. */
  offset?: number;
  file?: string;
}

export interface MapOptions {
  start?: number;
  /** How far from `start` to walk (default: to the end of the image). */
  length?: number;
  /**
   * Keep only what is stored as data (qemu-img map's human layout): other
   * runs are reported blank, so that they merge with each other.
   */
  dataOnly?: boolean;
}

/**
 * Walk the block status of a disk through its backing chain and yield its
 * runs, neighbours that say the same thing (and, when stored, lie one after
 * the other in the same file) merged into one.
 */
export async function* mapImage(device: BlockDevice, options: MapOptions = {}): AsyncGenerator<MapEntry> {
  const start = options.start ?? 0;
  const end = Math.min(device.size, options.length === undefined ? device.size : start + options.length);
  let current: MapEntry | undefined;
  for (let pos = start; pos < end; ) {
    const status = await device.getStatus(pos, end - pos);
    const next = entryOf(pos, status, options.dataOnly ?? false);
    pos += status.length;
    if (current && mergeable(current, next)) {
      current.length += next.length;
      continue;
    }
    if (current) yield current;
    current = next;
  }
  if (current) yield current;
}

function entryOf(start: number, status: BlockStatus, dataOnly: boolean): MapEntry {
  if (dataOnly && !(status.data && !status.zero)) return { start, length: status.length, depth: 0, present: false, zero: false, data: false };
  const entry: MapEntry = { start, length: status.length, depth: status.depth, present: status.present, zero: status.zero, data: status.data };
  if (status.offset !== undefined && !status.compressed) {
    entry.offset = status.offset;
    if (status.file !== undefined) entry.file = status.file;
  }
  return entry;
}

function mergeable(a: MapEntry, b: MapEntry): boolean {
  if (a.zero !== b.zero || a.data !== b.data || a.depth !== b.depth || a.present !== b.present) return false;
  if ((a.offset === undefined) !== (b.offset === undefined) || a.file !== b.file) return false;
  return a.offset === undefined || a.offset + a.length === b.offset;
}
