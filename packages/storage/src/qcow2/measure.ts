import type { MeasureRequest, MeasureResult } from '../block/introspect.js';
import { MAX_L1_BYTES } from './constants.js';
import { fullyAllocatedSize, roundUp } from './metadata-size.js';
import { imageTooLarge, parseSettings } from './options.js';

/**
 * qemu-img measure for a qcow2 target: a fully allocated image's size
 * from the metadata arithmetic, and what is required for the data the
 * source actually holds (all of it with a backing file or full
 * preallocation).
 */
export async function measureQcow2(request: MeasureRequest): Promise<MeasureResult> {
  const options = request.options ?? {};
  const settings = parseSettings({ options });
  const cs = 2 ** settings.clusterBits;
  const virtualSize = roundUp(request.source?.size ?? request.size ?? 0, cs);
  const l2EntrySize = settings.extendedL2 ? 16 : 8;
  if (Math.ceil(virtualSize / cs / (cs / l2EntrySize)) * 8 > MAX_L1_BYTES) throw imageTooLarge('The image size is too large (try using a larger cluster size)');
  let requiredData = 0;
  if (request.source) requiredData = options.backing_file !== undefined ? virtualSize : await request.source.allocatedBytes(cs);
  if (settings.preallocation === 'full' || settings.preallocation === 'falloc') requiredData = virtualSize;
  const fullyAllocated = fullyAllocatedSize(virtualSize, cs, settings.refcountOrder, settings.extendedL2);
  const result: MeasureResult = { required: fullyAllocated - virtualSize + requiredData, fullyAllocated };
  // bitmaps are shown when both the source and the target could keep them
  const bitmaps = request.source?.persistentBitmaps;
  if (bitmaps && settings.version >= 3) result.bitmaps = bitmapsSize(bitmaps, request.source!.size, cs);
  return result;
}

/**
 * The room the source's persistent bitmaps would take if copied: each one
 * fully allocated (one bit per granule) with its bitmap table, and the
 * bitmap directory (a 24-byte entry plus the name, 8-byte aligned, each).
 */
function bitmapsSize(bitmaps: readonly { name: string; granularity: number }[], virtualSize: number, cs: number): number {
  let total = 0;
  let directory = 0;
  for (const { name, granularity } of bitmaps) {
    const dataClusters = Math.ceil(Math.ceil(virtualSize / granularity / 8) / cs);
    total += dataClusters * cs + roundUp(dataClusters * 8, cs);
    directory += roundUp(24 + Buffer.byteLength(name), 8);
  }
  return total + roundUp(directory, cs);
}
