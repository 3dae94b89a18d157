import type { Preallocation } from '../block/device.js';
import { invalidArgument, systemError, unsupported } from '../errors.js';
import type { CreateOptionHelp } from '../formats.js';
import { COMPRESSION_ZLIB, COMPRESSION_ZSTD, MAX_CLUSTER_BITS, MIN_CLUSTER_BITS } from './constants.js';

/** The options of qcow2 images in QEMU's declaration order (the order of create's "Formatting" line; `-o help` sorts them) and words. */
export const QCOW2_CREATE_OPTIONS: readonly CreateOptionHelp[] = [
  { name: 'encryption', type: 'bool', help: "Encrypt the image with format 'aes'. (Deprecated in favor of encrypt.format=aes)" },
  { name: 'encrypt.format', type: 'str', help: "Encrypt the image, format choices: 'aes', 'luks'" },
  { name: 'encrypt.key-secret', type: 'str', help: 'ID of secret providing qcow AES key or LUKS passphrase' },
  { name: 'encrypt.cipher-alg', type: 'str', help: 'Name of encryption cipher algorithm' },
  { name: 'encrypt.cipher-mode', type: 'str', help: 'Name of encryption cipher mode' },
  { name: 'encrypt.ivgen-alg', type: 'str', help: 'Name of IV generator algorithm' },
  { name: 'encrypt.ivgen-hash-alg', type: 'str', help: 'Name of IV generator hash algorithm' },
  { name: 'encrypt.hash-alg', type: 'str', help: 'Name of encryption hash algorithm' },
  { name: 'encrypt.iter-time', type: 'num', help: 'Time to spend in PBKDF in milliseconds' },
  { name: 'cluster_size', type: 'size', help: 'qcow2 cluster size', default: '65536' },
  { name: 'extended_l2', type: 'bool', help: 'Extended L2 tables', default: 'off' },
  { name: 'preallocation', type: 'str', help: 'Preallocation mode (allowed values: off, metadata, falloc, full)' },
  { name: 'compression_type', type: 'str', help: 'Compression method used for image cluster compression', default: 'zlib' },
  { name: 'size', type: 'size', help: 'Virtual disk size' },
  { name: 'compat', type: 'str', help: 'Compatibility level (v2 [0.10] or v3 [1.1])' },
  { name: 'backing_file', type: 'str', help: 'File name of a base image' },
  { name: 'backing_fmt', type: 'str', help: 'Image format of the base image' },
  { name: 'data_file', type: 'str', help: 'File name of an external data file' },
  { name: 'data_file_raw', type: 'bool', help: 'The external data file must stay valid as a raw image' },
  { name: 'lazy_refcounts', type: 'bool', help: 'Postpone refcount updates', default: 'off' },
  { name: 'refcount_bits', type: 'num', help: 'Width of a reference count entry in bits', default: '16' },
];

/** Options of the host file that qemu-img accepts alongside (and QEMU ignores here). */
const FILE_OPTIONS = new Set(['nocow', 'extent_size_hint']);
const PREALLOCATIONS: readonly Preallocation[] = ['off', 'metadata', 'falloc', 'full'];

/** A new image's format settings, validated as qemu-img validates them. */
export interface Qcow2Settings {
  version: 2 | 3;
  clusterBits: number;
  refcountOrder: number;
  lazyRefcounts: boolean;
  extendedL2: boolean;
  compressionType: number;
  preallocation: Preallocation;
  backingFile?: string;
  backingFormat?: string;
  dataFile?: string;
  dataFileRaw: boolean;
}

export interface SettingsInput {
  options: Readonly<Record<string, string>>;
  preallocation?: Preallocation | undefined;
  backingFile?: string | undefined;
  backingFormat?: string | undefined;
}

