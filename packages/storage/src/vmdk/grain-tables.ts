import type { ImageFile } from '../io/image-file.js';
import { GTE_ZEROED, SECTOR } from './constants.js';
import { GD_PAGE_BYTES, TableGrainMap, type GrainEntry, type TableLayout } from './grain-map.js';
import type { TableCache } from './table-cache.js';

/** Entries changed but not yet written, beyond which they are written out. */
const MAX_PENDING_ENTRIES = 8192;
/** Tables held in memory for their pending entries, beyond which they are written out. */
const MAX_PINNED_TABLES = 512;

export interface GrainTablesGeometry extends TableLayout {
  gdOffset: number;
  /** The redundant directory, when the extent keeps one. */
  rgdOffset: number | undefined;
  /** A table entry of 1 means a zeroed grain. */
  zeroGrains: boolean;
}

/**
 * The grain directory and grain tables of a hosted sparse (KDMV) or COWD
 * extent: u32 entries holding sector numbers.
 *
 * Changes are crash-safe by ordering: a grain's data is written first, its
 * table entry is only changed in memory, and entries reach the file in
 * `commit`, after a flush has made the data they point at durable. A crash
 * at any point leaves entries that point at written data or at nothing
 * (the grain then leaks, which QEMU's check does not mind). The redundant
 * copies are updated alongside, when the extent keeps them.
 */
export class GrainTables extends TableGrainMap {
  /** File offset of each changed entry → its new value. */
  private readonly pending = new Map<number, number>();

  constructor(
    file: ImageFile,
    cache: TableCache,
    private readonly geometry: GrainTablesGeometry,
  ) {
    super(file, cache, geometry, 4);
  }

  /** Whether a table entry of 1 means a zeroed grain. */
  get zeroGrains(): boolean {
    return this.geometry.zeroGrains;
  }

  /** The sector of the table holding `grain`'s entry, or 0 when the directory has none there. */
  async tableOf(grain: number): Promise<number> {
    return this.directoryEntry(this.geometry.gdOffset, Math.floor(grain / this.geometry.gtEntries));
  }

  /**
   * Give the directory entry of `grain` a new, zeroed table (and a backup
   * table when the extent keeps redundant copies) at `sector`, where the
   * caller has reserved `tableSectors() * copies` sectors and written zeros.
   */
  async addTable(grain: number, sector: number): Promise<void> {
    const { gdOffset, rgdOffset, gtEntries } = this.geometry;
    const l1 = Math.floor(grain / gtEntries);
    const tableSectors = this.tableSectors();
    this.cache.pin(this.file, sector * SECTOR, Buffer.alloc(this.gtBytes));
    await this.setDirectoryEntry(gdOffset, l1, sector);
    if (rgdOffset !== undefined) await this.setDirectoryEntry(rgdOffset, l1, sector + tableSectors);
  }

  /** Where the directory entries (primary and backup) of `grain`'s table lie in the file, in bytes. */
  directoryEntryOffsets(grain: number): number[] {
    const { gdOffset, rgdOffset, gtEntries } = this.geometry;
    const at = Math.floor(grain / gtEntries) * 4;
    return rgdOffset === undefined ? [gdOffset + at] : [gdOffset + at, rgdOffset + at];
  }

  /** Sectors one table takes. */
  tableSectors(): number {
    return Math.ceil(this.gtBytes / SECTOR);
  }

  /** How many tables `addTable` places (primary and backup). */
  get tableCopies(): number {
    return this.geometry.rgdOffset === undefined ? 1 : 2;
  }

  /** Point `grain` at `sector` (or mark it zeroed with GTE_ZEROED); its table must exist. */
  async setEntry(grain: number, value: number): Promise<void> {
    const { gdOffset, rgdOffset, gtEntries } = this.geometry;
    const l1 = Math.floor(grain / gtEntries);
    const index = grain % gtEntries;
    const gtSector = await this.directoryEntry(gdOffset, l1);
    const table = await this.cache.get(this.file, gtSector * SECTOR, this.gtBytes);
    table.writeUInt32LE(value, index * 4);
    this.cache.pin(this.file, gtSector * SECTOR, table);
    this.pending.set(gtSector * SECTOR + index * 4, value);
    if (rgdOffset !== undefined) {
      const backupSector = await this.directoryEntry(rgdOffset, l1);
      // a backup directory entry of 0 has no table: QEMU would write into the header there
      if (backupSector !== 0) this.pending.set(backupSector * SECTOR + index * 4, value);
    }
  }

  /** Enough entries are pending that they should be written out now. */
  get commitDue(): boolean {
    return this.pending.size >= MAX_PENDING_ENTRIES || this.cache.pinnedCount(this.file) >= MAX_PINNED_TABLES;
  }

  get hasPending(): boolean {
    return this.pending.size > 0;
  }

  /** Make the data written so far durable, then write the pending entries (runs of adjacent entries at once). */
  async commit(): Promise<void> {
    if (this.pending.size === 0) return;
    await this.file.flush();
    const offsets = [...this.pending.keys()].sort((a, b) => a - b);
    for (let start = 0; start < offsets.length; ) {
      let end = start + 1;
      while (end < offsets.length && offsets[end] === (offsets[end - 1] ?? 0) + 4) end++;
      const run = Buffer.alloc((end - start) * 4);
      for (let i = start; i < end; i++) run.writeUInt32LE(this.pending.get(offsets[i] ?? 0) ?? 0, (i - start) * 4);
      await this.file.write(offsets[start] ?? 0, run);
      start = end;
    }
    this.pending.clear();
    this.cache.unpin(this.file);
  }

  protected tableSector(l1: number): Promise<number> {
    return this.directoryEntry(this.geometry.gdOffset, l1);
  }

  protected entry(table: Buffer, index: number): GrainEntry {
    const value = table.readUInt32LE(index * 4);
    if (value === 0) return { state: 'unallocated', sector: 0 };
    if (value === GTE_ZEROED && this.geometry.zeroGrains) return { state: 'zero', sector: 0 };
    return { state: 'allocated', sector: value };
  }

  private async directoryEntry(directory: number, l1: number): Promise<number> {
    const { page, at } = this.directoryPage(directory, l1);
    return (await this.cache.get(this.file, page, GD_PAGE_BYTES)).readUInt32LE(at);
  }

  private async setDirectoryEntry(directory: number, l1: number, value: number): Promise<void> {
    const { page, at } = this.directoryPage(directory, l1);
    const buf = await this.cache.get(this.file, page, GD_PAGE_BYTES);
    buf.writeUInt32LE(value, at);
    this.cache.pin(this.file, page, buf);
    this.pending.set(directory + l1 * 4, value);
  }

  private directoryPage(directory: number, l1: number): { page: number; at: number } {
    const byte = l1 * 4;
    return { page: directory + byte - (byte % GD_PAGE_BYTES), at: byte % GD_PAGE_BYTES };
  }
}
