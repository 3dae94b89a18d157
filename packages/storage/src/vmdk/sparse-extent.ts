import { AsyncLock } from '../block/async-lock.js';
import { ZERO_CHUNK, zeroBuffer } from '../block/ranges.js';
import type { ImageFile } from '../io/image-file.js';
import { GTE_ZEROED, MAX_SPARSE_FILE_SECTORS, SECTOR } from './constants.js';
import type { Extent, ExtentRun, LowerLayer, WriteContext } from './extent.js';
import type { GrainMap, GrainRun } from './grain-map.js';
import type { GrainTables } from './grain-tables.js';
import { requestFailed } from './io-errors.js';

/** How grains are found, and (for writable extents) how they are added. */
export interface SparseExtentOptions {
  file: ImageFile;
  type: string;
  sectors: number;
  grainSectors: number;
  map: GrainMap;
  /** The same tables, to write through; or why the extent cannot be written (opened read-only, a kind we only read). */
  tables: GrainTables | string;
  /** The first sector grains may occupy: before it lies metadata that a write must never touch. */
  dataStartSector: number;
  /** The extent file's length in bytes when opened. */
  fileLength: number;
}

/**
 * The grains of a sparse extent, and the writing of new ones: the part
 * shared by uncompressed and compressed extents.
 */
export abstract class GrainedExtent implements Extent {
  readonly flat = false;
  abstract readonly compressed: boolean;
  readonly file: ImageFile;
  readonly type: string;
  readonly size: number;
  readonly grainSize: number;
  protected readonly grainSectors: number;
  protected readonly map_: GrainMap;
  protected readonly tables: GrainTables | undefined;
  readonly writeRefusal: string | undefined;
  protected readonly dataStartSector: number;
  /** Where the next grain goes, in sectors: QEMU appends grains at the end of the file, from a grain boundary. */
  protected nextSector: number;
  protected fileLength: number;
  protected dirty = false;
  /** Grain allocation and table changes happen one request at a time; reads need no lock. */
  protected readonly lock = new AsyncLock();

  constructor(options: SparseExtentOptions) {
    this.file = options.file;
    this.type = options.type;
    this.size = options.sectors * SECTOR;
    this.grainSectors = options.grainSectors;
    this.grainSize = options.grainSectors * SECTOR;
    this.map_ = options.map;
    this.tables = typeof options.tables === 'string' ? undefined : options.tables;
    this.writeRefusal = typeof options.tables === 'string' ? options.tables : undefined;
    this.dataStartSector = options.dataStartSector;
    this.fileLength = options.fileLength;
    const fileSectors = Math.ceil(options.fileLength / SECTOR);
    this.nextSector = Math.ceil(fileSectors / options.grainSectors) * options.grainSectors;
  }

  async map(offset: number, length: number): Promise<ExtentRun> {
    const grain = Math.floor(offset / this.grainSize);
    const inGrain = offset - grain * this.grainSize;
    const run = await this.map_.run(grain, Math.ceil((inGrain + length) / this.grainSize));
    return this.toExtentRun(run, inGrain, length);
  }

  status(offset: number, length: number): Promise<ExtentRun> {
    return this.map(offset, length);
  }

  abstract readRun(run: ExtentRun, offset: number, buf: Buffer): Promise<void>;
  abstract write(offset: number, data: Buffer, context: WriteContext): Promise<void>;
  abstract writeZeroes(offset: number, length: number, mayUnmap: boolean, context: WriteContext): Promise<void>;

  protected abstract toExtentRun(run: GrainRun, inGrain: number, length: number): ExtentRun;

  flush(): Promise<void> {
    return this.lock.run(async () => {
      if (!this.dirty) return;
      this.dirty = false;
      // commit flushes the data before writing entries; the second flush makes the entries durable
      await this.tables?.commit();
      await this.file.flush();
    });
  }

  async close(): Promise<void> {
    await this.file.close();
  }

  protected writableTables(): GrainTables {
    if (!this.tables) throw requestFailed(`'${this.file.path}': ${this.writeRefusal ?? 'the extent is read-only'}`, 'EINVAL');
    return this.tables;
  }

  /** The state of one grain. */
  protected grainState(grain: number): Promise<GrainRun> {
    return this.map_.run(grain, 1);
  }

  /**
   * Reserve `sectors` at the end of the file. Nothing may be placed where
   * a u32 entry cannot point (2 TiB into the file).
   */
  protected reserve(sectors: number): number {
    const sector = this.nextSector;
    if (sector >= MAX_SPARSE_FILE_SECTORS) {
      throw requestFailed(`'${this.file.path}': the extent file is full (grains cannot be placed beyond 2 TiB)`, 'EINVAL');
    }
    this.nextSector += sectors;
    return sector;
  }

