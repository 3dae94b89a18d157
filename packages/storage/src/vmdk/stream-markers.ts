import { corruptImage } from '../errors.js';
import { MARKER_END_OF_STREAM, MARKER_FOOTER, SECTOR, VMDK4_MAGIC } from './constants.js';
import { decodeSparseHeader, type SparseHeader } from './sparse-header.js';

/*
 * Markers of the streamOptimized format. A compressed grain starts with a
 * grain marker (u64 lba, u32 size, then `size` bytes of zlib data). VMware's
 * streams also carry metadata markers, one sector each (u64 sectors that
 * follow, u32 0, u32 type), before each grain table, the grain directory,
 * the footer, and at the end of the stream.
 */

/** Bytes of a grain marker before the compressed data. */
export const GRAIN_MARKER_BYTES = 12;

/** A compressed grain record: marker and data, padded with zeros to whole sectors. */
export function encodeGrainRecord(lba: number, compressed: Buffer): Buffer {
  const length = GRAIN_MARKER_BYTES + compressed.length;
  const record = Buffer.alloc(Math.ceil(length / SECTOR) * SECTOR);
  record.writeBigUInt64LE(BigInt(lba), 0);
  record.writeUInt32LE(compressed.length, 8);
  compressed.copy(record, GRAIN_MARKER_BYTES);
  return record;
}

/** Bytes a stream's tail holds: footer marker, footer, end-of-stream marker. */
export const STREAM_TAIL_BYTES = 3 * SECTOR;

/**
 * The header copy in a stream's footer, from the last three sectors of the
 * file, when they are what QEMU requires: a footer marker (size 0, type 3),
 * a header with the KDMV magic, and an end-of-stream marker (all zero but
 * the padding). Anything else is QEMU's "Invalid footer".
 */
export function decodeStreamTail(tail: Buffer): SparseHeader {
  const footerMarker = tail.subarray(0, SECTOR);
  const footer = tail.subarray(SECTOR, 2 * SECTOR);
  const endMarker = tail.subarray(2 * SECTOR, 3 * SECTOR);
  const valid =
    footerMarker.readUInt32LE(8) === 0 &&
    footerMarker.readUInt32LE(12) === MARKER_FOOTER &&
    footer.readUInt32BE(0) === VMDK4_MAGIC &&
    endMarker.readBigUInt64LE(0) === 0n &&
    endMarker.readUInt32LE(8) === 0 &&
    endMarker.readUInt32LE(12) === MARKER_END_OF_STREAM;
  if (!valid) throw corruptImage('Invalid footer');
  return decodeSparseHeader(footer);
}
