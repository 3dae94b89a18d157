import { corruptImage, unsupported } from '../errors.js';
import { MAX_L1_SIZE, SECTOR } from './constants.js';

/*
 * seSparse ("space efficient sparse", ESXi 6.5+) is undocumented; QEMU
 * reads it under strict checks, and so do we: a const header in sector 0
 * (26 little-endian u64), a volatile header, a grain directory of u64
 * entries, grain tables of 4096 u64 entries, 4 KiB grains.
 */

const CONST_MAGIC = 0xcafebaben;
const VOLATILE_MAGIC = 0xcafecafen;
const SUPPORTED_VERSION = 0x0000000200000001n;
const FIELDS_BYTES = 26 * 8;

/** Offsets in bytes. */
export interface SeSparseGeometry {
  sectors: number;
  grainSectors: number;
  gtEntries: number;
  gdOffset: number;
  l1Size: number;
  /** Sector where grain table 0 starts; a directory entry holds a table index. */
  gtAreaSector: bigint;
  /** Sector where grain 0 starts; a table entry holds a grain index. */
  grainAreaSector: bigint;
  volatileHeaderOffset: bigint;
}

const hex16 = (value: bigint): string => `0x${value.toString(16).padStart(16, '0')}`;

/** Check the const header as QEMU does (same order, same messages). */
export function decodeSeSparseConstHeader(buf: Buffer): SeSparseGeometry {
  const field = (index: number): bigint => buf.readBigUInt64LE(index * 8);
  const magic = field(0);
  if (magic !== CONST_MAGIC) throw corruptImage(`Bad const header magic: ${hex16(magic)}`);
  const version = field(1);
  if (version !== SUPPORTED_VERSION) throw unsupported(`Unsupported version: ${hex16(version)}`);
  const grainSize = field(3);
  if (grainSize !== 8n) throw unsupported(`Unsupported grain size: ${grainSize}`);
  const gtSize = field(4);
  if (gtSize !== 64n) throw unsupported(`Unsupported grain table size: ${gtSize}`);
  const flags = field(5);
  if (flags !== 0n) throw unsupported(`Unsupported flags: ${hex16(flags)}`);
  const reserved = [field(6), field(7), field(8), field(9)];
  if (reserved.some((r) => r !== 0n)) throw unsupported(`Unsupported reserved bits: ${reserved.map(hex16).join(' ')}`);
  if (buf.subarray(FIELDS_BYTES, SECTOR).some((b) => b !== 0)) throw unsupported('Unsupported non-zero const header padding');

  const capacity = field(2);
  const l1Size = (field(17) * BigInt(SECTOR)) / 8n;
  if (l1Size > BigInt(MAX_L1_SIZE)) throw corruptImage('L1 size too big');
  if (capacity * BigInt(SECTOR) > BigInt(Number.MAX_SAFE_INTEGER)) throw unsupported(`Unsupported seSparse capacity of ${capacity} sectors`);
  const gdOffset = field(16) * BigInt(SECTOR);
  return {
    sectors: Number(capacity),
    grainSectors: 8,
    gtEntries: (64 * SECTOR) / 8,
    gdOffset: gdOffset > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(gdOffset),
    l1Size: Number(l1Size),
    gtAreaSector: field(18),
    grainAreaSector: field(24),
    volatileHeaderOffset: field(10) * BigInt(SECTOR),
  };
}

/** Check the volatile header (one sector) as QEMU does. */
export function checkSeSparseVolatileHeader(buf: Buffer): void {
  const magic = buf.readBigUInt64LE(0);
  if (magic !== VOLATILE_MAGIC) throw corruptImage(`Bad volatile header magic: ${hex16(magic)}`);
  if (buf.readBigUInt64LE(24) !== 0n) throw unsupported('Image is dirty, Replaying journal not supported');
  if (buf.subarray(32, SECTOR).some((b) => b !== 0)) throw unsupported('Unsupported non-zero volatile header padding');
}
