import { FIRST_BLOCK, zeroBuffer } from '../block/ranges.js';
import { invalidArgument, unsupported } from '../errors.js';
import type { CreateRequest } from '../formats.js';
import { ImageFile } from '../io/image-file.js';
import { probeFile } from '../open.js';
import { DESC_SIZE, EMBEDDED_DESC_OFFSET, SECTOR, SPLIT_EXTENT_BYTES } from './constants.js';
import { formatDescriptor, randomCid } from './descriptor-format.js';
import { baseName, besideFile, extentNaming } from './names.js';
import { openVmdk } from './open-vmdk.js';
import { encodeSparseHeader, sparseLayout } from './sparse-header.js';

const SUBFORMATS = ['monolithicSparse', 'monolithicFlat', 'twoGbMaxExtentSparse', 'twoGbMaxExtentFlat', 'streamOptimized'] as const;
type Subformat = (typeof SUBFORMATS)[number];
const ADAPTER_TYPES = ['ide', 'buslogic', 'lsilogic', 'legacyESX'];
/** Ours, and the host file's (which QEMU accepts for vmdk and then ignores: it preallocates nothing). */
const KNOWN_OPTIONS = new Set([
  'adapter_type',
  'backing_file',
  'backing_fmt',
  'compat6',
  'hwversion',
  'toolsversion',
  'subformat',
  'zeroed_grain',
  'preallocation',
  'nocow',
  'extent_size_hint',
]);

/** The options of `qemu-img create -f vmdk`, checked as qemu-img checks them. */
interface VmdkCreateOptions {
  size: number;
  subformat: Subformat;
  adapterType: string;
  hwVersion: string;
  toolsVersion: string;
  zeroedGrain: boolean;
  backingFile: string | undefined;
}

/**
 * Create a VMDK as qemu-img does: the same files, names, headers, tables
 * and descriptor text (only the random CID differs). Where qemu-img would
 * create an image that cannot be opened again (size 0; sizes whose grain
 * directory wraps), it is refused instead.
 */
export async function createVmdk(request: CreateRequest): Promise<void> {
  const options = parseOptions(request);
  const naming = extentNaming(request.path);
  const flat = options.subformat === 'monolithicFlat' || options.subformat === 'twoGbMaxExtentFlat';
  const split = options.subformat === 'twoGbMaxExtentSparse' || options.subformat === 'twoGbMaxExtentFlat';
  const compressed = options.subformat === 'streamOptimized';
  const parentCid = options.backingFile === undefined ? 0xffffffff : await parentCidOf(request.path, options.backingFile);

  const extentLines: string[] = [];
  if (!split && !flat) {
    extentLines.push(`RW ${options.size / SECTOR} SPARSE "${baseName(naming.descriptor)}"`);
  } else {
    const extentBytes = split ? SPLIT_EXTENT_BYTES : options.size;
    for (let index = 1, created = 0; created < options.size; index++) {
      const bytes = Math.min(options.size - created, extentBytes);
      const path = naming.extent(index, flat, split);
      if (flat) await createFlatExtent(path, bytes);
      else await createSparseExtent(path, bytes, { compressed, zeroedGrain: options.zeroedGrain });
      extentLines.push(flat ? `RW ${bytes / SECTOR} FLAT "${baseName(path)}" 0` : `RW ${bytes / SECTOR} SPARSE "${baseName(path)}"`);
      created += bytes;
    }
  }
  const text = formatDescriptor({
    cid: randomCid(),
    parentCid,
    createType: options.subformat,
    ...(options.backingFile === undefined ? {} : { parentHint: options.backingFile }),
    extentLines,
    hwVersion: options.hwVersion,
    adapterType: options.adapterType,
    heads: options.adapterType === 'ide' ? 16 : 255,
    diskBytes: options.size,
    toolsVersion: options.toolsVersion,
  });
  if (!split && !flat) {
    if (Buffer.byteLength(text) >= DESC_SIZE) throw invalidArgument('The descriptor does not fit in the 10240 bytes reserved for it (backing file name too long?)');
    await createSparseExtent(naming.descriptor, options.size, { compressed, zeroedGrain: options.zeroedGrain }, text);
  } else {
    await writeNewFile(naming.descriptor, async (file) => file.write(0, Buffer.from(text, 'utf8')));
  }
}

