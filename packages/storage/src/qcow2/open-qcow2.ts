import type { BlockDevice, ImageFormat } from '../block/device.js';
import { corruptImage, invalidArgument, invalidOperation, prefixError, unsupported } from '../errors.js';
import type { OpenContext } from '../formats.js';
import { ImageFile } from '../io/image-file.js';
import { openInChain } from '../open.js';
import { besideFile } from '../vmdk/names.js';
import {
  AUTOCLEAR_DATA_FILE_RAW,
  AUTOCLEAR_MASK,
  COMPRESSION_ZLIB,
  COMPRESSION_ZSTD,
  CRYPT_AES,
  CRYPT_LUKS,
  CRYPT_NONE,
  FEATURE_INCOMPATIBLE,
  INCOMPAT_COMPRESSION,
  INCOMPAT_CORRUPT,
  INCOMPAT_DATA_FILE,
  INCOMPAT_DIRTY,
  INCOMPAT_EXTL2,
  INCOMPAT_MASK,
  L2_CACHE_BYTES,
  MAX_CLUSTER_BITS,
  MAX_L1_ENTRIES,
  MAX_REFTABLE_BYTES,
  MAX_SNAPSHOTS,
  MIN_CACHED_TABLES,
  MIN_CLUSTER_BITS,
  QCOW2_MAGIC,
  REFCOUNT_CACHE_BYTES,
  V3_HEADER_LENGTH,
  V3_MIN_HEADER_LENGTH,
} from './constants.js';
import { Corruption } from './corruption.js';
import { parseExtensions, type Extensions } from './extensions.js';
import { Geometry } from './geometry.js';
import { readRawHeader, type ImageHeader, type RawHeader } from './header.js';
import { HostFile } from './host-file.js';
import { ActiveL1 } from './l1-table.js';
import { Refcounts } from './refcounts.js';
import { readSnapshotTable, SnapshotTableError } from './snapshot-table.js';
import { Qcow2State } from './state.js';
import { TableCache } from './table-cache.js';

/** Offsets and sizes from the header, checked to be usable as numbers. */
const MAX_OFFSET = Number.MAX_SAFE_INTEGER;

export type Qcow2OpenOptions = OpenContext;

/**
 * Read and validate an image's metadata, in QEMU's order and with its
 * messages (to which callers prefix "Could not open 'file': "), and open
 * its data file and backing chain. Nothing is sized by a header field
 * before that field has been checked against QEMU's limits and the file.
 */
