import type { Qcow2State } from './state.js';
import { discardClusters } from './zero.js';

/**
 * Drop every cluster the active image holds, so that it reads as its
 * backing file again (what qemu-img commit does to the image committed).
 * The entries become unallocated rather than zero, whatever the version.
 */
export async function makeEmpty(state: Qcow2State): Promise<void> {
  state.lastDecompressed = undefined;
  if (state.size > 0) await discardClusters(state, 0, state.size, 'request', true);
  await state.flushMetadata();
}
