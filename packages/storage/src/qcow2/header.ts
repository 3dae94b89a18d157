import {
  EXT_BACKING_FORMAT,
  EXT_BITMAPS,
  EXT_CRYPTO_HEADER,
  EXT_DATA_FILE,
  EXT_END,
  EXT_FEATURE_TABLE,
  FEATURE_NAME_ENTRY_SIZE,
  FEATURE_NAMES,
  INCOMPAT_DATA_FILE,
  QCOW2_MAGIC,
  V2_HEADER_LENGTH,
  V3_HEADER_LENGTH,
} from './constants.js';
import { extensionBytes, type BitmapsExtension, type UnknownExtension } from './extensions.js';
import { writeU64 } from './u64.js';

/** The fixed header fields as stored (64-bit fields as bigints, unchecked). */
export interface RawHeader {
  magic: number;
  version: number;
  backingFileOffset: bigint;
  backingFileSize: number;
  clusterBits: number;
  size: bigint;
  cryptMethod: number;
  l1Size: number;
  l1TableOffset: bigint;
  refcountTableOffset: bigint;
  refcountTableClusters: number;
  nbSnapshots: number;
  snapshotsOffset: bigint;
  incompatible: bigint;
  compatible: bigint;
  autoclear: bigint;
  refcountOrder: number;
  headerLength: number;
  /** Present when header_length reaches past byte 104. */
  compressionType: number;
}

/** Read the fixed fields from the start of the file; v2 images get the v3 fields' implied values. */
export function readRawHeader(head: Buffer): RawHeader {
  const version = head.readUInt32BE(4);
  const v3 = version !== 2;
  const headerLength = v3 ? head.readUInt32BE(100) : V2_HEADER_LENGTH;
  return {
    magic: head.readUInt32BE(0),
    version,
    backingFileOffset: head.readBigUInt64BE(8),
    backingFileSize: head.readUInt32BE(16),
    clusterBits: head.readUInt32BE(20),
    size: head.readBigUInt64BE(24),
    cryptMethod: head.readUInt32BE(32),
    l1Size: head.readUInt32BE(36),
    l1TableOffset: head.readBigUInt64BE(40),
    refcountTableOffset: head.readBigUInt64BE(48),
    refcountTableClusters: head.readUInt32BE(56),
    nbSnapshots: head.readUInt32BE(60),
    snapshotsOffset: head.readBigUInt64BE(64),
    incompatible: v3 ? head.readBigUInt64BE(72) : 0n,
    compatible: v3 ? head.readBigUInt64BE(80) : 0n,
    autoclear: v3 ? head.readBigUInt64BE(88) : 0n,
    refcountOrder: v3 ? head.readUInt32BE(96) : 4,
    headerLength,
    compressionType: v3 && headerLength > 104 ? head[104]! : 0,
  };
}

/**
 * Everything the first cluster says that the image keeps in memory while
 * open, to rewrite the cluster the way QEMU does.
 */
export interface ImageHeader {
  version: number;
  clusterBits: number;
  /** Virtual size in bytes (a multiple of 512). */
  size: number;
  cryptMethod: number;
  incompatible: bigint;
  compatible: bigint;
  autoclear: bigint;
  refcountOrder: number;
  compressionType: number;
  /** Header bytes past the 112 QEMU knows, kept as they were. */
  unknownFields: Buffer;
  backingFile?: string;
  backingFormat?: string;
  dataFile?: string;
  crypto?: { offset: number; length: number };
  bitmaps?: BitmapsExtension;
  /** Unknown extensions, in file order. */
  unknownExtensions: UnknownExtension[];
}

/** Where the tables are: the header fields that change as the image is written. */
export interface TablePointers {
  l1Size: number;
  l1Offset: number;
  reftableOffset: number;
  reftableClusters: number;
  nbSnapshots: number;
  snapshotsOffset: number;
}

/**
 * The whole first cluster as QEMU's qcow2_update_header writes it: the
 * fixed header, the extensions in QEMU's order (unknown ones reversed, as
 * QEMU's list reverses them), the end marker, the backing file name right
 * after it, zeros to the end. Undefined when it does not fit.
 */
