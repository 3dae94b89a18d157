import { corruptImage } from '../errors.js';
import type { HostFile } from './host-file.js';

interface CachedTable {
  data: Buffer;
  /** Changed since it was last written: not evicted, written back by trim() and flush(). */
  dirty: boolean;
  /** Bumped by each change, so that a write-back only cleans the table it wrote. */
  changes: number;
}

/**
 * A bounded write-back cache of cluster-sized metadata tables (L2 tables,
 * refcount blocks), least recently used first out.
 *
 * Ordering: a cache can depend on another (L2 tables on refcount blocks
 * after refcounts were raised, refcount blocks on L2 tables after
 * references were dropped); before it writes any table, the cache it
 * depends on is written and a barrier issued, so that the disk never
 * holds a reference to a cluster whose refcount is not there yet.
 *
 * Eviction: only clean tables are dropped when a table is loaded; dirty
 * ones are written back by `trim()`, which the writer calls at points
 * where it holds no table, so a table being modified is never evicted
 * from under it. Callers must not keep a table across an await that can
 * load other tables of the same cache without getting it again.
 */
export class TableCache {
  private readonly tables = new Map<number, CachedTable>();
  private readonly loading = new Map<number, Promise<Buffer>>();
  /** The table used last (the end of `tables`' order, unless it has left the cache since). */
  private newest: CachedTable | undefined;
  private dependency: TableCache | undefined;
  /** Files whose writes so far must be durable before this cache writes its next table. */
  private readonly barrierFirst = new Set<HostFile>();

  constructor(
    private readonly host: HostFile,
    readonly tableSize: number,
    private readonly capacity: number,
    /** What the tables are, for error messages ("L2 table", "refcount block"). */
    private readonly what: string,
  ) {}

  /** The table at `offset` if it is cached, without waiting; undefined when it would have to be read. */
  peek(offset: number): Buffer | undefined {
    const cached = this.tables.get(offset);
    if (cached) this.touch(offset, cached);
    return cached?.data;
  }

  /** The table at `offset`, read from the file if it is not cached. */
  async get(offset: number): Promise<Buffer> {
    const cached = this.tables.get(offset);
    if (cached) {
      this.touch(offset, cached);
      return cached.data;
    }
    let pending = this.loading.get(offset);
    if (!pending) {
      pending = this.load(offset);
      this.loading.set(offset, pending);
    }
    try {
      return await pending;
    } finally {
      this.loading.delete(offset);
    }
  }

  /** A new all-zero table at `offset`, cached dirty without reading the file. */
  create(offset: number): Buffer {
    const data = Buffer.alloc(this.tableSize);
    this.makeNewest(offset, { data, dirty: true, changes: 0 });
    this.evictClean(offset);
    return data;
  }

  /** Put a table whose contents the caller built (a copy of another) into the cache, dirty. */
  put(offset: number, data: Buffer): void {
    this.makeNewest(offset, { data, dirty: true, changes: 0 });
    this.evictClean(offset);
  }

  markDirty(offset: number): void {
    const cached = this.tables.get(offset);
    if (!cached) throw new Error(`${this.what} at ${offset} was modified while not cached`);
    cached.dirty = true;
    cached.changes++;
  }

  hasDirty(): boolean {
    for (const table of this.tables.values()) if (table.dirty) return true;
    return false;
  }

  /** This cache's tables must not reach the disk before `other`'s. */
  async dependOn(other: TableCache): Promise<void> {
    if (other.dependency) await other.flushDependency();
    if (this.dependency && this.dependency !== other) await this.flushDependency();
    this.dependency = other;
  }

  /** Writes issued so far to `file` (data) must be durable before this cache's next table is written. */
  dependOnBarrier(file: HostFile = this.host): void {
    this.barrierFirst.add(file);
  }

  /** Write every dirty table (after what they depend on), without a barrier of their own. */
  async writeBack(): Promise<void> {
    for (const [offset, table] of [...this.tables]) {
      if (table.dirty) await this.writeTable(offset, table);
    }
  }

  /** Write every dirty table, then a barrier: they are durable afterwards. */
  async flush(): Promise<void> {
    await this.writeBack();
    await this.host.barrier();
  }

  /** Forget a table (its cluster was freed): whatever it held must not be written. */
  discard(offset: number): void {
    this.tables.delete(offset);
  }

  /** Forget every table; the caller flushed what had to be kept. */
  clear(): void {
    this.tables.clear();
    this.dependency = undefined;
    this.barrierFirst.clear();
  }

  /** Bring the cache back within its capacity, writing back dirty tables as they go. */
  async trim(): Promise<void> {
    for (const [offset, table] of [...this.tables]) {
      if (this.tables.size <= this.capacity) return;
      if (table.dirty) await this.writeTable(offset, table);
      // it may have been modified or reloaded while we wrote it
      if (this.tables.get(offset) === table && !table.dirty) this.tables.delete(offset);
    }
  }

  private async load(offset: number): Promise<Buffer> {
    if (offset + this.tableSize > this.host.length) {
      throw corruptImage(`'${this.host.path}': qcow2: Image is corrupt: ${this.what} at offset 0x${offset.toString(16)} lies past the end of the file`);
    }
    const data = Buffer.allocUnsafe(this.tableSize);
    await this.host.file.read(offset, data, 'error', this.what);
    // a writer may have created the table while we read the old contents
    const raced = this.tables.get(offset);
    if (raced) return raced.data;
    this.makeNewest(offset, { data, dirty: false, changes: 0 });
    this.evictClean(offset);
    return data;
  }

  /** Move a table to the recently used end (nothing to do when it is there already: the common case). */
  private touch(offset: number, table: CachedTable): void {
    if (table !== this.newest) this.makeNewest(offset, table);
  }

  private makeNewest(offset: number, table: CachedTable): void {
    this.tables.delete(offset);
    this.tables.set(offset, table);
    this.newest = table;
  }

  private evictClean(keep: number): void {
    if (this.tables.size <= this.capacity) return;
    for (const [offset, table] of this.tables) {
      if (this.tables.size <= this.capacity) return;
      if (offset !== keep && !table.dirty) this.tables.delete(offset);
    }
  }

  private async writeTable(offset: number, table: CachedTable): Promise<void> {
    if (this.dependency) await this.flushDependency();
    for (const file of [...this.barrierFirst]) {
      this.barrierFirst.delete(file);
      try {
        await file.barrier();
      } catch (err) {
        // the data is still not known durable: the table must still wait for it
        this.barrierFirst.add(file);
        throw err;
      }
    }
    // the table stays dirty while it is written, so that nothing evicts it and reads it back
    // half written (requests read without the lock); a failed write leaves it dirty
    const changes = table.changes;
    await this.host.write(offset, table.data);
    if (table.changes === changes) table.dirty = false;
  }

  private async flushDependency(): Promise<void> {
    const dependency = this.dependency;
    this.dependency = undefined;
    await dependency?.flush();
  }
}
