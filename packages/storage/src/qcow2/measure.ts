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
  if (request.source) requiredData = options.backing_file !== undefined ? virtualSize : await request.source.allocatedBytes();
  if (settings.preallocation === 'full' || settings.preallocation === 'falloc') requiredData = virtualSize;
  const fullyAllocated = fullyAllocatedSize(virtualSize, cs, settings.refcountOrder, settings.extendedL2);
  return { required: fullyAllocated - virtualSize + requiredData, fullyAllocated };
}