export async function openQcow2State(path: string, options: Qcow2OpenOptions): Promise<Qcow2State> {
  const file = await ImageFile.open(path, { readOnly: options.readOnly, cache: options.cache });
  let dataFile: ImageFile | undefined;
  let backing: BlockDevice | undefined;
  try {
    const host = await HostFile.open(file);
    const head = Buffer.alloc(V3_HEADER_LENGTH);
    await file.read(0, head, 'zeros');
    const raw = readRawHeader(head);
    checkFixedHeader(raw);
    const clusterSize = 2 ** raw.clusterBits;
    const cluster = Buffer.alloc(clusterSize);
    await file.read(0, cluster, 'zeros');
    const extensionsEnd = raw.backingFileOffset !== 0n ? Number(raw.backingFileOffset) : clusterSize;
    const extensions = readExtensions(cluster, raw, extensionsEnd);
    checkIncompatibleFeatures(raw, extensions);
    if ((raw.incompatible & INCOMPAT_CORRUPT) !== 0n && !options.readOnly && !options.forCheck) {
      throw invalidOperation('qcow2: Image is corrupt; cannot be opened read/write');
    }
    const geometry = checkGeometry(raw);
    const pointers = checkTablePointers(raw, geometry, host.length, options.forCheck ?? false, options.readOnly);
    const header = buildImageHeader(raw, cluster, extensions);
    // no key can be given here, so an encrypted image is only ever described, as qemu-img info does without one
    if (raw.cryptMethod !== CRYPT_NONE && !options.metadataOnly) throw invalidArgument("Parameter 'encrypt.key-secret' is required for cipher");

    // tables cut off by the end of the file read as zeros, as QEMU reads them (only read-only opens get here with one)
    const l1 = Buffer.alloc(pointers.l1Size * 8);
    if (l1.length > 0) await file.read(pointers.l1Offset, l1, 'zeros', 'the L1 table');
    const reftable = Buffer.alloc(pointers.reftableClusters * clusterSize);
    if (reftable.length > 0) await file.read(pointers.reftableOffset, reftable, 'zeros', 'the refcount table');

    if (header.dataFile !== undefined || (header.incompatible & INCOMPAT_DATA_FILE) !== 0n) {
      dataFile = await openDataFile(path, header, options);
    }
    if (header.backingFile !== undefined && options.openBacking) {
      backing = await openBacking(path, header, options);
    }

    let state: Qcow2State | undefined;
    const corruption = new Corruption(
      path,
      () => !(state?.readOnly ?? true),
      () => state!.markCorrupt(),
    );
    const l2Cache = new TableCache(host, clusterSize, cacheTables(L2_CACHE_BYTES, clusterSize), 'L2 table');
    const blocks = new TableCache(host, clusterSize, cacheTables(REFCOUNT_CACHE_BYTES, clusterSize), 'refcount block');
    const refcounts = new Refcounts(host, geometry, reftable, pointers.reftableOffset, blocks, l2Cache, corruption);
    const snapshots = { list: [] as Awaited<ReturnType<typeof readSnapshotTable>>['snapshots'], offset: pointers.snapshotsOffset, size: 0 };
    if (raw.nbSnapshots > 0) {
      const table = await readSnapshots(file, pointers.snapshotsOffset, raw.nbSnapshots, header.size);
      snapshots.list = table.snapshots;
      snapshots.size = table.size;
    }
    const dataHost = dataFile ? await HostFile.open(dataFile) : (header.incompatible & INCOMPAT_DATA_FILE) !== 0n ? undefined : host;
    state = new Qcow2State(
      path,
      host,
      dataHost,
      geometry,
      header,
      new ActiveL1(host, clusterSize, l1, pointers.l1Offset),
      refcounts,
      l2Cache,
      corruption,
      snapshots,
      backing,
      options.readOnly,
    );
    if (!options.readOnly) await prepareForWriting(state, raw);
    return state;
  } catch (err) {
    await backing?.close().catch(() => undefined);
    await dataFile?.close().catch(() => undefined);
    await file.close().catch(() => undefined);
    throw err;
  }
}

/** Checks 1-7 of QEMU's open: the fields that say how to read the rest. */
function checkFixedHeader(raw: RawHeader): void {
  // a header cut short reads as zeros past the end, as in QEMU: the length checks below name what is missing
  if (raw.magic !== QCOW2_MAGIC) throw corruptImage('Image is not in qcow2 format');
  if (raw.version !== 2 && raw.version !== 3) throw unsupported(`Unsupported qcow2 version ${raw.version}`);
  if (raw.clusterBits < MIN_CLUSTER_BITS || raw.clusterBits > MAX_CLUSTER_BITS) {
    throw unsupported(`Unsupported cluster size: 2^${raw.clusterBits}`);
  }
  const clusterSize = 2 ** raw.clusterBits;
  if (raw.version >= 3) {
    if (raw.headerLength < V3_MIN_HEADER_LENGTH) throw corruptImage('qcow2 header too short');
    if (raw.headerLength > clusterSize) throw corruptImage('qcow2 header exceeds cluster size');
  }
  if (raw.backingFileOffset > BigInt(clusterSize)) throw corruptImage('Invalid backing file offset');
  if (raw.compressionType !== COMPRESSION_ZLIB && raw.compressionType !== COMPRESSION_ZSTD) {
    throw unsupported(`qcow2: unknown compression type: ${raw.compressionType}`);
  }
  const flagged = (raw.incompatible & INCOMPAT_COMPRESSION) !== 0n;
  if (raw.compressionType === COMPRESSION_ZLIB && flagged) {
    throw corruptImage('qcow2: Compression type incompatible feature bit must not be set');
  }
  if (raw.compressionType !== COMPRESSION_ZLIB && !flagged) {
    throw corruptImage('qcow2: Compression type incompatible feature bit must be set');
  }
}

function readExtensions(cluster: Buffer, raw: RawHeader, end: number): Extensions {
  const context = { clusterSize: cluster.length, version: raw.version, cryptMethod: raw.cryptMethod, autoclear: raw.autoclear };
  const found = parseExtensions(cluster, raw.headerLength, end, context, (raw.incompatible & ~INCOMPAT_MASK) !== 0n);
  if (typeof found === 'string') throw corruptImage(found);
  return found;
}

