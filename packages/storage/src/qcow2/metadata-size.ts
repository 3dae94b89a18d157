/*
 * How much metadata an image of a given size needs: the arithmetic QEMU's
 * create, preallocation, refcount-table growth and measure share.
 */

export interface RefcountMetadata {
  /** Refcount blocks needed. */
  refblocks: number;
  /** Bytes of refcount blocks and refcount table together. */
  bytes: number;
}

/**
 * The refcount blocks and table that can count `clusters` clusters plus
 * themselves (a fixed point: the structures count their own clusters
 * too). `generous` leaves room for a table half again as large.
 */
export function refcountMetadataSize(clusters: number, clusterSize: number, refcountOrder: number, generous: boolean): RefcountMetadata {
  const blocksPerTableCluster = clusterSize / 8;
  const refcountsPerBlock = (clusterSize * 8) / 2 ** refcountOrder;
  let table = 0;
  let blocks = 0;
  let total = 0;
  let counted = clusters;
  let roomToGrow = generous;
  for (;;) {
    const last = total;
    blocks = Math.ceil((counted + table + blocks) / refcountsPerBlock);
    table = Math.ceil(blocks / blocksPerTableCluster);
    total = counted + blocks + table;
    if (total !== last) continue;
    if (!roomToGrow) break;
    counted += Math.ceil(table / 2);
    roomToGrow = false;
    total = 0;
  }
  return { refblocks: blocks, bytes: (blocks + table) * clusterSize };
}

/** Bytes of a fully allocated image of `size` bytes, metadata included (QEMU's qcow2_calc_prealloc_size). */
export function fullyAllocatedSize(size: number, clusterSize: number, refcountOrder: number, extendedL2: boolean): number {
  const l2EntrySize = extendedL2 ? 16 : 8;
  const alignedSize = Math.ceil(size / clusterSize) * clusterSize;
  let meta = clusterSize;
  const l2Entries = roundUp(alignedSize / clusterSize, clusterSize / l2EntrySize);
  meta += l2Entries * l2EntrySize;
  const l1Entries = roundUp((l2Entries * l2EntrySize) / clusterSize, clusterSize / 8);
  meta += l1Entries * 8;
  meta += refcountMetadataSize((meta + alignedSize) / clusterSize, clusterSize, refcountOrder, false).bytes;
  return meta + alignedSize;
}

export function roundUp(value: number, multiple: number): number {
  return Math.ceil(value / multiple) * multiple;
}
