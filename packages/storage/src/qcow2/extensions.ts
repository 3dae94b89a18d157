import {
  CRYPT_LUKS,
  EXT_BACKING_FORMAT,
  EXT_BITMAPS,
  EXT_CRYPTO_HEADER,
  EXT_DATA_FILE,
  EXT_END,
  EXT_FEATURE_TABLE,
  FEATURE_NAME_ENTRY_SIZE,
  MAX_BITMAP_DIRECTORY_SIZE,
  MAX_BITMAPS,
  AUTOCLEAR_BITMAPS,
} from './constants.js';

/** The bitmaps extension: where the persistent dirty bitmaps' directory is. */
export interface BitmapsExtension {
  count: number;
  directorySize: number;
  directoryOffset: number;
}

/** A header extension this implementation does not interpret, kept to be written back. */
export interface UnknownExtension {
  type: number;
  data: Buffer;
}

export interface FeatureName {
  type: number;
  bit: number;
  name: string;
}

/** What the header extensions say. */
export interface Extensions {
  backingFormat?: string;
  dataFile?: string;
  crypto?: { offset: number; length: number };
  bitmaps?: BitmapsExtension;
  /** The bitmaps extension was there but the autoclear bit says it is stale (QEMU drops it). */
  staleBitmaps: boolean;
  featureNames: FeatureName[];
  /** In file order. */
  unknown: UnknownExtension[];
}

export interface ExtensionContext {
  clusterSize: number;
  version: number;
  cryptMethod: number;
  autoclear: bigint;
}

/**
 * Parse the extension area [start, end) of the header cluster `head`,
 * with QEMU's checks; a problem is returned as QEMU's message (the caller
 * words the error). `lenient` keeps what could be read when the area is
 * malformed (QEMU does so to name unknown features).
 */
export function parseExtensions(head: Buffer, start: number, end: number, context: ExtensionContext, lenient = false): Extensions | string {
  const found: Extensions = { staleBitmaps: false, featureNames: [], unknown: [] };
  let offset = start;
  while (offset < end) {
    if (offset + 8 > head.length) return lenient ? found : 'Header extension too large';
    const type = head.readUInt32BE(offset);
    const length = head.readUInt32BE(offset + 4);
    offset += 8;
    if (offset > end || length > end - offset) return lenient ? found : 'Header extension too large';
    const data = head.subarray(offset, offset + length);
    const problem = readExtension(type, data, context, found);
    if (problem === 'end') return found;
    if (problem !== undefined) return lenient ? found : problem;
    offset += Math.ceil(length / 8) * 8;
  }
  return found;
}

function readExtension(type: number, data: Buffer, context: ExtensionContext, found: Extensions): string | 'end' | undefined {
  switch (type) {
    case EXT_END:
      return 'end';
    case EXT_BACKING_FORMAT:
      if (data.length >= 16) return `ERROR: ext_backing_format: len=${data.length} too large (>=16)`;
      found.backingFormat = data.toString('latin1');
      return undefined;
    case EXT_FEATURE_TABLE:
      for (let at = 0; at + FEATURE_NAME_ENTRY_SIZE <= data.length; at += FEATURE_NAME_ENTRY_SIZE) {
        const raw = data.subarray(at + 2, at + FEATURE_NAME_ENTRY_SIZE);
        const nul = raw.indexOf(0);
        found.featureNames.push({ type: data[at]!, bit: data[at + 1]!, name: raw.toString('latin1', 0, nul < 0 ? raw.length : nul) });
      }
      return undefined;
    case EXT_CRYPTO_HEADER:
      if (context.cryptMethod !== CRYPT_LUKS) return 'CRYPTO header extension only expected with LUKS encryption method';
      if (data.length !== 16) return `CRYPTO header extension size ${data.length}, but expected size 16`;
      {
        const offset = Number(data.readBigUInt64BE(0));
        if (offset % context.clusterSize !== 0) return `Encryption header offset '${offset}' is not a multiple of cluster size '${context.clusterSize}'`;
        found.crypto = { offset, length: Number(data.readBigUInt64BE(8)) };
      }
      return undefined;
    case EXT_BITMAPS:
      return readBitmaps(data, context, found);
    case EXT_DATA_FILE:
      found.dataFile = data.toString('latin1');
      return undefined;
    default:
      found.unknown.push({ type, data: Buffer.from(data) });
      return undefined;
  }
}

function readBitmaps(data: Buffer, context: ExtensionContext, found: Extensions): string | undefined {
  if (data.length !== 24) return 'bitmaps_ext: Invalid extension length';
  if ((context.autoclear & AUTOCLEAR_BITMAPS) === 0n) {
    found.staleBitmaps = true;
    return undefined;
  }
  if (data.readUInt32BE(4) !== 0) return 'bitmaps_ext: Reserved field is not zero';
  const count = data.readUInt32BE(0);
  const directorySize = data.readBigUInt64BE(8);
  const directoryOffset = data.readBigUInt64BE(16);
  if (count > MAX_BITMAPS) return `bitmaps_ext: Image has ${count} bitmaps, exceeding the QEMU supported maximum of ${MAX_BITMAPS}`;
  if (count === 0) return 'found bitmaps extension with zero bitmaps';
  if (directoryOffset % BigInt(context.clusterSize) !== 0n || directoryOffset > BigInt(Number.MAX_SAFE_INTEGER)) {
    return 'bitmaps_ext: invalid bitmap directory offset';
  }
  if (directorySize > BigInt(MAX_BITMAP_DIRECTORY_SIZE)) {
    return `bitmaps_ext: bitmap directory size (${directorySize}) exceeds the maximum supported size (${MAX_BITMAP_DIRECTORY_SIZE})`;
  }
  found.bitmaps = { count, directorySize: Number(directorySize), directoryOffset: Number(directoryOffset) };
  return undefined;
}

/** One extension as written: type, length, data padded to 8 bytes. */
export function extensionBytes(type: number, data: Buffer): Buffer {
  const out = Buffer.alloc(8 + Math.ceil(data.length / 8) * 8);
  out.writeUInt32BE(type >>> 0, 0);
  out.writeUInt32BE(data.length, 4);
  data.copy(out, 8);
  return out;
}