export function buildHeaderCluster(header: ImageHeader, pointers: TablePointers): Buffer | undefined {
  const clusterSize = 2 ** header.clusterBits;
  const out = Buffer.alloc(clusterSize);
  out.writeUInt32BE(QCOW2_MAGIC, 0);
  out.writeUInt32BE(header.version, 4);
  out.writeUInt32BE(header.clusterBits, 20);
  writeU64(out, 24, header.size);
  out.writeUInt32BE(header.cryptMethod, 32);
  out.writeUInt32BE(pointers.l1Size, 36);
  writeU64(out, 40, pointers.l1Offset);
  writeU64(out, 48, pointers.reftableOffset);
  out.writeUInt32BE(pointers.reftableClusters, 56);
  out.writeUInt32BE(pointers.nbSnapshots, 60);
  writeU64(out, 64, pointers.snapshotsOffset);
  let at = V2_HEADER_LENGTH;
  if (header.version >= 3) {
    out.writeBigUInt64BE(header.incompatible, 72);
    out.writeBigUInt64BE(header.compatible, 80);
    out.writeBigUInt64BE(header.autoclear, 88);
    out.writeUInt32BE(header.refcountOrder, 96);
    out.writeUInt32BE(V3_HEADER_LENGTH + header.unknownFields.length, 100);
    out[104] = header.compressionType;
    at = V3_HEADER_LENGTH;
    if (at + header.unknownFields.length > clusterSize) return undefined;
    header.unknownFields.copy(out, at);
    at += header.unknownFields.length;
  }

  const extensions: Buffer[] = [];
  if (header.backingFormat !== undefined) extensions.push(extensionBytes(EXT_BACKING_FORMAT, Buffer.from(header.backingFormat, 'latin1')));
  if ((header.incompatible & INCOMPAT_DATA_FILE) !== 0n && header.dataFile !== undefined) {
    extensions.push(extensionBytes(EXT_DATA_FILE, Buffer.from(header.dataFile, 'latin1')));
  }
  if (header.crypto && header.crypto.offset !== 0) {
    const data = Buffer.alloc(16);
    writeU64(data, 0, header.crypto.offset);
    writeU64(data, 8, header.crypto.length);
    extensions.push(extensionBytes(EXT_CRYPTO_HEADER, data));
  }
  // 4 KiB clusters and below leave too little room for it (QEMU's rule)
  if (header.version >= 3 && clusterSize > 4096) extensions.push(extensionBytes(EXT_FEATURE_TABLE, featureTable()));
  if (header.bitmaps) {
    const data = Buffer.alloc(24);
    data.writeUInt32BE(header.bitmaps.count, 0);
    writeU64(data, 8, header.bitmaps.directorySize);
    writeU64(data, 16, header.bitmaps.directoryOffset);
    extensions.push(extensionBytes(EXT_BITMAPS, data));
  }
  for (const ext of [...header.unknownExtensions].reverse()) extensions.push(extensionBytes(ext.type, ext.data));
  extensions.push(extensionBytes(EXT_END, Buffer.alloc(0)));
  for (const ext of extensions) {
    if (at + ext.length > clusterSize) return undefined;
    ext.copy(out, at);
    at += ext.length;
  }

  if (header.backingFile !== undefined) {
    const name = Buffer.from(header.backingFile, 'latin1');
    if (at + name.length > clusterSize) return undefined;
    name.copy(out, at);
    writeU64(out, 8, at);
    out.writeUInt32BE(name.length, 16);
  }
  return out;
}

/** QEMU's write-back order reverses unknown extensions; keep memory in the order now on disk. */
export function afterRewrite(header: ImageHeader): void {
  header.unknownExtensions.reverse();
}

function featureTable(): Buffer {
  const table = Buffer.alloc(FEATURE_NAMES.length * FEATURE_NAME_ENTRY_SIZE);
  FEATURE_NAMES.forEach((feature, i) => {
    const at = i * FEATURE_NAME_ENTRY_SIZE;
    table[at] = feature.type;
    table[at + 1] = feature.bit;
    table.write(feature.name, at + 2, 'latin1');
  });
  return table;
}
