import type { ImageFile } from '../io/image-file.js';

/**
 * Grain directories and grain tables, read from extent files as they are
 * needed and kept in memory within a byte budget, least recently used
 * first out. A table that holds entries not yet written to its file is
 * pinned until they are (see GrainTables.commit), so that what readers
 * see never goes back to the file's older content.
 */
export class TableCache {
  private readonly tables = new Map<string, Buffer>();
  /** Pinned table keys, by the file they belong to. */
  private readonly pinned = new Map<ImageFile, Set<string>>();
  private readonly loading = new Map<string, Promise<Buffer>>();
  private readonly fileIds = new WeakMap<ImageFile, number>();
  private bytes = 0;
  private nextFileId = 0;

  constructor(private readonly budget: number) {}

  /** The `size` bytes at `offset` of `file`; past the end of the file they read as zeros, as in QEMU. */
  async get(file: ImageFile, offset: number, size: number): Promise<Buffer> {
    const key = this.key(file, offset, size);
    const cached = this.tables.get(key);
    if (cached) {
      // refresh its place in the least-recently-used order
      this.tables.delete(key);
      this.tables.set(key, cached);
      return cached;
    }
    let load = this.loading.get(key);
    if (!load) {
      load = this.load(file, offset, size).finally(() => this.loading.delete(key));
      this.loading.set(key, load);
    }
    const table = await load;
    if (!this.tables.has(key)) this.insert(key, table);
    return table;
  }

  /**
   * Keep `table` (the buffer `get` returned, now changed) in memory until
   * `unpin`; it may have been evicted, or reloaded, in the meantime.
   */
  pin(file: ImageFile, offset: number, table: Buffer): void {
    const key = this.key(file, offset, table.length);
    const current = this.tables.get(key);
    if (current !== table) {
      if (current) this.bytes -= current.length;
      this.tables.set(key, table);
      this.bytes += table.length;
    }
    let keys = this.pinned.get(file);
    if (!keys) {
      keys = new Set();
      this.pinned.set(file, keys);
    }
    keys.add(key);
  }

  /** Let the tables of `file` be evicted again: their entries are on disk. */
  unpin(file: ImageFile): void {
    this.pinned.delete(file);
    this.evict();
  }

  /** How many tables of `file` are pinned, for callers that bound it. */
  pinnedCount(file: ImageFile): number {
    return this.pinned.get(file)?.size ?? 0;
  }

  private async load(file: ImageFile, offset: number, size: number): Promise<Buffer> {
    const table = Buffer.alloc(size);
    // offsets this large lie past the end of any file, where everything reads as zeros
    if (offset + size <= Number.MAX_SAFE_INTEGER) await file.read(offset, table, 'zeros', 'a grain table');
    return table;
  }

  private insert(key: string, table: Buffer): void {
    this.tables.set(key, table);
    this.bytes += table.length;
    this.evict();
  }

  private evict(): void {
    for (const [key, table] of this.tables) {
      if (this.bytes <= this.budget) return;
      if (this.isPinned(key)) continue;
      this.tables.delete(key);
      this.bytes -= table.length;
    }
  }

  private isPinned(key: string): boolean {
    for (const keys of this.pinned.values()) if (keys.has(key)) return true;
    return false;
  }

  /**
   * Tables are known by place and size: in a damaged image a directory page
   * and a grain table can start at the same offset, and each must still get
   * a buffer of its own size.
   */
  private key(file: ImageFile, offset: number, size: number): string {
    let id = this.fileIds.get(file);
    if (id === undefined) {
      id = this.nextFileId++;
      this.fileIds.set(file, id);
    }
    return `${id}:${offset}:${size}`;
  }
}
