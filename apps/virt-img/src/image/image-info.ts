import type { BlockDevice, ImageDescription, SnapshotInfo } from '@virt/storage';
import type { JsonValue } from '../format/json.js';
import { hasIcount } from '../format/snapshot-table.js';
import { backingPath } from './backing-path.js';

/** What qemu-img info reports about one image (QEMU's ImageInfo). */
export interface ImageInfo {
  filename: string;
  description: ImageDescription;
  /** Where the backing file is, worked out from the name given for this image. */
  fullBackingFilename?: string;
}

export async function imageInfo(device: BlockDevice, filename: string): Promise<ImageInfo> {
  const description = await device.describe();
  const info: ImageInfo = { filename, description };
  if (description.backingFilename !== undefined) info.fullBackingFilename = backingPath(filename, description.backingFilename);
  return info;
}

/** A snapshot as QEMU's SnapshotInfo, members in schema order. */
export function snapshotJson(snapshot: SnapshotInfo): JsonValue {
  return {
    id: snapshot.id,
    name: snapshot.name,
    'vm-state-size': snapshot.vmStateSize,
    'date-sec': snapshot.dateSec,
    'date-nsec': snapshot.dateNsec,
    'vm-clock-sec': snapshot.vmClockSec,
    'vm-clock-nsec': snapshot.vmClockNsec,
    ...(hasIcount(snapshot) ? { icount: snapshot.icount } : {}),
  };
}

/** The ImageInfo object of qemu-img info --output=json, members in schema order (printing orders them). */
export function imageInfoJson(info: ImageInfo): JsonValue {
  const d = info.description;
  const json: Record<string, JsonValue> = { filename: info.filename, format: d.format };
  if (d.dirtyFlag !== undefined) json['dirty-flag'] = d.dirtyFlag;
  if (d.actualSize !== undefined) json['actual-size'] = d.actualSize;
  json['virtual-size'] = d.virtualSize;
  if (d.clusterSize) json['cluster-size'] = d.clusterSize;
  if (d.encrypted) json.encrypted = true;
  if (d.compressed) json.compressed = true;
  if (d.backingFilename !== undefined) json['backing-filename'] = d.backingFilename;
  if (info.fullBackingFilename !== undefined) json['full-backing-filename'] = info.fullBackingFilename;
  if (d.backingFormat !== undefined) json['backing-filename-format'] = d.backingFormat;
  if (d.snapshots?.length) json.snapshots = d.snapshots.map(snapshotJson);
  if (d.formatSpecific) json['format-specific'] = { type: d.formatSpecific.type, data: d.formatSpecific.data };
  return json;
}