/** Parse and check creation options, in the order qemu-img checks them (QEMU's qcow2_co_create). */
export function parseSettings(input: SettingsInput): Qcow2Settings {
  const given = input.options;
  const known = new Set(QCOW2_CREATE_OPTIONS.map((o) => o.name));
  const unknown = Object.keys(given).find((name) => !known.has(name) && !FILE_OPTIONS.has(name));
  if (unknown !== undefined) throw invalidArgument(`Invalid parameter '${unknown}'`);
  if (given['encrypt.format'] !== undefined || booleanOption(given, 'encryption', false)) {
    // QEMU first wants the key; none can be given here, and with one there is still no encryption
    if (given['encrypt.key-secret'] === undefined) throw invalidArgument("Parameter 'encrypt.key-secret' is required for cipher");
    throw unsupported('Encrypted qcow2 images are not supported');
  }
  const backingFile = input.backingFile ?? given.backing_file;
  const backingFormat = input.backingFormat ?? given.backing_fmt;
  const version = parseCompat(given.compat ?? '1.1');
  const clusterSize = sizeOption(given, 'cluster_size', 65536);
  const extendedL2 = booleanOption(given, 'extended_l2', false);
  if (extendedL2 && version < 3) throw invalidArgument(versionMessage('Extended L2 entries are'));
  const clusterBits = Math.log2(clusterSize);
  if (!Number.isInteger(clusterBits) || clusterBits < MIN_CLUSTER_BITS || clusterBits > MAX_CLUSTER_BITS) {
    throw invalidArgument('Cluster size must be a power of two between 512 and 2048k');
  }
  if (extendedL2 && clusterSize < 16384) throw invalidArgument('Extended L2 entries are only supported with cluster sizes of at least 16384 bytes');
  const preallocationText = input.preallocation ?? given.preallocation ?? 'off';
  if (!PREALLOCATIONS.includes(preallocationText as Preallocation)) {
    throw invalidArgument(`Parameter 'preallocation' does not accept value '${preallocationText}'`);
  }
  let preallocation = preallocationText as Preallocation;
  if (backingFile !== undefined && preallocation !== 'off' && !extendedL2) {
    throw invalidArgument('Backing file and preallocation can only be used at the same time if extended_l2 is on');
  }
  if (backingFormat !== undefined && backingFile === undefined) throw invalidArgument('Backing format cannot be used without backing file');
  const lazyRefcounts = booleanOption(given, 'lazy_refcounts', false);
  if (version < 3 && lazyRefcounts) throw invalidArgument(versionMessage('Lazy refcounts', 'only supported with compatibility level 1.1 and above'));
  const refcountBits = numberOption(given, 'refcount_bits', 16);
  if (refcountBits > 64 || !Number.isInteger(Math.log2(refcountBits))) {
    throw invalidArgument('Refcount width must be a power of two and may not exceed 64 bits');
  }
  if (version < 3 && refcountBits !== 16) {
    throw invalidArgument(versionMessage('Different refcount widths than 16 bits', 'require compatibility level 1.1 or above'));
  }
  const dataFile = given.data_file;
  const dataFileRaw = booleanOption(given, 'data_file_raw', false);
  if (dataFileRaw && dataFile === undefined) throw invalidArgument('data-file-raw requires data-file');
  if (dataFileRaw && backingFile !== undefined) throw invalidArgument('Backing file and data-file-raw cannot be used at the same time');
  // a raw data file must read as the image does, so every cluster is mapped 1:1 from the start
  if (dataFileRaw && preallocation === 'off') preallocation = 'metadata';
  if (dataFile !== undefined && version < 3) throw invalidArgument(versionMessage('External data files are'));
  const compressionType = parseCompressionType(given.compression_type ?? 'zlib');
  if (compressionType !== COMPRESSION_ZLIB && version < 3) throw invalidArgument(versionMessage('Non-zlib compression type is'));

  const settings: Qcow2Settings = {
    version,
    clusterBits,
    refcountOrder: Math.log2(refcountBits),
    lazyRefcounts,
    extendedL2,
    compressionType,
    preallocation,
    dataFileRaw,
  };
  if (backingFile !== undefined) settings.backingFile = backingFile;
  if (backingFormat !== undefined) settings.backingFormat = backingFormat;
  if (dataFile !== undefined) settings.dataFile = dataFile;
  return settings;
}

/** "... only supported with compatibility level 1.1 and above (use version=v3 or greater)". */
function versionMessage(subject: string, predicate = 'only supported with compatibility level 1.1 and above'): string {
  return `${subject} ${predicate} (use version=v3 or greater)`;
}

export function parseCompat(value: string): 2 | 3 {
  if (value === '0.10' || value === 'v2') return 2;
  if (value === '1.1' || value === 'v3') return 3;
  throw invalidArgument(`Parameter 'version' does not accept value '${value}'`);
}

function parseCompressionType(value: string): number {
  if (value === 'zlib') return COMPRESSION_ZLIB;
  if (value === 'zstd') return COMPRESSION_ZSTD;
  throw invalidArgument(`Parameter 'compression-type' does not accept value '${value}'`);
}

/** on/off and their synonyms, as qemu-img reads booleans. */
export function booleanOption(options: Readonly<Record<string, string>>, name: string, fallback: boolean): boolean {
  const value = options[name];
  if (value === undefined) return fallback;
  if (['on', 'yes', 'true', 'y'].includes(value)) return true;
  if (['off', 'no', 'false', 'n'].includes(value)) return false;
  throw invalidArgument(`Parameter '${name}' expects 'on' or 'off'`);
}

const SUFFIXES: Readonly<Record<string, number>> = { b: 1, k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40, p: 2 ** 50, e: 2 ** 60 };

/** A size: bytes, or a number with one of qemu's suffixes (k, M, G...). */
export function sizeOption(options: Readonly<Record<string, string>>, name: string, fallback: number): number {
  const value = options[name];
  if (value === undefined) return fallback;
  const match = /^(\d+(?:\.\d*)?)([bkmgtpe]?)$/i.exec(value.trim());
  if (!match) throw invalidArgument(`Parameter '${name}' expects a non-negative number below 2^64`);
  return Math.round(Number(match[1]) * SUFFIXES[(match[2] || 'b').toLowerCase()]!);
}

export function numberOption(options: Readonly<Record<string, string>>, name: string, fallback: number): number {
  const value = options[name];
  if (value === undefined) return fallback;
  if (!/^(0x[0-9a-f]+|\d+)$/i.test(value)) throw invalidArgument(`Parameter '${name}' expects a number`);
  return Number(value);
}

/** The image would need tables larger than QEMU allows: EFBIG, which qemu-img words as "too large". */
export function imageTooLarge(message = "The image size is too large for file format 'qcow2' (try using a larger cluster size)"): Error {
  return systemError(message, {
    name: 'Error',
    message: 'EFBIG',
    code: 'EFBIG',
  });
}
