import { VirtError } from '@virt/core-api';
import { corruptImage, systemError, unsupported } from '../errors.js';
import type { OpenContext } from '../formats.js';
import { ImageFile } from '../io/image-file.js';
import { openInChain } from '../open.js';
import { DESC_SIZE, EMBEDDED_DESC_OFFSET, MAX_DESCRIPTOR_BYTES, SECTOR } from './constants.js';
import { descriptorText, parseDescriptorFile, readCidField, readParentHint, type DescriptorFile, type ExtentLine } from './descriptor-parse.js';
import { DescriptorStore } from './descriptor-store.js';
import type { Extent } from './extent.js';
import { FlatExtent } from './flat-extent.js';
import { besideFile } from './names.js';
import { embeddedDescriptorOnly, openSeSparse, openSparseFile, readHead, type ExtentFileContext } from './open-extent.js';
import { TableCache } from './table-cache.js';
import { VmdkImage } from './vmdk-image.js';

/** Grain tables and directory pages kept in memory per image. */
const TABLE_CACHE_BYTES = 8 << 20;

/**
 * Open a VMDK: a monolithic sparse file (its own single extent, with the
 * descriptor embedded at 0x200) or a descriptor file naming the extents.
 * Failures carry QEMU's messages for the same problem ("Invalid footer",
 * "Could not open 'x-flat.vmdk': No such file or directory"), to which
 * qemu-img (and virt-img) prefix "Could not open 'x.vmdk': ".
 */
export async function openVmdk(path: string, context: OpenContext): Promise<VmdkImage> {
  const file = await ImageFile.open(path, { readOnly: context.readOnly, cache: context.cache });
  const opened: ImageFile[] = [file];
  try {
    return await openOpened(path, file, context, opened);
  } catch (err) {
    await Promise.allSettled(opened.map((f) => f.close()));
    throw err;
  }
}

async function openOpened(path: string, file: ImageFile, context: OpenContext, opened: ImageFile[]): Promise<VmdkImage> {
  const cache = new TableCache(TABLE_CACHE_BYTES);
  const { head, length } = await readHead(file);
  const sparse = head.toString('latin1', 0, 4) === 'KDMV' || head.toString('latin1', 0, 4) === 'COWD';
  const embeddedOnly = embeddedDescriptorOnly(head);

  let extents: Extent[];
  let createType: string;
  if (sparse && !embeddedOnly) {
    const extent = await openSparseFile({ file, type: '', readOnly: context.readOnly, cache, diskOffset: 0 }, head, length);
    extents = [extent];
    createType = extent.compressed ? 'streamOptimized' : head.toString('latin1', 0, 4) === 'KDMV' ? 'monolithicSparse' : '';
  } else {
    const at = embeddedOnly ? Number(embeddedOnly.descOffset) * SECTOR : 0;
    const bytes = Buffer.alloc(Math.min(length, MAX_DESCRIPTOR_BYTES));
    if (at <= Number.MAX_SAFE_INTEGER - bytes.length) await file.read(at, bytes, 'zeros');
    const descriptor = parseDescriptorFile(descriptorText(bytes));
    extents = await openExtents(path, descriptor, context, cache, opened);
    createType = extents.some((e) => e.compressed) ? 'streamOptimized' : descriptor.createType;
  }
  // QEMU would assert and abort on an image without extents
  if (extents.length === 0) throw corruptImage('invalid VMDK image descriptor: no usable extent');
  const size = extents.reduce((total, e) => total + e.size, 0);
  if (!Number.isSafeInteger(size)) throw unsupported(`Unsupported image size of ${size} bytes`);

  // CIDs and the parent hint are read where QEMU reads them: at 0x200 of a sparse file, else at 0
  const descOffset = sparse ? EMBEDDED_DESC_OFFSET : 0;
  const area = Buffer.alloc(DESC_SIZE - 1);
  await file.read(descOffset, area, 'zeros');
  const text = descriptorText(area);
  // QEMU fails these without a message of its own: its block layer then says "Could not open 'x': Invalid argument"
  const einval = (): Error => systemError(`Could not open '${path}'`, Object.assign(new Error('EINVAL'), { code: 'EINVAL' }));
  const hint = readParentHint(text);
  if (hint && 'malformed' in hint) throw einval();
  const cid = readCidField(text, 'CID');
  const parentCid = readCidField(text, 'parentCID');
  if (cid === undefined || parentCid === undefined) throw einval();

  const descriptor = new DescriptorStore(file, descOffset, text, descriptorRoom(sparse, head, text), cid);
  const backingName = hint?.name;
  const backingPath = backingName === undefined ? undefined : besideFile(path, backingName);
  let backing;
  if (backingPath !== undefined && context.openBacking) {
    try {
      ({ device: backing } = await openInChain(backingPath, 'vmdk', { ...context, readOnly: true, probed: false }));
    } catch (err) {
      throw prefixed('Could not open backing file', err);
    }
  }
  return new VmdkImage({
    path,
    readOnly: context.readOnly,
    extents,
    descriptor,
    separateDescriptor: !extents.some((e) => e.file === file),
    parentCid,
    createType,
    backingName,
    backingPath,
    backing,
  });
}