/** Unknown incompatible features, named from the image's own feature table where it has them. */
function checkIncompatibleFeatures(raw: RawHeader, extensions: Extensions): void {
  let unknown = raw.incompatible & ~INCOMPAT_MASK;
  if (unknown === 0n) return;
  const names: string[] = [];
  for (const feature of extensions.featureNames) {
    const bit = 1n << BigInt(feature.bit);
    if (feature.type === FEATURE_INCOMPATIBLE && (unknown & bit) !== 0n) {
      names.push(feature.name);
      unknown &= ~bit;
    }
  }
  if (unknown !== 0n) names.push(`Unknown incompatible feature: ${unknown.toString(16)}`);
  throw unsupported(`Unsupported qcow2 feature(s): ${names.join(', ')}`);
}

function checkGeometry(raw: RawHeader): Geometry {
  const extendedL2 = (raw.incompatible & INCOMPAT_EXTL2) !== 0n;
  if (extendedL2 && 2 ** raw.clusterBits < 16384) throw unsupported(`Unsupported subcluster size: ${2 ** raw.clusterBits / 32}`);
  if (raw.refcountOrder > 6) throw unsupported('Reference count entry width too large; may not exceed 64 bits');
  if (raw.cryptMethod !== CRYPT_NONE && raw.cryptMethod !== CRYPT_AES && raw.cryptMethod !== CRYPT_LUKS) {
    throw unsupported(`Unsupported encryption method ${raw.cryptMethod}`);
  }
  return new Geometry(raw.clusterBits, extendedL2, raw.refcountOrder);
}

interface CheckedPointers {
  l1Size: number;
  l1Offset: number;
  reftableOffset: number;
  reftableClusters: number;
  snapshotsOffset: number;
}

/**
 * Checks 12-16: the tables lie where they can be and are no larger than QEMU
 * allows. QEMU opens an image whose tables lie past the end of the file and
 * reads them as zeros; so do read-only opens here (info, map, check show
 * what QEMU shows), but writing through such tables would hand out clusters
 * that are in use, so a writable open refuses.
 */
function checkTablePointers(raw: RawHeader, g: Geometry, fileLength: number, forCheck: boolean, readOnly: boolean): CheckedPointers {
  const cs = g.clusterSize;
  const aligned = (offset: bigint): boolean => offset % BigInt(cs) === 0n;
  if (raw.refcountTableClusters === 0 && !forCheck) throw corruptImage('Image does not contain a reference count table');
  if (raw.refcountTableClusters * cs > MAX_REFTABLE_BYTES) throw corruptImage('Reference count table too large');
  const reftableEnd = raw.refcountTableOffset + BigInt(raw.refcountTableClusters * cs);
  if (!aligned(raw.refcountTableOffset) || reftableEnd > BigInt(MAX_OFFSET)) throw corruptImage('Reference count table offset invalid');
  if (!readOnly && raw.refcountTableClusters > 0 && Number(reftableEnd) > fileLength) throw corruptImage('Reference count table lies past the end of the file');
  if (!forCheck) {
    if (raw.nbSnapshots > MAX_SNAPSHOTS) throw corruptImage('Snapshot table too large');
    if (!aligned(raw.snapshotsOffset) || raw.snapshotsOffset > BigInt(MAX_OFFSET)) throw corruptImage('Snapshot table offset invalid');
  }
  if (raw.l1Size > MAX_L1_ENTRIES) throw corruptImage('Active L1 table too large');
  if (!aligned(raw.l1TableOffset) || raw.l1TableOffset > BigInt(MAX_OFFSET)) throw corruptImage('Active L1 table offset invalid');
  const size = raw.size - (raw.size % 512n);
  const needed = (size + BigInt(cs * g.l2Entries) - 1n) / BigInt(cs * g.l2Entries);
  if (needed > 0x7fffffffn || size > BigInt(MAX_OFFSET)) throw corruptImage('Image is too big');
  if (BigInt(raw.l1Size) < needed) throw corruptImage('L1 table is too small');
  const l1Offset = Number(raw.l1TableOffset);
  if (!readOnly && raw.l1Size > 0 && l1Offset + raw.l1Size * 8 > fileLength) throw corruptImage('Active L1 table lies past the end of the file');
  return {
    l1Size: raw.l1Size,
    l1Offset,
    reftableOffset: Number(raw.refcountTableOffset),
    reftableClusters: raw.refcountTableClusters,
    // check mode reads the table itself, and reports a bad offset
    snapshotsOffset: raw.snapshotsOffset > BigInt(MAX_OFFSET) ? 0 : Number(raw.snapshotsOffset),
  };
}

