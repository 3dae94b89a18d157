import { TaskPool } from '../block/task-pool.js';
import { corruptImage } from '../errors.js';
import { decompressCluster } from './compress.js';
import { compressedExtent, type L2Entry } from './entries.js';
import { mapGuest, type GuestMapping } from './mapping.js';
import type { Qcow2State } from './state.js';

/** Reads and decompressions in flight for one request. */
const PARALLEL_READS = 8;

/**
 * Fill `buf` with the guest's view of the image at `offset`: host data,
 * decompressed clusters, the backing file where nothing is allocated, and
 * zeros.
 */
export async function readRange(state: Qcow2State, offset: number, buf: Buffer): Promise<void> {
  const pool = new TaskPool(PARALLEL_READS);
  let done = 0;
  try {
    while (done < buf.length) {
      const at = offset + done;
      const mapping = await mapGuest(state, at, buf.length - done);
      const piece = buf.subarray(done, done + mapping.bytes);
      await pool.add(() => readPiece(state, mapping, at, piece));
      done += mapping.bytes;
    }
  } finally {
    await pool.drain();
  }
}

async function readPiece(state: Qcow2State, mapping: GuestMapping, guestOffset: number, piece: Buffer): Promise<void> {
  switch (mapping.type) {
    case 'unallocated-plain':
    case 'unallocated-alloc':
      await readBacking(state, guestOffset, piece);
      return;
    case 'zero-plain':
    case 'zero-alloc':
      piece.fill(0);
      return;
    case 'normal':
      await state.data().readData(mapping.hostOffset, piece);
      return;
    case 'compressed':
      (await compressedCluster(state, mapping.entry, guestOffset)).copy(piece, 0, state.geometry.offsetInCluster(guestOffset));
      return;
  }
}

/** What the backing file holds at `guestOffset` (zeros past its end, or without one). */
export async function readBacking(state: Qcow2State, guestOffset: number, piece: Buffer): Promise<void> {
  const backing = state.backing;
  const available = backing ? Math.max(0, Math.min(piece.length, backing.size - guestOffset)) : 0;
  if (available > 0) await backing!.readInto(guestOffset, piece.subarray(0, available));
  piece.fill(0, available);
}

/** The whole decompressed cluster an entry points at (the last one is kept: reads often come in pieces). */
export async function compressedCluster(state: Qcow2State, entry: L2Entry, guestOffset: number): Promise<Buffer> {
  const last = state.lastDecompressed;
  if (last && last.hi === entry.hi && last.lo === entry.lo) return last.data;
  const g = state.geometry;
  const extent = compressedExtent(entry, g);
  const problem = (what: string): Error =>
    corruptImage(
      `'${state.path}': qcow2: compressed cluster for guest offset 0x${g.startOfCluster(guestOffset).toString(16)} at host offset 0x${extent.offset.toString(16)} ${what}`,
    );
  if (extent.offset >= state.host.length) throw problem('lies past the end of the file');
  const input = Buffer.alloc(extent.size);
  await state.host.readData(extent.offset, input);
  let data: Buffer;
  try {
    data = await decompressCluster(state.header.compressionType, input, g.clusterSize);
  } catch {
    throw problem('could not be decompressed: Input/output error');
  }
  state.lastDecompressed = { hi: entry.hi, lo: entry.lo, data };
  return data;
}
