import { corruptImage } from '../errors.js';
import { MAX_GRAIN_SECTORS, MAX_L1_SIZE } from './constants.js';

/** A COWD (VMDK3) extent's geometry: ESX 2.x and GSX sparse files. Offsets in bytes. */
export interface CowdGeometry {
  sectors: number;
  grainSectors: number;
  gdOffset: number;
  l1Size: number;
  /** COWD grain tables always hold 4096 entries. */
  gtEntries: number;
}

export const COWD_GT_ENTRIES = 4096;

/**
 * Read the fields QEMU uses from a COWD header (the first 44 bytes).
 * QEMU validates none of them; the checks here are the ones QEMU applies
 * to every sparse extent, plus a grain size of 0, on which QEMU would
 * divide by zero.
 */
export function decodeCowdHeader(buf: Buffer): CowdGeometry {
  const sectors = buf.readUInt32LE(12);
  const grainSectors = buf.readUInt32LE(16);
  const gdSector = buf.readUInt32LE(20);
  const l1Size = buf.readUInt32LE(24);
  if (grainSectors === 0) throw corruptImage('L1 entry size is invalid');
  if (grainSectors > MAX_GRAIN_SECTORS) throw corruptImage('Invalid granularity, image may be corrupt');
  if (l1Size > MAX_L1_SIZE) throw corruptImage('L1 size too big');
  return { sectors, grainSectors, gdOffset: gdSector * 512, l1Size, gtEntries: COWD_GT_ENTRIES };
}
