import { promisify } from 'node:util';
import { constants, inflate } from 'node:zlib';
import { zeroBuffer } from '../block/ranges.js';
import { native } from '../native.js';
import { GTE_ZEROED, SECTOR } from './constants.js';
import type { ExtentRun, WriteContext } from './extent.js';
import type { GrainRun } from './grain-map.js';
import type { GrainTables } from './grain-tables.js';
import { requestFailed } from './io-errors.js';
import { GrainedExtent, type SparseExtentOptions } from './sparse-extent.js';
import { encodeGrainRecord, GRAIN_MARKER_BYTES } from './stream-markers.js';

const inflateAsync = promisify(inflate);

/** A grain as QEMU's vmdk driver compresses it (zlib's compress(): default level, a zlib stream with a 32 KiB window, memLevel 8), on the thread pool. */
function compressGrain(data: Buffer): Promise<Buffer> {
  return native.deflateCompress(data, constants.Z_DEFAULT_COMPRESSION, 15, 8, 0) as Promise<Buffer>;
}

/**
 * Compressed grains are decompressed whole in memory, from a buffer of two
 * grains, several at once: larger ones are refused when the extent is
 * opened. (VMware and QEMU write 64 KiB grains.)
 */
export const MAX_COMPRESSED_GRAIN_BYTES = 2 << 20;

export interface CompressedExtentOptions extends SparseExtentOptions {
  /** Each grain starts with a grain marker (lba, size); writing needs them. */
  markers: boolean;
  /** The extent's first byte in the disk, for the lba field of grain markers. */
  diskOffset: number;
}

/**
 * A sparse extent with zlib-compressed grains (streamOptimized). As in
 * QEMU, a grain can only be written whole (or up to the end of the extent)
 * and only once; new grains are appended, packed sector after sector.
 * Compression runs on the thread pool, outside the lock, so that the
 * grains of concurrent writes compress in parallel.
 */
export class CompressedExtent extends GrainedExtent {
  readonly compressed = true;
  private readonly markers: boolean;
  private readonly diskOffset: number;
  /** The last grain decompressed: small sequential reads would otherwise inflate a grain many times. */
  private lastGrain: { fileOffset: number; data: Buffer } | undefined;

  constructor(options: CompressedExtentOptions) {
    super(options);
    this.markers = options.markers;
    this.diskOffset = options.diskOffset;
  }

  protected toExtentRun(run: GrainRun, inGrain: number, length: number): ExtentRun {
    if (run.state === 'allocated') {
      return { kind: 'compressed', length: Math.min(length, this.grainSize - inGrain), fileOffset: run.sector * SECTOR };
    }
    return { kind: run.state, length: Math.min(length, run.count * this.grainSize - inGrain), fileOffset: 0 };
  }

  async readRun(run: ExtentRun, offset: number, buf: Buffer): Promise<void> {
    const grain = await this.decompress(run.fileOffset);
    const inGrain = offset % this.grainSize;
    if (inGrain + buf.length > grain.length) {
      throw requestFailed(`'${this.file.path}': the compressed grain at ${run.fileOffset} holds only ${grain.length} bytes`, 'EINVAL');
    }
    grain.copy(buf, 0, inGrain, inGrain + buf.length);
  }

  /**
   * The grain whose record starts at `fileOffset`, as QEMU reads it: two
   * grains' worth of bytes, the size from the marker (or a whole grain
   * without markers), zlib data (a zlib header is required) inflating to at
   * most one grain.
   */
  private async decompress(fileOffset: number): Promise<Buffer> {
    if (this.lastGrain?.fileOffset === fileOffset) return this.lastGrain.data;
    const raw = Buffer.alloc(2 * this.grainSize);
    await this.file.read(fileOffset, raw, 'zeros');
    const size = this.markers ? raw.readUInt32LE(8) : this.grainSize;
    const start = this.markers ? GRAIN_MARKER_BYTES : 0;
    const invalid = (): Error => requestFailed(`'${this.file.path}': the compressed grain at ${fileOffset} is invalid`, 'EINVAL');
    if (size === 0 || size > raw.length) throw invalid();
    let data: Buffer;
    try {
      data = await inflateAsync(raw.subarray(start, start + size), { maxOutputLength: this.grainSize });
    } catch {
      throw invalid();
    }
    this.lastGrain = { fileOffset, data };
    return data;
  }

