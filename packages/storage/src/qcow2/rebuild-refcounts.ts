import { HEADER } from './constants.js';
import { refcountCodec } from './refcount-codec.js';
import type { Qcow2State } from './state.js';
import { writeU64 } from './u64.js';

/**
 * Replace the refcount structures with new ones holding `counts` (the
 * references check found), as `qemu-img check -r all` does when the old
 * ones cannot be trusted. The new blocks and table go into clusters no
 * reference uses, first fit; they are written, made durable, and only
 * then does the header point at them. The old structures are left as
 * leaks for the caller to free.
 */
export async function rebuildRefcounts(state: Qcow2State, found: Float64Array): Promise<void> {
  const g = state.geometry;
  const cs = g.clusterSize;
  const rbe = g.refblockEntries;
  let counts = found;
  const use = (clusters: number): number => {
    let run = 0;
    for (let i = 0; ; i++) {
      if (i >= counts.length) counts = grow(counts, i + clusters, rbe);
      run = counts[i] === 0 ? run + 1 : 0;
      if (run === clusters) {
        for (let k = i - clusters + 1; k <= i; k++) counts[k] = 1;
        return i - clusters + 1;
      }
    }
  };

  const blocks = new Map<number, number>();
  let tableCluster = -1;
  let tableClusters = 0;
  for (;;) {
    let changed = false;
    for (let index = 0; index * rbe < counts.length; index++) {
      if (blocks.has(index) || !counts.subarray(index * rbe, (index + 1) * rbe).some((c) => c > 0)) continue;
      blocks.set(index, use(1));
      changed = true;
    }
    const needed = Math.ceil((Math.ceil(counts.length / rbe) * 8) / cs);
    if (!changed && tableCluster >= 0 && needed === tableClusters) break;
    if (tableCluster >= 0) counts.fill(0, tableCluster, tableCluster + tableClusters);
    tableClusters = needed;
    tableCluster = use(tableClusters);
  }

  const codec = refcountCodec(g.refcountOrder);
  const table = Buffer.alloc(tableClusters * cs);
  for (const [index, cluster] of blocks) {
    const block = Buffer.alloc(cs);
    for (let i = 0; i < rbe && index * rbe + i < counts.length; i++) codec.set(block, i, Math.min(counts[index * rbe + i]!, g.refcountMax));
    await state.host.write(cluster * cs, block);
    writeU64(table, index * 8, cluster * cs);
  }
  await state.host.write(tableCluster * cs, table);
  await state.host.barrier();
  const pointer = Buffer.alloc(12);
  writeU64(pointer, 0, tableCluster * cs);
  pointer.writeUInt32BE(tableClusters, 8);
  await state.host.write(HEADER.refcountTableOffset, pointer);
  await state.host.barrier();
  state.refcounts.replaceTable(table, tableCluster * cs);
}

function grow(counts: Float64Array, clusters: number, rbe: number): Float64Array {
  const grown = new Float64Array(Math.ceil(clusters / rbe) * rbe);
  grown.set(counts);
  return grown;
}
