import type { CreateRequest } from '../formats.js';
import { ImageFile } from '../io/image-file.js';
import { besideFile } from '../vmdk/names.js';
import {
  AUTOCLEAR_DATA_FILE_RAW,
  COMPAT_LAZY_REFCOUNTS,
  COMPRESSION_ZLIB,
  CRYPT_NONE,
  INCOMPAT_COMPRESSION,
  INCOMPAT_DATA_FILE,
  INCOMPAT_EXTL2,
  MAX_L1_ENTRIES,
} from './constants.js';
import { Geometry } from './geometry.js';
import { buildHeaderCluster, type ImageHeader } from './header.js';
import { Qcow2Image } from './image.js';
import { imageTooLarge, parseSettings, type Qcow2Settings } from './options.js';
import { refcountCodec } from './refcount-codec.js';
import { writeU64 } from './u64.js';

/**
 * Create a qcow2 image as qemu-img does: the header in cluster 0, a
 * one-cluster refcount table in cluster 1 pointing at the refcount block
 * in cluster 2 (counting clusters 0-2); then the image is opened and
 * grown to its size (the L1 table landing in cluster 3), with the
 * preallocation asked for.
 */
export async function createQcow2(request: CreateRequest): Promise<void> {
  const settings = parseSettings({
    options: request.options ?? {},
    preallocation: request.preallocation,
    backingFile: request.backingFile,
    backingFormat: request.backingFormat,
  });
  const size = Math.ceil(request.size / 512) * 512;
  const geometry = new Geometry(settings.clusterBits, settings.extendedL2, settings.refcountOrder);
  if (geometry.l1EntriesFor(size) > MAX_L1_ENTRIES) throw imageTooLarge();

  const cs = geometry.clusterSize;
  const file = await ImageFile.open(request.path, { create: true, truncate: true });
  try {
    const header = buildHeaderCluster(newHeader(settings), {
      l1Size: 0,
      l1Offset: 0,
      reftableOffset: cs,
      reftableClusters: 1,
      nbSnapshots: 0,
      snapshotsOffset: 0,
    });
    if (!header) throw imageTooLarge();
    const reftable = Buffer.alloc(cs);
    writeU64(reftable, 0, 2 * cs);
    const refblock = Buffer.alloc(cs);
    const codec = refcountCodec(settings.refcountOrder);
    for (let cluster = 0; cluster < 3; cluster++) codec.set(refblock, cluster, 1);
    await file.write(0, Buffer.concat([header, reftable, refblock]));
    await file.flush();
  } finally {
    await file.close();
  }
  if (settings.dataFile !== undefined) {
    const data = await ImageFile.open(besideFile(request.path, settings.dataFile), { create: true, truncate: true });
    await data.close();
  }

  const image = await Qcow2Image.open(request.path, { readOnly: false, openBacking: false, chain: [], probed: false });
  try {
    await image.resize(size, { preallocation: settings.preallocation });
  } finally {
    await image.close();
  }
}

function newHeader(settings: Qcow2Settings): ImageHeader {
  let incompatible = 0n;
  if (settings.dataFile !== undefined) incompatible |= INCOMPAT_DATA_FILE;
  if (settings.compressionType !== COMPRESSION_ZLIB) incompatible |= INCOMPAT_COMPRESSION;
  if (settings.extendedL2) incompatible |= INCOMPAT_EXTL2;
  const header: ImageHeader = {
    version: settings.version,
    clusterBits: settings.clusterBits,
    size: 0,
    cryptMethod: CRYPT_NONE,
    incompatible,
    compatible: settings.lazyRefcounts ? COMPAT_LAZY_REFCOUNTS : 0n,
    autoclear: settings.dataFileRaw ? AUTOCLEAR_DATA_FILE_RAW : 0n,
    refcountOrder: settings.refcountOrder,
    compressionType: settings.compressionType,
    unknownFields: Buffer.alloc(0),
    unknownExtensions: [],
  };
  if (settings.backingFile !== undefined) header.backingFile = settings.backingFile;
  if (settings.backingFormat !== undefined) header.backingFormat = settings.backingFormat;
  if (settings.dataFile !== undefined) header.dataFile = settings.dataFile;
  return header;
}
