import { invalidOperation } from '../errors.js';
import { COPIED_HI, HEADER, MAX_L1_ENTRIES } from './constants.js';
import { entryOffset } from './entries.js';
import type { HostFile } from './host-file.js';
import type { Refcounts } from './refcounts.js';

/**
 * The active L1 table, held in memory whole (QEMU caps it at 32 MiB) and
 * written through: every change reaches the file before the call returns.
 */
export class ActiveL1 {
  constructor(
    private readonly host: HostFile,
    /** Raw big-endian entries. */
    private readonly clusterSize: number,
    private table: Buffer,
    private tableOffset: number,
  ) {}

  get offset(): number {
    return this.tableOffset;
  }

  get size(): number {
    return this.table.length / 8;
  }

  /** A copy of the raw entries (for snapshots and checks). */
  bytes(): Buffer {
    return Buffer.from(this.table);
  }

  hi(index: number): number {
    return this.table.readUInt32BE(index * 8);
  }

  lo(index: number): number {
    return this.table.readUInt32BE(index * 8 + 4);
  }

  /** The L2 table offset of an entry (0: no L2 table), 0 past the end of the table. */
  l2Offset(index: number): number {
    return index < this.size ? entryOffset(this.hi(index), this.lo(index)) : 0;
  }

  copied(index: number): boolean {
    return (this.hi(index) & COPIED_HI) !== 0;
  }

  /** Point entry `index` at an L2 table and write it through. */
  async set(index: number, l2Offset: number, copied: boolean): Promise<void> {
    this.table.writeUInt32BE(((copied ? COPIED_HI : 0) | Math.floor(l2Offset / 2 ** 32)) >>> 0, index * 8);
    this.table.writeUInt32BE(l2Offset % 2 ** 32, index * 8 + 4);
    await this.host.write(this.tableOffset + index * 8, this.table.subarray(index * 8, index * 8 + 8));
    await this.host.barrier();
  }

  /** Replace the in-memory entries with ones already written at this table's place (snapshot revert). */
  adopt(table: Buffer): void {
    table.copy(this.table, 0, 0, Math.min(table.length, this.table.length));
    this.table.fill(0, table.length);
  }

  /**
   * Make room for `minSize` entries: a new table, written whole, then
   * switched to in the header, then the old one freed. `exact` sizes it
   * exactly (resize); otherwise it grows by half again until it fits.
   */
  async grow(minSize: number, exact: boolean, refcounts: Refcounts): Promise<void> {
    if (minSize <= this.size) return;
    let newSize = minSize;
    if (!exact) {
      newSize = Math.max(this.size, 1);
      while (newSize < minSize) newSize = Math.ceil((newSize * 3) / 2);
    }
    if (newSize > MAX_L1_ENTRIES) throw invalidOperation(`'${this.host.path}': the L1 table would exceed ${MAX_L1_ENTRIES} entries: File too large`);
    const table = Buffer.alloc(newSize * 8);
    this.table.copy(table);
    const newOffset = await refcounts.allocClusters(table.length);
    await refcounts.flush();
    await this.host.write(newOffset, table);
    await this.host.barrier();
    await this.writePointer(newSize, newOffset);
    const oldOffset = this.tableOffset;
    const oldBytes = this.table.length;
    this.table = table;
    this.tableOffset = newOffset;
    await refcounts.free(oldOffset, oldBytes, 'other');
  }

  /**
   * Clear the entries from `size` on (shrinking the disk): zeroed on disk
   * first, then their L2 tables freed. The table keeps its size, as in QEMU.
   */
  async clearFrom(size: number, refcounts: Refcounts): Promise<void> {
    if (size >= this.size) return;
    await this.host.write(this.tableOffset + size * 8, Buffer.alloc((this.size - size) * 8));
    await this.host.barrier();
    for (let i = this.size - 1; i >= size; i--) {
      const l2 = this.l2Offset(i);
      this.table.fill(0, i * 8, i * 8 + 8);
      if (l2 !== 0) await refcounts.free(l2, this.clusterSize, 'always');
    }
  }

  /** Write the whole table in place (its entries changed in memory). */
  async writeAll(): Promise<void> {
    await this.host.write(this.tableOffset, this.table);
    await this.host.barrier();
  }

  /** Point the header at a table (size and offset, one write). */
  async writePointer(size: number, offset: number): Promise<void> {
    const pointer = Buffer.alloc(12);
    pointer.writeUInt32BE(size, 0);
    pointer.writeUInt32BE(Math.floor(offset / 2 ** 32), 4);
    pointer.writeUInt32BE(offset % 2 ** 32, 8);
    await this.host.write(HEADER.l1Size, pointer);
    await this.host.barrier();
  }

  /** Adopt a table at another place (make-empty). */
  relocate(table: Buffer, offset: number): void {
    this.table = table;
    this.tableOffset = offset;
  }
}
