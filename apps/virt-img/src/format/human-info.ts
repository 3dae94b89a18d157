import type { ImageInfo } from '../image/image-info.js';
import { dumpFormatSpecific } from './format-specific.js';
import { humanSize } from './size.js';
import { snapshotList } from './snapshot-table.js';

/** qemu-img info's human-readable block for one image. */
export function humanInfo(info: ImageInfo): string {
  const d = info.description;
  let text =
    `image: ${info.filename}\n` +
    `file format: ${d.format}\n` +
    `virtual size: ${humanSize(d.virtualSize)} (${d.virtualSize} bytes)\n` +
    `disk size: ${d.actualSize === undefined ? 'unavailable' : humanSize(d.actualSize)}\n`;
  if (d.encrypted) text += 'encrypted: yes\n';
  if (d.clusterSize) text += `cluster_size: ${d.clusterSize}\n`;
  if (d.dirtyFlag) text += 'cleanly shut down: no\n';
  if (d.backingFilename !== undefined) {
    text += `backing file: ${d.backingFilename}`;
    if (info.fullBackingFilename === undefined) text += ' (cannot determine actual path)';
    else if (info.fullBackingFilename !== d.backingFilename) text += ` (actual path: ${info.fullBackingFilename})`;
    text += '\n';
    if (d.backingFormat !== undefined) text += `backing file format: ${d.backingFormat}\n`;
  }
  if (d.snapshots?.length) text += snapshotList(d.snapshots);
  if (d.formatSpecific) text += `Format specific information:\n${dumpFormatSpecific(d.formatSpecific.data)}`;
  return text;
}