  /**
   * Compression starts at once, on the thread pool, and the append is
   * queued at once too: concurrent writes compress in parallel, and their
   * grains land in the file in the order the writes were made (everything
   * before the first await runs when the write is called).
   */
  async write(offset: number, data: Buffer): Promise<void> {
    const tables = this.writableTables();
    const grains = this.wholeGrains(offset, data.length);
    const compressing = Promise.all(
      grains.map(async ({ at, length }) => {
        const compressed = await compressGrain(data.subarray(at - offset, at - offset + length));
        return encodeGrainRecord((this.diskOffset + at) / SECTOR, compressed);
      }),
    );
    // its failure is reported by the append below; this only keeps it from counting as unhandled meanwhile
    compressing.catch(() => undefined);
    await this.lock.run(async () => {
      const records = await compressing;
      for (const { at } of grains) await this.checkWritable(at);
      for (const [i, { at }] of grains.entries()) {
        const record = records[i];
        if (record) await this.appendGrain(tables, at, record);
      }
    });
  }

  /**
   * Zero a range: whole grains become zeroed-grain entries when the extent
   * has them; grains that already read as zeros are left alone; the others
   * get a compressed grain of zeros (which must then be whole, as any write).
   */
  writeZeroes(offset: number, length: number, _mayUnmap: boolean, context: WriteContext): Promise<void> {
    const tables = this.writableTables();
    return this.lock.run(async () => {
      const actions: Array<{ at: number; length: number; zeroEntry: boolean }> = [];
      for (let done = 0; done < length; ) {
        const at = offset + done;
        const pieceLength = Math.min(length - done, this.grainSize - (at % this.grainSize));
        const { state } = await this.grainState(Math.floor(at / this.grainSize));
        done += pieceLength;
        if (state === 'zero' || (state === 'unallocated' && !context.lower)) continue;
        const zeroEntry = tables.zeroGrains && pieceLength === this.grainSize;
        if (!zeroEntry) this.wholeGrains(at, pieceLength);
        await this.checkWritable(at);
        actions.push({ at, length: pieceLength, zeroEntry });
      }
      for (const { at, length: pieceLength, zeroEntry } of actions) {
        const grain = Math.floor(at / this.grainSize);
        if (zeroEntry) {
          await this.ensureTable(tables, grain, at);
          await tables.setEntry(grain, GTE_ZEROED);
          this.dirty = true;
          await this.commitIfDue(tables);
        } else {
          const compressed = await compressGrain(zeroBuffer(pieceLength));
          await this.appendGrain(tables, at, encodeGrainRecord((this.diskOffset + at) / SECTOR, compressed));
        }
      }
    });
  }

  /** The grains a write covers, refused unless each is whole (or ends the extent), as QEMU requires. */
  private wholeGrains(offset: number, length: number): Array<{ at: number; length: number }> {
    if (!this.markers) throw requestFailed(`'${this.file.path}': compressed grains without markers cannot be written`, 'EINVAL');
    const grains: Array<{ at: number; length: number }> = [];
    for (let at = offset; at < offset + length; at += this.grainSize) {
      const pieceLength = Math.min(this.grainSize, offset + length - at);
      if (at % this.grainSize !== 0 || (pieceLength < this.grainSize && at + pieceLength !== this.size)) {
        throw requestFailed(
          `'${this.file.path}': streamOptimized images can only be written whole grains of ${this.grainSize} bytes at a time (offset ${at}, length ${pieceLength})`,
          'EINVAL',
        );
      }
      grains.push({ at, length: pieceLength });
    }
    return grains;
  }

  /** A grain can be written once; a zeroed one counts as free. */
  private async checkWritable(at: number): Promise<void> {
    const { state } = await this.grainState(Math.floor(at / this.grainSize));
    if (state === 'allocated') throw requestFailed(`'${this.file.path}': Could not write to allocated cluster for streamOptimized (offset ${at})`, 'EIO');
    if (state === 'invalid') throw requestFailed(`'${this.file.path}': no valid grain table entry for offset ${at}`, 'EINVAL');
  }

  /** Write a grain record at the end of the file, then (in memory, until commit) its table entry. */
  private async appendGrain(tables: GrainTables, at: number, record: Buffer): Promise<void> {
    const grain = Math.floor(at / this.grainSize);
    await this.ensureTable(tables, grain, at);
    const sector = this.reserve(record.length / SECTOR);
    await this.writeAt(sector * SECTOR, record);
    await tables.setEntry(grain, sector);
    await this.commitIfDue(tables);
  }
}