  /**
   * Make sure the table for `grain` exists, adding one at the end of the
   * file where the directory has none. (QEMU writes such grains at offset 0,
   * over the header.) Tables or directories outside the file are refused:
   * writing there would scatter the extent over a huge sparse file.
   */
  protected async ensureTable(tables: GrainTables, grain: number, offset: number): Promise<void> {
    const tableSector = await tables.tableOf(grain);
    if (tableSector === 0) {
      if (tables.directoryEntryOffsets(grain).some((at) => at + 4 > this.fileLength)) {
        throw requestFailed(`'${this.file.path}': the grain directory entry for offset ${offset} lies past the end of the file`, 'EINVAL');
      }
      const sectors = tables.tableSectors() * tables.tableCopies;
      const at = this.reserve(this.compressed ? sectors : Math.ceil(sectors / this.grainSectors) * this.grainSectors);
      await this.writeAt(at * SECTOR, Buffer.alloc(sectors * SECTOR));
      await tables.addTable(grain, at);
      return;
    }
    if (tableSector * SECTOR + tables.gtBytes > this.fileLength) {
      throw requestFailed(`'${this.file.path}': the grain table for offset ${offset} lies past the end of the file`, 'EINVAL');
    }
  }

  protected async writeAt(fileOffset: number, data: Buffer): Promise<void> {
    this.dirty = true;
    await this.file.write(fileOffset, data);
    this.grewTo(fileOffset + data.length);
  }

  /** The file now reaches `end`: new grains go after it (an entry may point past the end of the file). */
  protected grewTo(end: number): void {
    if (end <= this.fileLength) return;
    this.fileLength = end;
    const endSector = Math.ceil(end / SECTOR);
    const next = this.compressed ? endSector : Math.ceil(endSector / this.grainSectors) * this.grainSectors;
    this.nextSector = Math.max(this.nextSector, next);
  }

  /** Write pending table entries out when enough have gathered (bounded memory). */
  protected async commitIfDue(tables: GrainTables): Promise<void> {
    if (tables.commitDue) await tables.commit();
  }
}

/** A hosted sparse (KDMV), COWD or seSparse extent with uncompressed grains. */
export class SparseExtent extends GrainedExtent {
  readonly compressed = false;

  protected toExtentRun(run: GrainRun, inGrain: number, length: number): ExtentRun {
    const runLength = Math.min(length, run.count * this.grainSize - inGrain);
    switch (run.state) {
      case 'allocated':
        return { kind: 'data', length: runLength, fileOffset: run.sector * SECTOR + inGrain };
      case 'zero':
        return { kind: 'zero', length: runLength, fileOffset: 0 };
      case 'unallocated':
        return { kind: 'unallocated', length: runLength, fileOffset: 0 };
      case 'invalid':
        return { kind: 'invalid', length: runLength, fileOffset: 0 };
    }
  }

  /** Data past the end of the file reads as zeros, as in QEMU. */
  async readRun(run: ExtentRun, _offset: number, buf: Buffer): Promise<void> {
    await this.file.read(run.fileOffset, buf, 'zeros');
  }

  write(offset: number, data: Buffer, context: WriteContext): Promise<void> {
    const tables = this.writableTables();
    return this.lock.run(async () => {
      for (let done = 0; done < data.length; ) {
        const at = offset + done;
        const inGrain = at % this.grainSize;
        const wholeGrains = inGrain === 0 ? await this.writeNewGrains(tables, at, data.subarray(done)) : 0;
        if (wholeGrains > 0) {
          done += wholeGrains;
          continue;
        }
        const piece = data.subarray(done, done + this.grainSize - inGrain);
        await this.writeInGrain(tables, at, piece, context);
        done += piece.length;
      }
    });
  }

  /**
   * Write the whole grains at the start of `data` that have no grain yet,
   * placed one after another at the end of the file and written with one
   * request (a grain at a time made converting to VMDK a write call per
   * 64 KiB). A whole grain keeps nothing of the backing file. Returns the
   * bytes written: 0 when the first grain already has a place.
   */
  private async writeNewGrains(tables: GrainTables, offset: number, data: Buffer): Promise<number> {
    const first = offset / this.grainSize;
    const whole = Math.floor(data.length / this.grainSize);
    let count = 0;
    while (count < whole) {
      // a run of grains alike never crosses a grain table: one table to ensure per run
      const run = await this.map_.run(first + count, whole - count);
      if (run.state !== 'unallocated' && run.state !== 'zero') break;
      await this.ensureTable(tables, first + count, offset + count * this.grainSize);
      count += run.count;
    }
    if (count === 0) return 0;
    // tables first, then the grains: nothing else is placed between the grains (the lock is held)
    const start = this.reserve(count * this.grainSectors);
    const bytes = count * this.grainSize;
    await this.writeAt(start * SECTOR, data.subarray(0, bytes));
    for (let i = 0; i < count; i++) await tables.setEntry(first + i, start + i * this.grainSectors);
    await this.commitIfDue(tables);
    return bytes;
  }

