import { corruptImage, invalidOperation, unsupported } from '../errors.js';
import type { ImageFile } from '../io/image-file.js';
import { GD_AT_END, SECTOR, VMDK3_MAGIC, VMDK4_MAGIC } from './constants.js';
import { CompressedExtent, MAX_COMPRESSED_GRAIN_BYTES } from './compressed-extent.js';
import { decodeCowdHeader } from './cowd-header.js';
import type { Extent } from './extent.js';
import { GrainTables } from './grain-tables.js';
import { checkSeSparseVolatileHeader, decodeSeSparseConstHeader } from './sesparse-header.js';
import { SeSparseTables } from './sesparse-tables.js';
import { decodeSparseHeader, validateSparseHeader, type SparseHeader } from './sparse-header.js';
import { SparseExtent } from './sparse-extent.js';
import { decodeStreamTail, STREAM_TAIL_BYTES } from './stream-markers.js';
import type { TableCache } from './table-cache.js';

/** What opening one sparse extent file needs. */
export interface ExtentFileContext {
  file: ImageFile;
  /** The descriptor's extent type, or '' for a monolithic file opened directly. */
  type: string;
  readOnly: boolean;
  cache: TableCache;
  /** Where the extent starts in the disk. */
  diskOffset: number;
}

/** The first sector of a file (zeros past its end, as QEMU reads it) and the file's length. */
export async function readHead(file: ImageFile): Promise<{ head: Buffer; length: number }> {
  const length = await file.size();
  if (length === 0) throw corruptImage('File is too small, not a valid image');
  const head = Buffer.alloc(SECTOR);
  await file.read(0, head, 'zeros');
  return { head, length };
}

/** A VMDK4 header whose capacity is 0 but which has a descriptor: QEMU reads that descriptor as a descriptor file. */
export function embeddedDescriptorOnly(head: Buffer): SparseHeader | undefined {
  if (head.readUInt32BE(0) !== VMDK4_MAGIC) return undefined;
  const header = decodeSparseHeader(head);
  return header.capacity === 0n && header.descOffset !== 0n ? header : undefined;
}

/** Open a SPARSE or VMFSSPARSE extent (or a monolithic file): KDMV or COWD, by its magic. */
export async function openSparseFile(context: ExtentFileContext, head: Buffer, length: number): Promise<Extent> {
  switch (head.readUInt32BE(0)) {
    case VMDK4_MAGIC:
      return openHostedSparse(context, head, length);
    case VMDK3_MAGIC:
      return openCowd(context, head, length);
    default:
      throw corruptImage('Image not in VMDK format');
  }
}

/** Why an extent opened read-only cannot be written. */
const OPENED_READ_ONLY = 'the image is opened read-only';

/**
 * A hosted sparse extent. A stream whose directory is at the end
 * (GD_AT_END, as VMware writes them) is read through the header copy in
 * its footer. Writing to such a stream is refused: new grains would land
 * after the footer, which QEMU does, leaving a file nobody can open.
 */
async function openHostedSparse(context: ExtentFileContext, head: Buffer, length: number): Promise<Extent> {
  const { file, readOnly } = context;
  let header = decodeSparseHeader(head);
  const gdAtEnd = header.gdOffset === GD_AT_END;
  if (gdAtEnd) {
    const tailAt = Math.ceil(length / SECTOR) * SECTOR - STREAM_TAIL_BYTES;
    if (tailAt < 0) throw corruptImage('Invalid footer');
    const tail = Buffer.alloc(STREAM_TAIL_BYTES);
    await file.read(tailAt, tail, 'zeros');
    header = decodeStreamTail(tail);
  }
  const geometry = validateSparseHeader(header, Math.ceil(length / SECTOR), readOnly);
  if (geometry.compressed && geometry.grainSectors * SECTOR > MAX_COMPRESSED_GRAIN_BYTES) {
    throw unsupported(`Compressed grains of ${geometry.grainSectors * SECTOR} bytes are not supported (at most ${MAX_COMPRESSED_GRAIN_BYTES})`);
  }
  const tables = new GrainTables(file, context.cache, {
    gdOffset: geometry.gdOffset,
    rgdOffset: geometry.rgdOffset,
    l1Size: geometry.l1Size,
    gtEntries: geometry.gtEntries,
    grainSectors: geometry.grainSectors,
    zeroGrains: geometry.zeroGrains,
  });
  const options = {
    file,
    type: context.type,
    sectors: geometry.sectors,
    grainSectors: geometry.grainSectors,
    map: tables,
    tables: readOnly ? OPENED_READ_ONLY : gdAtEnd ? 'writing to a stream whose grain directory is at its end (as VMware writes them) is not supported' : tables,
    dataStartSector: geometry.dataStartSector,
    fileLength: length,
  };
  if (geometry.compressed) return new CompressedExtent({ ...options, markers: geometry.markers, diskOffset: context.diskOffset });
  return new SparseExtent(options);
}

/** A COWD extent, only read: QEMU writes to them without maintaining their header, which VMware relies on. */
async function openCowd(context: ExtentFileContext, head: Buffer, length: number): Promise<Extent> {
  const geometry = decodeCowdHeader(head);
  const tables = new GrainTables(context.file, context.cache, { ...geometry, rgdOffset: undefined, zeroGrains: false });
  return new SparseExtent({
    file: context.file,
    type: context.type,
    sectors: geometry.sectors,
    grainSectors: geometry.grainSectors,
    map: tables,
    tables: context.readOnly ? OPENED_READ_ONLY : 'writing to COWD (ESX 2.x / GSX sparse) extents is not supported',
    dataStartSector: 0,
    fileLength: length,
  });
}

/** A SESPARSE extent, read-only as in QEMU. */
export async function openSeSparse(context: ExtentFileContext): Promise<Extent> {
  if (!context.readOnly) throw invalidOperation('No write support for seSparse images available');
  const { file } = context;
  const length = await file.size();
  const constHeader = Buffer.alloc(SECTOR);
  await file.read(0, constHeader, 'zeros');
  const geometry = decodeSeSparseConstHeader(constHeader);
  const volatileHeader = Buffer.alloc(SECTOR);
  if (geometry.volatileHeaderOffset + BigInt(SECTOR) <= BigInt(Number.MAX_SAFE_INTEGER)) {
    await file.read(Number(geometry.volatileHeaderOffset), volatileHeader, 'zeros');
  }
  checkSeSparseVolatileHeader(volatileHeader);
  return new SparseExtent({
    file,
    type: context.type,
    sectors: geometry.sectors,
    grainSectors: geometry.grainSectors,
    map: new SeSparseTables(file, context.cache, geometry),
    tables: OPENED_READ_ONLY,
    dataStartSector: 0,
    fileLength: length,
  });
}