function buildImageHeader(raw: RawHeader, cluster: Buffer, extensions: Extensions): ImageHeader {
  const header: ImageHeader = {
    version: raw.version,
    clusterBits: raw.clusterBits,
    size: Number(raw.size - (raw.size % 512n)),
    cryptMethod: raw.cryptMethod,
    incompatible: raw.incompatible,
    compatible: raw.compatible,
    autoclear: raw.autoclear,
    refcountOrder: raw.refcountOrder,
    compressionType: raw.compressionType,
    unknownFields: raw.version >= 3 ? Buffer.from(cluster.subarray(V3_HEADER_LENGTH, Math.max(V3_HEADER_LENGTH, raw.headerLength))) : Buffer.alloc(0),
    unknownExtensions: extensions.unknown,
  };
  if (extensions.backingFormat !== undefined) header.backingFormat = extensions.backingFormat;
  if (extensions.dataFile !== undefined) header.dataFile = extensions.dataFile;
  if (extensions.crypto) header.crypto = extensions.crypto;
  if (extensions.bitmaps) header.bitmaps = extensions.bitmaps;
  if ((raw.autoclear & AUTOCLEAR_DATA_FILE_RAW) !== 0n && (raw.incompatible & INCOMPAT_DATA_FILE) === 0n) {
    throw invalidArgument('data-file-raw requires a data file');
  }
  if (raw.backingFileOffset !== 0n) {
    const offset = Number(raw.backingFileOffset);
    if (raw.backingFileSize > Math.min(1023, cluster.length - offset)) throw corruptImage('Backing file name too long');
    header.backingFile = cluster.toString('latin1', offset, offset + raw.backingFileSize);
  }
  return header;
}

async function openDataFile(path: string, header: ImageHeader, { readOnly, cache }: OpenContext): Promise<ImageFile | undefined> {
  if (header.dataFile === undefined) {
    if (readOnly) return undefined;
    throw invalidArgument("'data-file' is required for this image");
  }
  if ((header.incompatible & INCOMPAT_DATA_FILE) === 0n) return undefined;
  try {
    return await ImageFile.open(besideFile(path, header.dataFile), { readOnly, cache });
  } catch (err) {
    // qemu-img info shows such an image all the same; reads and writes then fail
    if (readOnly) return undefined;
    throw err;
  }
}

async function openBacking(path: string, header: ImageHeader, context: OpenContext): Promise<BlockDevice> {
  const backingPath = besideFile(path, header.backingFile!);
  const format = header.backingFormat as ImageFormat | undefined;
  try {
    // a backing file is only ever read through this image
    return (await openInChain(backingPath, format, { ...context, readOnly: true, forCheck: false })).device;
  } catch (err) {
    throw prefixError('Could not open backing file', err);
  }
}

async function readSnapshots(file: ImageFile, offset: number, count: number, size: number): Promise<Awaited<ReturnType<typeof readSnapshotTable>>> {
  const reader = async (at: number, length: number): Promise<Buffer> => {
    const buf = Buffer.alloc(length);
    await file.read(at, buf, 'error', 'the snapshot table');
    return buf;
  };
  try {
    return await readSnapshotTable(reader, offset, count, size, false);
  } catch (err) {
    if (err instanceof SnapshotTableError) throw corruptImage(`${err.message}\n${err.hint}`);
    throw err;
  }
}

/** Tables per cache: a byte budget, but never fewer than a handful. */
function cacheTables(bytes: number, clusterSize: number): number {
  return Math.max(MIN_CACHED_TABLES, Math.floor(bytes / clusterSize));
}

/** What QEMU does to an image opened for writing: drop unknown autoclear bits and stale bitmaps. */
async function prepareForWriting(state: Qcow2State, raw: RawHeader): Promise<void> {
  const header = state.header;
  if (header.version >= 3 && (header.autoclear & ~AUTOCLEAR_MASK) !== 0n) {
    header.autoclear &= AUTOCLEAR_MASK;
    await state.rewriteHeader();
  }
  if ((raw.incompatible & INCOMPAT_DIRTY) !== 0n) state.needsRepair = true;
}
