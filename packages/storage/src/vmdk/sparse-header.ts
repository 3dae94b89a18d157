import { corruptImage, invalidArgument, invalidOperation, systemError, unsupported } from '../errors.js';
import {
  COMPRESSION_DEFLATE,
  CREATE_DESC_SECTORS,
  CREATE_GRAIN_SECTORS,
  CREATE_GTES_PER_GT,
  FLAG_COMPRESS,
  FLAG_MARKER,
  FLAG_NL_DETECT,
  FLAG_RGD,
  FLAG_ZERO_GRAIN,
  MAX_GRAIN_SECTORS,
  MAX_GTES_PER_GT,
  MAX_L1_SIZE,
  MAX_SPARSE_FILE_SECTORS,
  SECTOR,
  VMDK4_MAGIC,
} from './constants.js';

/**
 * The header of a hosted sparse extent ("KDMV"), field by field. The u64
 * fields stay bigints until they have been validated: they come from the
 * file and may hold anything.
 */
export interface SparseHeader {
  version: number;
  flags: number;
  capacity: bigint;
  granularity: bigint;
  descOffset: bigint;
  descSize: bigint;
  gtesPerGt: number;
  rgdOffset: bigint;
  gdOffset: bigint;
  grainOffset: bigint;
  compressAlgorithm: number;
}

const INT64_MAX = (1n << 63n) - 1n;

/** Bytes of the header that carry fields (the rest of sector 0 is padding). */
export const SPARSE_HEADER_BYTES = 79;

export function decodeSparseHeader(buf: Buffer): SparseHeader {
  return {
    version: buf.readUInt32LE(4),
    flags: buf.readUInt32LE(8),
    capacity: buf.readBigUInt64LE(12),
    granularity: buf.readBigUInt64LE(20),
    descOffset: buf.readBigUInt64LE(28),
    descSize: buf.readBigUInt64LE(36),
    gtesPerGt: buf.readUInt32LE(44),
    rgdOffset: buf.readBigUInt64LE(48),
    gdOffset: buf.readBigUInt64LE(56),
    grainOffset: buf.readBigUInt64LE(64),
    // byte 72 is VMware's uncleanShutdown flag and 73..76 the newline check bytes: neither is read
    compressAlgorithm: buf.readUInt16LE(77),
  };
}

/** One sector holding the header, as QEMU writes it (check bytes "\n \r\n", zero padding). */
export function encodeSparseHeader(header: SparseHeader): Buffer {
  const buf = Buffer.alloc(SECTOR);
  buf.writeUInt32BE(VMDK4_MAGIC, 0);
  buf.writeUInt32LE(header.version, 4);
  buf.writeUInt32LE(header.flags, 8);
  buf.writeBigUInt64LE(header.capacity, 12);
  buf.writeBigUInt64LE(header.granularity, 20);
  buf.writeBigUInt64LE(header.descOffset, 28);
  buf.writeBigUInt64LE(header.descSize, 36);
  buf.writeUInt32LE(header.gtesPerGt, 44);
  buf.writeBigUInt64LE(header.rgdOffset, 48);
  buf.writeBigUInt64LE(header.gdOffset, 56);
  buf.writeBigUInt64LE(header.grainOffset, 64);
  buf.set([0x0a, 0x20, 0x0d, 0x0a], 73);
  buf.writeUInt16LE(header.compressAlgorithm, 77);
  return buf;
}

/** The geometry of a sparse extent once its header has passed QEMU's checks; offsets in bytes. */
export interface SparseGeometry {
  /** Extent size in sectors. */
  sectors: number;
  grainSectors: number;
  gtEntries: number;
  /** Grain directory entries. */
  l1Size: number;
  gdOffset: number;
  /** The redundant grain directory, when the RGD flag says it is kept. */
  rgdOffset: number | undefined;
  /** The first sector available to grains: everything before it is metadata. */
  dataStartSector: number;
  compressed: boolean;
  markers: boolean;
  zeroGrains: boolean;
  version: number;
}

/**
 * Check a header as QEMU does, in QEMU's order and with its messages, and
 * derive the extent's geometry. `fileSectors` is the extent file's length
 * in sectors, rounded up.
 */