function parseOptions(request: CreateRequest): VmdkCreateOptions {
  const given = request.options ?? {};
  const unknown = Object.keys(given).find((key) => !KNOWN_OPTIONS.has(key));
  if (unknown !== undefined) throw invalidArgument(`Invalid parameter '${unknown}'`);
  const compat6 = booleanOption(given, 'compat6');
  const zeroedGrain = booleanOption(given, 'zeroed_grain');
  // checked as qemu-img checks it, then ignored as QEMU ignores it for vmdk
  booleanOption(given, 'nocow');
  const backingFormat = request.backingFormat ?? given.backing_fmt;
  if (backingFormat !== undefined && backingFormat !== 'vmdk') throw invalidArgument('backing_file must be a vmdk image');
  const adapterType = given.adapter_type ?? 'ide';
  if (!ADAPTER_TYPES.includes(adapterType)) throw invalidArgument(`invalid parameter value: ${adapterType}`);
  const subformat = (given.subformat ?? 'monolithicSparse') as Subformat;
  if (!SUBFORMATS.includes(subformat)) throw invalidArgument(`invalid parameter value: ${subformat}`);
  // "undefined" is the option's default, meaning "not set"
  let hwVersion = given.hwversion === 'undefined' ? undefined : given.hwversion;
  if (compat6) {
    if (hwVersion !== undefined) throw invalidArgument('compat6 cannot be enabled with hwversion set');
    hwVersion = '6';
  }
  const flat = subformat === 'monolithicFlat' || subformat === 'twoGbMaxExtentFlat';
  const backingFile = request.backingFile ?? given.backing_file;
  if (flat && backingFile !== undefined) throw unsupported("Flat image can't have backing file");
  if (flat && zeroedGrain) throw unsupported("Flat image can't enable zeroed grain");
  const preallocation = request.preallocation ?? given.preallocation ?? 'off';
  if (preallocation === 'metadata') throw unsupported('Unsupported preallocation mode: metadata');
  if (!['off', 'falloc', 'full'].includes(preallocation)) throw invalidArgument(`invalid parameter value: ${preallocation}`);
  if (backingFile !== undefined && /["\r\n]/.test(backingFile)) throw invalidArgument(`The backing file name '${backingFile}' cannot be written in a VMDK descriptor`);
  // qemu-img rounds the size up to whole sectors
  const size = Math.ceil(request.size / SECTOR) * SECTOR;
  if (size === 0) throw invalidArgument('A VMDK image must not be empty (QEMU cannot open the image it creates for size 0)');
  return { size, subformat, adapterType, hwVersion: hwVersion ?? '4', toolsVersion: given.toolsversion ?? '2147483647', zeroedGrain, backingFile };
}

/** on/off, as qemu-img parses booleans. */
function booleanOption(options: Readonly<Record<string, string>>, name: string): boolean {
  const value = options[name];
  if (value === undefined) return false;
  if (['on', 'yes', 'true', 'y'].includes(value)) return true;
  if (['off', 'no', 'false', 'n'].includes(value)) return false;
  throw invalidArgument(`Parameter '${name}' expects 'on' or 'off'`);
}

/** The CID of the parent-to-be, which must be a VMDK; a relative name is taken beside the new image. */
async function parentCidOf(target: string, backingFile: string): Promise<number> {
  const path = besideFile(target, backingFile);
  const format = await probeFile(path);
  if (format !== 'vmdk') throw invalidArgument(`Invalid backing file format: ${format}. Must be vmdk`);
  const parent = await openVmdk(path, { readOnly: true, openBacking: false, chain: [], probed: true });
  try {
    return parent.cid;
  } finally {
    await parent.close();
  }
}

async function createFlatExtent(path: string, bytes: number): Promise<void> {
  await writeNewFile(path, async (file) => {
    await file.truncate(bytes);
    // as for a raw image, the first block is written: file systems then report the alignment from the start
    await file.write(0, zeroBuffer(Math.min(bytes, FIRST_BLOCK)));
  });
}

/** A sparse extent file with QEMU's layout (and, for a monolithic file, its descriptor). */
async function createSparseExtent(path: string, bytes: number, options: { compressed: boolean; zeroedGrain: boolean }, descriptor?: string): Promise<void> {
  const layout = sparseLayout(bytes, options);
  const { header, gdSectors, gtCount, gtSectors } = layout;
  await writeNewFile(path, async (file) => {
    await file.truncate(Number(header.grainOffset) * SECTOR);
    await file.write(0, encodeSparseHeader(header));
    if (descriptor !== undefined) await file.write(EMBEDDED_DESC_OFFSET, Buffer.from(descriptor, 'utf8'));
    // the redundant directory and its tables come first, then the primary ones
    for (const directory of [Number(header.rgdOffset), Number(header.gdOffset)]) {
      await writeDirectory(file, directory, directory + gdSectors, gtCount, gtSectors);
    }
  });
}

/** A directory whose entry i points at the table `firstTable + i * gtSectors`, written a bounded chunk at a time. */
async function writeDirectory(file: ImageFile, directory: number, firstTable: number, gtCount: number, gtSectors: number): Promise<void> {
  const chunkEntries = 1 << 18;
  for (let first = 0; first < gtCount; first += chunkEntries) {
    const count = Math.min(chunkEntries, gtCount - first);
    const chunk = Buffer.alloc(count * 4);
    for (let i = 0; i < count; i++) chunk.writeUInt32LE(firstTable + (first + i) * gtSectors, i * 4);
    await file.write(directory * SECTOR + first * 4, chunk);
  }
}

/** Create (or truncate) a file, fill it, make it durable. */
async function writeNewFile(path: string, fill: (file: ImageFile) => Promise<void>): Promise<void> {
  const file = await ImageFile.open(path, { create: true, truncate: true });
  try {
    await fill(file);
    await file.flush();
  } finally {
    await file.close();
  }
}