/**
 * Open the extents a descriptor lists, in order; relative names are taken
 * in the descriptor's folder. A problem in an extent file names that file
 * (QEMU's message alone would not say which extent it is about).
 */
async function openExtents(path: string, descriptor: DescriptorFile, context: OpenContext, cache: TableCache, opened: ImageFile[]): Promise<Extent[]> {
  const extents: Extent[] = [];
  let diskOffset = 0;
  for (const line of descriptor.extents) {
    const file = await ImageFile.open(besideFile(path, line.fileName), { readOnly: context.readOnly, cache: context.cache });
    opened.push(file);
    const fileContext = { file, type: line.type, readOnly: context.readOnly, cache, diskOffset };
    let extent: Extent;
    try {
      extent = await openExtent(fileContext, line);
    } catch (err) {
      throw err instanceof Error && err.message.includes(file.path) ? err : prefixed(`Could not open '${file.path}'`, err);
    }
    extents.push(extent);
    diskOffset += extent.size;
  }
  return extents;
}

async function openExtent(context: ExtentFileContext, line: ExtentLine): Promise<Extent> {
  const { file } = context;
  switch (line.type) {
    case 'FLAT':
    case 'VMFS':
      return new FlatExtent(file, line.type, line.sectors * SECTOR, line.flatOffset * SECTOR);
    case 'SPARSE':
    case 'VMFSSPARSE': {
      const { head, length } = await readHead(file);
      if (embeddedDescriptorOnly(head)) throw unsupported('the extent is itself a descriptor, which is not supported');
      // a sparse extent's size is its header's capacity, whatever the line says (as in QEMU)
      return openSparseFile(context, head, length);
    }
    case 'SESPARSE':
      return openSeSparse(context);
  }
}

/**
 * Bytes the descriptor text may take when a CID line has to be added: the
 * area the header reserves in a monolithic sparse file (at most what QEMU
 * reads), as much as QEMU parses of a descriptor file.
 */
function descriptorRoom(sparse: boolean, head: Buffer, text: string): number {
  if (!sparse) return MAX_DESCRIPTOR_BYTES;
  if (head.toString('latin1', 0, 4) === 'KDMV' && head.readBigUInt64LE(28) === 1n) {
    return Math.min(Number(head.readBigUInt64LE(36)) * SECTOR, DESC_SIZE);
  }
  return text.length + 1;
}

/** "<prefix>: <reason>", keeping the error's code. */
function prefixed(prefix: string, err: unknown): VirtError {
  if (!(err instanceof VirtError)) return systemError(prefix, err);
  return new VirtError(err.code, err.domain, `${prefix}: ${err.message}`, err.level, err.extras);
}
