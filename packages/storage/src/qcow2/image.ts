import { AsyncLock } from '../block/async-lock.js';
import type { BlockDevice, BlockStatus, ImageFormat, ResizeOptions, WriteZeroesOptions } from '../block/device.js';
import type { CheckOptions, CheckReport, ImageDescription, SnapshotTable } from '../block/introspect.js';
import { OrderedTurns, type Turn } from '../block/ordered-turns.js';
import { RangeClaims, type Claim } from '../block/range-claims.js';
import { checkRange } from '../block/ranges.js';
import { SharedLock } from '../block/shared-lock.js';
import { invalidArgument, invalidOperation } from '../errors.js';
import { allocateForWrite } from './allocation.js';
import { amend } from './amend.js';
import { setBackingFile } from './backing-file.js';
import { checkImage } from './check.js';
import { compressCluster } from './compress.js';
import { describeImage } from './describe.js';
import { makeEmpty } from './make-empty.js';
import { openQcow2State, type Qcow2OpenOptions } from './open-qcow2.js';
import { readRange } from './read.js';
import { resize } from './resize.js';
import { Qcow2Snapshots } from './snapshots.js';
import type { Qcow2State } from './state.js';
import { blockStatus } from './status.js';
import { linkTarget, writeCompressedCluster, writeRange, writeTargetOrAbandon } from './write.js';
import { discard, writeZeroes } from './zero.js';

/**
 * A qcow2 image. Reads run concurrently. Metadata changes run one at a
 * time under a lock, since the allocator and the table caches assume a
 * single writer; a data write holds it only to allocate and to link, not
 * while its data goes out (as QEMU drops s->lock), so writes to different
 * clusters overlap. Whole-image changes (snapshots, resize, amend, check)
 * wait until no write is in flight.
 */
export class Qcow2Image implements BlockDevice {
  readonly format = 'qcow2';
  readonly snapshots: SnapshotTable;
  /** Held to change metadata. */
  private readonly metadata = new AsyncLock();
  /** Requests take it shared; whole-image changes take it exclusive. */
  private readonly requests = new SharedLock();
  /** The guest ranges of writes in flight outside the metadata lock. */
  private readonly claims = new RangeClaims();
  /**
   * Requests take their metadata steps in the order they were made: each
   * holds its turn until its last step has started, so that the image's
   * layout is the one they would give one after another.
   */
  private readonly stepTurns = new OrderedTurns();
  private closed = false;

  private constructor(private readonly state: Qcow2State) {
    this.snapshots = new Qcow2Snapshots(state, (task) => this.exclusive(task), (task) => this.alone(task));
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
    await this.request(offset, buf.length, async (turn) => {
      for (let done = 0; done < buf.length; ) {
        const at = offset + done;
        const { value: target, claim } = await this.claimed(at, buf.length - done, turn, async () => {
          this.state.lastDecompressed = undefined;
          const target = await allocateForWrite(this.state, at, buf.length - done);
          if (done + target.bytes === buf.length) turn.pass();
          return target;
        });
        try {
          await writeTargetOrAbandon(this.state, target, at, buf.subarray(done, done + target.bytes), (task) => this.metadata.run(task));
          await this.metadata.run(() => linkTarget(this.state, target));
        } finally {
          claim.release();
        }
        done += target.bytes;
      }
    });
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

  /** Completed writes reach the disk; writes still in flight need not wait for it, nor it for them. */
  async flush(): Promise<void> {
    if (this.readOnly || this.closed) return;
    this.checkWritable();
    await this.requests.shared(() =>
      this.metadata.run(async () => {
        await this.state.flushMetadata();
        await this.state.dataHost?.barrier();
      }),
    );
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
        // requests still in flight finish first, on an image found corrupt too
        await this.alone(async () => {
          this.state.corruption.checkUsable();
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
    return this.alone(() => checkImage(this.state, options));
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

  /** A metadata-changing request on a range: run whole under the metadata lock once no write in flight overlaps it. */
  private async modify(offset: number, length: number, task: () => Promise<void>): Promise<void> {
    await this.request(offset, length, async (turn) => {
      const step = await this.claimed(offset, length, turn, () => {
        turn.pass();
        return task();
      });
      step.claim.release();
    });
  }

  /**
   * A request that changes a range: checked, then run beside other
   * requests (not beside whole-image changes) with its turn for metadata
   * steps, which it passes once its last step has started.
   */
  private async request(offset: number, length: number, body: (turn: Turn) => Promise<void>): Promise<void> {
    checkRange(offset, length, this.size, this.path);
    if (length === 0) return;
    this.checkWritable();
    const turn = this.stepTurns.take();
    try {
      await this.requests.shared(() => body(turn));
    } finally {
      turn.pass();
    }
  }

  /**
   * Run a metadata step for the guest range at `offset` (whole clusters),
   * in the request's `turn`, once no write in flight overlaps the range;
   * the range stays claimed until the caller releases it.
   */
  private async claimed<T>(offset: number, length: number, turn: Turn, task: () => Promise<T>): Promise<{ value: T; claim: Claim }> {
    const cs = this.clusterSize;
    const start = Math.floor(offset / cs) * cs;
    const end = Math.ceil((offset + length) / cs) * cs;
    await turn.wait;
    for (;;) {
      await this.claims.overlapping(start, end);
      const step = await this.metadata.run(async () => {
        // a write in flight may have claimed the range while this one waited for the lock
        if (this.claims.overlapping(start, end)) return undefined;
        this.state.corruption.checkUsable();
        // the image may have shrunk since the request was checked
        checkRange(offset, length, this.size, this.path);
        return { value: await task(), claim: this.claims.claim(start, end) };
      });
      if (step) return step;
    }
  }

  private checkWritable(): void {
    if (this.readOnly) throw invalidOperation(`'${this.path}' is opened read-only`);
    this.state.corruption.checkUsable();
  }

  /** A change to the whole image: on a writable, usable image, with no request in flight. */
  private async exclusive<T>(task: () => Promise<T>): Promise<T> {
    this.checkWritable();
    return this.alone(task);
  }

  /** Run `task` with no request in flight and the metadata lock held. */
  private alone<T>(task: () => Promise<T>): Promise<T> {
    return this.requests.exclusive(() => this.metadata.run(task));
  }
}
