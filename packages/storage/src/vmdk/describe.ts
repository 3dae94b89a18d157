import type { ImageDescription, InfoValue } from '../block/introspect.js';
import type { Extent } from './extent.js';
import { extentsAlike, uniformGrainSize, type VmdkParts } from './vmdk-image.js';

/**
 * What qemu-img info shows for a VMDK: cluster size and dirty flag only
 * when all extents are of one kind, the descriptor's CIDs and create type,
 * and one entry per extent.
 */
export async function describeVmdk(parts: VmdkParts, size: number): Promise<ImageDescription> {
  const description: ImageDescription = {
    format: 'vmdk',
    virtualSize: size,
    actualSize: await actualSize(parts),
    formatSpecific: {
      type: 'vmdk',
      data: {
        cid: parts.descriptor.currentCid,
        'parent-cid': parts.parentCid,
        'create-type': parts.createType,
        extents: parts.extents.map(extentInfo),
      },
    },
  };
  const clusterSize = uniformGrainSize(parts.extents);
  if (clusterSize !== undefined) description.clusterSize = clusterSize;
  if (extentsAlike(parts.extents)) description.dirtyFlag = false;
  if (parts.backingName !== undefined) {
    description.backingFilename = parts.backingName;
    if (parts.backingPath !== undefined) description.fullBackingFilename = parts.backingPath;
    description.backingFormat = 'vmdk';
  }
  return description;
}

/** The descriptor's file plus every extent file that is another file, counted once per extent line (as QEMU). */
async function actualSize(parts: VmdkParts): Promise<number> {
  let total = await parts.descriptor.file.allocatedSize();
  for (const extent of parts.extents) {
    if (extent.file !== parts.descriptor.file) total += await extent.file.allocatedSize();
  }
  return total;
}

function extentInfo(extent: Extent): InfoValue {
  return {
    ...(extent.compressed ? { compressed: true } : {}),
    'virtual-size': extent.size,
    filename: extent.file.path,
    ...(extent.flat ? {} : { 'cluster-size': extent.grainSize }),
    format: extent.type,
  };
}