export function validateSparseHeader(header: SparseHeader, fileSectors: number, readOnly: boolean): SparseGeometry {
  const compressed = header.compressAlgorithm === COMPRESSION_DEFLATE;
  if (header.version > 3) throw unsupported(`Unsupported VMDK version ${header.version}`);
  // version 3 adds change tracking that we would not maintain; VMware allows reading such extents as version 1
  if (header.version === 3 && !readOnly && !compressed) throw invalidOperation('VMDK version 3 must be read only');
  if (header.gtesPerGt > MAX_GTES_PER_GT) throw corruptImage('L2 table size too big');
  // QEMU keeps this product in 32 bits; a product wrapping to 0 is what it calls invalid
  const l1EntrySectors = (BigInt(header.gtesPerGt) * header.granularity) & 0xffffffffn;
  if (l1EntrySectors === 0n) throw corruptImage('L1 entry size is invalid');
  if (BigInt(fileSectors) < header.grainOffset) {
    throw corruptImage(`File truncated, expecting at least ${BigInt.asIntN(64, header.grainOffset * BigInt(SECTOR))} bytes`);
  }
  if (header.granularity > BigInt(MAX_GRAIN_SECTORS)) throw corruptImage('Invalid granularity, image may be corrupt');
  // QEMU rounds up in 64 bits: a capacity near 2^64 wraps to a small directory, and fails as a disk size below
  const l1Size = BigInt.asUintN(64, header.capacity + l1EntrySectors - 1n) / l1EntrySectors;
  if (l1Size > BigInt(MAX_L1_SIZE)) throw corruptImage('L1 size too big');
  if (header.capacity > INT64_MAX / BigInt(SECTOR)) {
    throw systemError('Could not refresh total sector count', Object.assign(new Error('EFBIG'), { code: 'EFBIG' }));
  }
  if (header.capacity * BigInt(SECTOR) > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw unsupported(`Unsupported VMDK extent capacity of ${header.capacity} sectors`);
  }
  return {
    sectors: Number(header.capacity),
    grainSectors: Number(header.granularity),
    gtEntries: header.gtesPerGt,
    l1Size: Number(l1Size),
    gdOffset: sectorsToBytes(header.gdOffset),
    rgdOffset: header.flags & FLAG_RGD ? sectorsToBytes(header.rgdOffset) : undefined,
    dataStartSector: Number(header.grainOffset),
    compressed,
    markers: (header.flags & FLAG_MARKER) !== 0,
    zeroGrains: (header.flags & FLAG_ZERO_GRAIN) !== 0,
    version: header.version,
  };
}

/**
 * A table offset in bytes. Offsets too large to address lie far past the
 * end of any file, where QEMU reads zeros: they are clamped to a place that
 * still reads as zeros.
 */
function sectorsToBytes(sectors: bigint): number {
  const bytes = sectors * BigInt(SECTOR);
  return bytes > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(bytes);
}

/** What QEMU lays out for a new sparse extent of `bytes` (a multiple of 512): header fields and table places. */
export interface SparseLayout {
  header: SparseHeader;
  gdSectors: number;
  gtCount: number;
  gtSectors: number;
}

export interface SparseCreateOptions {
  compressed: boolean;
  zeroedGrain: boolean;
}

/**
 * The layout QEMU creates: header, 20 descriptor sectors, the redundant
 * grain directory and its tables, then the primary directory and its
 * tables, all tables preallocated, and grains from the next 64 KiB boundary.
 * Sizes whose tables could not be addressed (or reopened) are refused,
 * where QEMU would silently write a wrapped, too small directory.
 */
export function sparseLayout(bytes: number, options: SparseCreateOptions): SparseLayout {
  const capacity = bytes / SECTOR;
  const grains = Math.ceil(capacity / CREATE_GRAIN_SECTORS);
  const gtSectors = Math.ceil((CREATE_GTES_PER_GT * 4) / SECTOR);
  const gtCount = Math.ceil(grains / CREATE_GTES_PER_GT);
  if (gtCount > MAX_L1_SIZE) throw invalidArgument(`Image size ${bytes} is too large for a VMDK sparse extent (L1 size too big)`);
  const gdSectors = Math.ceil((gtCount * 4) / SECTOR);
  const rgdOffset = 1 + CREATE_DESC_SECTORS;
  const gdOffset = rgdOffset + gdSectors + gtSectors * gtCount;
  const metadataEnd = gdOffset + gdSectors + gtSectors * gtCount;
  const grainOffset = Math.ceil(metadataEnd / CREATE_GRAIN_SECTORS) * CREATE_GRAIN_SECTORS;
  if (grainOffset >= MAX_SPARSE_FILE_SECTORS) throw invalidArgument(`Image size ${bytes} is too large for a VMDK sparse extent`);
  const version = options.compressed ? 3 : options.zeroedGrain ? 2 : 1;
  const flags =
    FLAG_RGD | FLAG_NL_DETECT | (options.compressed ? FLAG_COMPRESS | FLAG_MARKER : 0) | (options.zeroedGrain ? FLAG_ZERO_GRAIN : 0);
  return {
    header: {
      version,
      flags,
      capacity: BigInt(capacity),
      granularity: BigInt(CREATE_GRAIN_SECTORS),
      descOffset: 1n,
      descSize: BigInt(CREATE_DESC_SECTORS),
      gtesPerGt: CREATE_GTES_PER_GT,
      rgdOffset: BigInt(rgdOffset),
      gdOffset: BigInt(gdOffset),
      grainOffset: BigInt(grainOffset),
      compressAlgorithm: options.compressed ? COMPRESSION_DEFLATE : 0,
    },
    gdSectors,
    gtCount,
    gtSectors,
  };
}