  /**
   * Zero a range. Whole grains become zeroed-grain entries when the extent
   * has them (the old data leaks, as in QEMU); allocated grains are zeroed
   * in place; grains that already read as zeros are left alone (QEMU would
   * allocate and fill them); the rest gets zeros written, hiding the
   * backing file.
   */
  writeZeroes(offset: number, length: number, _mayUnmap: boolean, context: WriteContext): Promise<void> {
    const tables = this.writableTables();
    return this.lock.run(() => this.zeroUnlocked(tables, offset, length, context));
  }

  private async zeroUnlocked(tables: GrainTables, offset: number, length: number, context: WriteContext): Promise<void> {
    for (let done = 0; done < length; ) {
      const at = offset + done;
      const inGrain = at % this.grainSize;
      const pieceLength = Math.min(length - done, this.grainSize - inGrain);
      const grain = Math.floor(at / this.grainSize);
      const { state } = await this.grainState(grain);
      if (pieceLength === this.grainSize && tables.zeroGrains) {
        if (state === 'invalid') throw this.lookupFailed(at);
        if (state !== 'zero') {
          await this.ensureTable(tables, grain, at);
          await tables.setEntry(grain, GTE_ZEROED);
          this.dirty = true;
          await this.commitIfDue(tables);
        }
      } else if (state === 'allocated' || (state === 'unallocated' && context.lower) || state === 'invalid') {
        for (let zeroed = 0; zeroed < pieceLength; zeroed += ZERO_CHUNK) {
          await this.writeInGrain(tables, at + zeroed, zeroBuffer(pieceLength - zeroed), context);
        }
      }
      done += pieceLength;
    }
  }

  /** Write `data`, which lies within one grain, allocating the grain first if needed. */
  private async writeInGrain(tables: GrainTables, offset: number, data: Buffer, context: WriteContext): Promise<void> {
    const grain = Math.floor(offset / this.grainSize);
    const inGrain = offset - grain * this.grainSize;
    const { state, sector } = await this.grainState(grain);
    if (state === 'invalid') throw this.lookupFailed(offset);
    if (state === 'allocated') {
      // an entry pointing into the header or tables is corrupt: writing there would destroy them
      if (sector < this.dataStartSector) {
        throw requestFailed(`'${this.file.path}': the grain for offset ${offset} points into the metadata (sector ${sector})`, 'EINVAL');
      }
      await this.writeAt(sector * SECTOR + inGrain, data);
      return;
    }
    await this.ensureTable(tables, grain, offset);
    const start = this.reserve(this.grainSectors) * SECTOR;
    // the new grain lies past the end of the file, where it reads as zeros until written:
    // only the data, and the backing file's content around it, need writing
    const lower = state === 'zero' ? undefined : context.lower;
    if (lower) await this.copyLower(lower, grain * this.grainSize, start, 0, inGrain);
    await this.writeAt(start + inGrain, data);
    if (lower) await this.copyLower(lower, grain * this.grainSize, start, inGrain + data.length, this.grainSize);
    if (this.fileLength < start + this.grainSize) {
      await this.file.truncate(start + this.grainSize);
      this.grewTo(start + this.grainSize);
    }
    await tables.setEntry(grain, start / SECTOR);
    await this.commitIfDue(tables);
  }

  /** Copy bytes [from, to) of a grain from the lower layer into the new grain at `fileStart`, a bounded chunk at a time. */
  private async copyLower(lower: LowerLayer, grainOffset: number, fileStart: number, from: number, to: number): Promise<void> {
    for (let at = from; at < to; at += ZERO_CHUNK) {
      const chunk = Buffer.allocUnsafe(Math.min(ZERO_CHUNK, to - at));
      await lower(grainOffset + at, chunk);
      await this.writeAt(fileStart + at, chunk);
    }
  }

  private lookupFailed(offset: number): Error {
    return requestFailed(`'${this.file.path}': no valid grain table entry for offset ${offset}`, 'EINVAL');
  }
}
