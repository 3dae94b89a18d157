import { AsyncLock } from '../block/async-lock.js';
import type { BlockDevice, BlockStatus, ImageFormat, ResizeOptions, WriteZeroesOptions } from '../block/device.js';
import type { CheckOptions, CheckReport, ImageDescription, SnapshotTable } from '../block/introspect.js';
import { checkRange } from '../block/ranges.js';
import { invalidArgument, invalidOperation } from '../errors.js';
import { amend } from './amend.js';
import { checkImage } from './check.js';
import { compressCluster } from './compress.js';
import { describeImage } from './describe.js';
import { makeEmpty } from './make-empty.js';
import { openQcow2State, type Qcow2OpenOptions } from './open-qcow2.js';
import { readRange } from './read.js';
import { resize } from './resize.js';
import { setBackingFile } from './backing-file.js';
import { Qcow2Snapshots } from './snapshots.js';
import type { Qcow2State } from './state.js';
import { blockStatus } from './status.js';
import { writeCompressedCluster, writeRange } from './write.js';
import { discard, writeZeroes } from './zero.js';

/**
 * A qcow2 image. Reads run concurrently; everything that changes metadata
 * runs one at a time under a lock, since the allocator and the table
 * caches assume a single writer.
 */
export class Qcow2Image implements BlockDevice {
  readonly format = 'qcow2';
  readonly snapshots: SnapshotTable;
  private readonly lock = new AsyncLock();
  private closed = false;

  private constructor(private readonly state: Qcow2State) {
    this.snapshots = new Qcow2Snapshots(state, (task) => this.exclusive(task), (task) => this.lock.run(task));
  }

  static async open(path: string, options: Qcow2OpenOptions): Promise<Qcow2Image> {
    const state = await openQcow2State(path, options);
    const image = new Qcow2Image(state);
    if (state.needsRepair) {
      try {
        // a dirty image may have stale refcounts (lazy refcounts): rebuild them before any allocation
        await checkImage(state, { repair: 'all' });
        await state.markClean();
        state.needsRepair = false;
      } catch (err) {
        await image.close().catch(() => undefined);
        throw err;
      }
    }
    return image;
  }

  get path(): string {
    return this.state.path;
  }

  get readOnly(): boolean {
    return this.state.readOnly;
  }

  get size(): number {
    return this.state.size;
  }

  get backing(): BlockDevice | undefined {
    return this.state.backing;
  }

  get clusterSize(): number {
    return this.state.clusterSize;
  }

  async readInto(offset: number, buf: Buffer): Promise<void> {
    checkRange(offset, buf.length, this.size, this.path);
    await readRange(this.state, offset, buf);
  }

  async read(offset: number, length: number): Promise<Buffer> {
    const buf = Buffer.allocUnsafe(length);
    await this.readInto(offset, buf);
    return buf;
  }

  async write(offset: number, buf: Buffer): Promise<void> {
    await this.modify(offset, buf.length, () => writeRange(this.state, offset, buf));
  }

  async writeZeroes(offset: number, length: number, options: WriteZeroesOptions = {}): Promise<void> {
    await this.modify(offset, length, () => writeZeroes(this.state, offset, length, options.mayUnmap ?? false));
  }

  async discard(offset: number, length: number): Promise<void> {
    await this.modify(offset, length, () => discard(this.state, offset, length));
  }

  /**
   * Whole clusters, compressed one by one (the last may be partial at the
   * end of the image, and is padded with zeros as QEMU does); a cluster
   * that does not shrink is written as it is.
   */
  async writeCompressed(offset: number, buf: Buffer): Promise<void> {
    const cs = this.clusterSize;
    // qemu-img convert -c ends with an empty compressed write at the end of the image
    if (buf.length === 0) return;
    if (offset % cs !== 0 || (buf.length % cs !== 0 && offset + buf.length !== this.size)) {
      throw invalidArgument(`'${this.path}': compressed writes must cover whole clusters (offset ${offset}, length ${buf.length})`);
    }
    if (this.state.hasDataFile()) throw invalidOperation(`'${this.path}': Cannot write compressed clusters to an image with an external data file`);
    // compress outside the lock, on the thread pool: concurrent callers (convert -c) then use every core
    const pieces: { at: number; piece: Buffer; compressed: Promise<Buffer | undefined> }[] = [];
    for (let done = 0; done < buf.length; done += cs) {
      const piece = buf.subarray(done, done + cs);
      const cluster = piece.length === cs ? piece : Buffer.concat([piece, Buffer.alloc(cs - piece.length)]);
      pieces.push({ at: offset + done, piece, compressed: compressCluster(this.state.header.compressionType, cluster) });
    }
    const results = await Promise.all(pieces.map((p) => p.compressed));
    await this.modify(offset, buf.length, async () => {
      for (const [i, { at, piece }] of pieces.entries()) {
        const compressed = results[i];
        if (compressed) await writeCompressedCluster(this.state, at, compressed);
        else await writeRange(this.state, at, piece);
      }
    });
  }

  async flush(): Promise<void> {
    if (this.readOnly || this.closed) return;
    await this.exclusive(async () => {
      await this.state.flushMetadata();
      await this.state.dataHost?.barrier();
    });
  }

  getStatus(offset: number, length: number): Promise<BlockStatus> {
    checkRange(offset, length, this.size, this.path);
    return blockStatus(this.state, offset, length);
  }

  async resize(size: number, options: ResizeOptions = {}): Promise<void> {
    if (size < this.size && !options.shrink) throw invalidOperation('Use the --shrink option to perform a shrink operation.');
    await this.exclusive(() => resize(this.state, size, options.preallocation ?? 'off'));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    try {
      if (!this.readOnly) {
        await this.exclusive(async () => {
          await this.state.flushMetadata();
          await this.state.dataHost?.barrier();
          if (!this.state.needsRepair) await this.state.markClean();
        });
      }
    } finally {
      this.closed = true;
      if (this.state.dataHost && this.state.dataHost !== this.state.host) await this.state.dataHost.close();
      await this.state.host.close();
      await this.state.backing?.close();
    }
  }

  describe(): Promise<ImageDescription> {
    return describeImage(this.state);
  }

  /** qemu-img check: a read-only image is only checked; repairs need it writable. */
  async check(options: CheckOptions = {}): Promise<CheckReport> {
    if (options.repair && this.readOnly) throw invalidOperation(`'${this.path}' is opened read-only`);
    return this.lock.run(() => checkImage(this.state, options));
  }

  async setBackingFile(path: string | undefined, format: ImageFormat | undefined): Promise<void> {
    await this.exclusive(() => setBackingFile(this.state, path, format));
  }

  async amend(options: Readonly<Record<string, string>>): Promise<void> {
    await this.exclusive(() => amend(this.state, options));
  }

  async makeEmpty(): Promise<void> {
    await this.exclusive(() => makeEmpty(this.state));
  }

  /** A metadata-changing request on a range: checked, then run alone. */
  private async modify(offset: number, length: number, task: () => Promise<void>): Promise<void> {
    checkRange(offset, length, this.size, this.path);
    if (length === 0) return;
    await this.exclusive(task);
  }

  private async exclusive<T>(task: () => Promise<T>): Promise<T> {
    if (this.readOnly) throw invalidOperation(`'${this.path}' is opened read-only`);
    this.state.corruption.checkUsable();
    return this.lock.run(task);
  }
}
