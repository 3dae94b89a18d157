import type { ImageDescription, InfoValue, SnapshotInfo } from '../block/introspect.js';
import { besideFile } from '../vmdk/names.js';
import { readBitmapDirectory } from './bitmaps.js';
import { COMPAT_LAZY_REFCOUNTS, COMPRESSION_ZSTD, CRYPT_AES, CRYPT_NONE, INCOMPAT_CORRUPT, INCOMPAT_DATA_FILE, INCOMPAT_DIRTY, INCOMPAT_EXTL2 } from './constants.js';
import type { SnapshotRecord } from './snapshot-table.js';
import type { Qcow2State } from './state.js';

/**
 * What qemu-img info shows for a qcow2 image: the header's flags and the
 * format-specific block, keyed and ordered as qemu-img prints them; the
 * disk size counts the image file alone (as the installed qemu-img does,
 * even with an external data file).
 */
export async function describeImage(state: Qcow2State): Promise<ImageDescription> {
  const header = state.header;
  const description: ImageDescription = {
    format: 'qcow2',
    virtualSize: header.size,
    actualSize: await state.host.allocatedSize(),
    clusterSize: state.clusterSize,
    dirtyFlag: (header.incompatible & INCOMPAT_DIRTY) !== 0n,
    formatSpecific: { type: 'qcow2', data: await formatSpecific(state) },
  };
  if (header.cryptMethod !== CRYPT_NONE) description.encrypted = true;
  if (header.backingFile !== undefined) {
    description.backingFilename = header.backingFile;
    description.fullBackingFilename = besideFile(state.path, header.backingFile);
    if (header.backingFormat !== undefined) description.backingFormat = header.backingFormat;
  }
  if (state.snapshots.list.length > 0) description.snapshots = state.snapshots.list.map(snapshotInfo);
  return description;
}

async function formatSpecific(state: Qcow2State): Promise<{ [key: string]: InfoValue }> {
  const header = state.header;
  const compressionType = header.compressionType === COMPRESSION_ZSTD ? 'zstd' : 'zlib';
  if (header.version < 3) {
    const v2: { [key: string]: InfoValue } = { compat: '0.10', 'compression-type': compressionType, 'refcount-bits': state.geometry.refcountBits };
    if (header.cryptMethod !== CRYPT_NONE) v2.encrypt = encryptionInfo(header.cryptMethod);
    return v2;
  }
  const data: { [key: string]: InfoValue } = {
    compat: '1.1',
    'compression-type': compressionType,
    'lazy-refcounts': (header.compatible & COMPAT_LAZY_REFCOUNTS) !== 0n,
  };
  const bitmaps = await readBitmapDirectory(state);
  if (bitmaps.length > 0) {
    data.bitmaps = bitmaps.map((b) => ({
      flags: [...(b.inUse ? ['in-use'] : []), ...(b.auto ? ['auto'] : [])],
      name: b.name,
      granularity: b.granularity,
    }));
  }
  data['refcount-bits'] = state.geometry.refcountBits;
  if (header.cryptMethod !== CRYPT_NONE) data.encrypt = encryptionInfo(header.cryptMethod);
  if (header.dataFile !== undefined) data['data-file'] = header.dataFile;
  if ((header.incompatible & INCOMPAT_DATA_FILE) !== 0n) data['data-file-raw'] = state.dataFileIsRaw();
  data.corrupt = (header.incompatible & INCOMPAT_CORRUPT) !== 0n;
  data['extended-l2'] = (header.incompatible & INCOMPAT_EXTL2) !== 0n;
  return data;
}

/** The encryption block of info; the details of a LUKS header are not read (no key handling here). */
function encryptionInfo(cryptMethod: number): { [key: string]: InfoValue } {
  return { format: cryptMethod === CRYPT_AES ? 'aes' : 'luks' };
}

export function snapshotInfo(record: SnapshotRecord): SnapshotInfo {
  return {
    id: record.id,
    name: record.name,
    vmStateSize: record.vmStateSize,
    dateSec: record.dateSec,
    dateNsec: record.dateNsec,
    vmClockSec: Number(record.vmClockNsec / 1_000_000_000n),
    vmClockNsec: Number(record.vmClockNsec % 1_000_000_000n),
    icount: Number(record.icount),
  };
}
