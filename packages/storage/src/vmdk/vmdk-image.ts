import type { BlockDevice, BlockStatus, WriteZeroesOptions } from '../block/device.js';
import type { CheckOptions, CheckReport, ImageDescription } from '../block/introspect.js';
import { checkRange } from '../block/ranges.js';
import { TaskPool } from '../block/task-pool.js';
import { invalidOperation, unsupported } from '../errors.js';
import { checkExtents } from './check.js';
import type { DescriptorStore } from './descriptor-store.js';
import { describeVmdk } from './describe.js';
import type { Extent, ExtentRun, WriteContext } from './extent.js';
import { requestFailed } from './io-errors.js';

/** Runs of one read request being read at once. */
const READS_IN_FLIGHT = 8;

/** What an opened VMDK is made of (see openVmdk). */
export interface VmdkParts {
  path: string;
  readOnly: boolean;
  /** In disk order. */
  extents: Extent[];
  descriptor: DescriptorStore;
  /** The descriptor is a file of its own (not the first extent's file). */
  separateDescriptor: boolean;
  parentCid: number;
  createType: string;
  /** The parent's name as parentFileNameHint gives it, and that name resolved beside this image. */
  backingName: string | undefined;
  backingPath: string | undefined;
  backing: BlockDevice | undefined;
}

/** An extent and the disk offset it starts at. */
export interface PlacedExtent {
  extent: Extent;
  start: number;
}

/**
 * A VMDK image: its extents laid end to end, a descriptor with the CIDs,
 * and an optional parent. Reads need no lock; each extent serialises its
 * own allocations.
 */
export class VmdkImage implements BlockDevice {
  readonly format = 'vmdk';
  readonly path: string;
  readonly readOnly: boolean;
  readonly size: number;
  readonly backing: BlockDevice | undefined;
  readonly clusterSize: number | undefined;
  /** As QEMU tells qemu-img convert: the first extent takes only compressed writes. */
  readonly needsCompressedWrites: boolean;
  private readonly placed: PlacedExtent[];
  private readonly parts: VmdkParts;
  /** The new CID written on the first write since open. */
  private cidRenewal: Promise<void> | undefined;
  /** The parent's CID matched ours once: QEMU checks it once per open. */
  private parentChecked = false;

  constructor(parts: VmdkParts) {
    this.parts = parts;
    this.path = parts.path;
    this.readOnly = parts.readOnly;
    this.backing = parts.backing;
    let start = 0;
    this.placed = parts.extents.map((extent) => {
      const placed = { extent, start };
      start += extent.size;
      return placed;
    });
    this.size = start;
    this.clusterSize = uniformGrainSize(parts.extents);
    this.needsCompressedWrites = parts.extents[0]?.compressed ?? false;
  }

  /** The image's current CID (what a child's parentCID must match). */
  get cid(): number {
    return this.parts.descriptor.currentCid;
  }

  /**
   * The runs of a request are read concurrently, a few at a time, so that
   * the grains of a large read decompress in parallel on the thread pool.
   */
  async readInto(offset: number, buf: Buffer): Promise<void> {
    checkRange(offset, buf.length, this.size, this.path);
    const pool = new TaskPool(READS_IN_FLIGHT);
    for (let done = 0; done < buf.length; ) {
      const at = offset + done;
      const { extent, start } = this.extentAt(at);
      const run = await extent.map(at - start, Math.min(buf.length - done, start + extent.size - at));
      const part = buf.subarray(done, done + run.length);
      await pool.add(() => this.readRun(extent, run, at - start, at, part));
      done += run.length;
    }
    await pool.drain();
  }

  async read(offset: number, length: number): Promise<Buffer> {
    const buf = Buffer.allocUnsafe(length);
    await this.readInto(offset, buf);
    return buf;
  }

  async write(offset: number, buf: Buffer): Promise<void> {
    await this.eachExtent(offset, buf.length, (extent, at, done, length, context) => extent.write(at, buf.subarray(done, done + length), context));
  }

  async writeZeroes(offset: number, length: number, options: WriteZeroesOptions = {}): Promise<void> {
    await this.eachExtent(offset, length, (extent, at, _done, pieceLength, context) =>
      extent.writeZeroes(at, pieceLength, options.mayUnmap ?? false, context),
    );
  }

  /** Compressed extents compress every write; others take compressed writes as plain ones, as in QEMU. */
  async writeCompressed(offset: number, buf: Buffer): Promise<void> {
    // qemu-img convert ends with an empty compressed write; our files are always sector-aligned
    if (buf.length === 0) return;
    await this.write(offset, buf);
  }

  /** QEMU's vmdk driver has no discard: the data stays. */
  async discard(offset: number, length: number): Promise<void> {
    this.checkWritable();
    checkRange(offset, length, this.size, this.path);
  }

  async flush(): Promise<void> {
    if (this.readOnly) return;
    for (const { extent } of this.placed) await extent.flush();
  }

  async getStatus(offset: number, length: number): Promise<BlockStatus> {
    checkRange(offset, length, this.size, this.path);
    const status = await this.statusAt(offset, length);
    while (status.length < length) {
      const next = await this.statusAt(offset + status.length, length - status.length);
      if (!continues(status, next)) break;
      status.length += next.length;
    }
    return status;
  }

  /** QEMU cannot resize VMDK images. */
  async resize(): Promise<void> {
    throw unsupported('Image format driver does not support resize');
  }

  async close(): Promise<void> {
    try {
      await this.flush();
    } finally {
      for (const { extent } of this.placed) await extent.close();
      if (this.parts.separateDescriptor) await this.parts.descriptor.file.close();
      await this.backing?.close();
    }
  }

  describe(): Promise<ImageDescription> {
    return describeVmdk(this.parts, this.size);
  }

  async check(options: CheckOptions = {}): Promise<CheckReport> {
    if (options.repair) throw unsupported('This image format does not support checks');
    await checkExtents(this.placed, this.size, options.report ?? (() => undefined));
    return { checkErrors: 0, corruptions: 0, leaks: 0, corruptionsFixed: 0, leaksFixed: 0 };
  }

  private async readRun(extent: Extent, run: ExtentRun, extentOffset: number, diskOffset: number, buf: Buffer): Promise<void> {
    switch (run.kind) {
      case 'data':
      case 'compressed':
        return extent.readRun(run, extentOffset, buf);
      case 'unallocated':
        return this.readLower(diskOffset, buf);
      // QEMU reads grains it cannot look up as zeros
      case 'zero':
      case 'invalid':
        buf.fill(0);
    }
  }

  /** What shows through unallocated grains: the parent (when its CID still matches ours), else zeros. */
  private async readLower(offset: number, buf: Buffer): Promise<void> {
    const backing = this.backing;
    if (!backing) {
      buf.fill(0);
      return;
    }
    this.checkParent(backing);
    const inParent = Math.max(0, Math.min(buf.length, backing.size - offset));
    if (inParent > 0) await backing.readInto(offset, buf.subarray(0, inParent));
    buf.fill(0, inParent);
  }

  /** A parent written to since this image was made (its CID changed) cannot be read through, as in QEMU. */
  private checkParent(backing: BlockDevice): void {
    if (this.parentChecked) return;
    const parentCid = backing instanceof VmdkImage ? backing.cid : undefined;
    if (parentCid !== this.parts.parentCid) {
      throw requestFailed(
        `'${this.path}': the parent CID ${this.parts.parentCid.toString(16)} does not match the CID of '${backing.path}'` +
          (parentCid === undefined ? ' (not a VMDK image)' : ` (${parentCid.toString(16)}): the parent has changed`),
        'EINVAL',
      );
    }
    this.parentChecked = true;
  }

  private async statusAt(offset: number, length: number): Promise<BlockStatus> {
    const { extent, start } = this.extentAt(offset);
    const run = await extent.status(offset - start, Math.min(length, start + extent.size - offset));
    const file = extent.file.path;
    switch (run.kind) {
      case 'data':
        return { length: run.length, present: true, zero: run.hole === true, data: true, depth: 0, offset: run.fileOffset, file };
      case 'compressed':
        return { length: run.length, present: true, zero: false, data: true, depth: 0, compressed: true, file };
      case 'zero':
        return { length: run.length, present: true, zero: true, data: false, depth: 0 };
      case 'invalid':
        throw requestFailed(`'${file}': no valid grain table entry for offset ${offset}`, 'EIO');
      case 'unallocated':
        return this.lowerStatus(offset, run.length);
    }
  }

  /** The status of an unallocated range: the parent's, one level deeper; nothing but zeros past its end. */
  private async lowerStatus(offset: number, length: number): Promise<BlockStatus> {
    const backing = this.backing;
    if (!backing || offset >= backing.size) return { length, present: false, zero: true, data: false, depth: 0 };
    const status = await backing.getStatus(offset, Math.min(length, backing.size - offset));
    return { ...status, depth: status.depth + 1 };
  }

  /**
   * Run `action` on each extent's part of a write (at: offset in the
   * extent, done: bytes of the request before it), after the checks and the
   * CID renewal every write needs.
   */
  private async eachExtent(
    offset: number,
    length: number,
    action: (extent: Extent, at: number, done: number, length: number, context: WriteContext) => Promise<void>,
  ): Promise<void> {
    this.checkWritable();
    checkRange(offset, length, this.size, this.path);
    const pieces: Array<{ placed: PlacedExtent; done: number; length: number }> = [];
    for (let done = 0; done < length; ) {
      const placed = this.extentAt(offset + done);
      const pieceLength = Math.min(length - done, placed.start + placed.extent.size - offset - done);
      // refused before anything changes, the CID included
      if (placed.extent.writeRefusal !== undefined) throw unsupported(`'${placed.extent.file.path}': ${placed.extent.writeRefusal}`);
      pieces.push({ placed, done, length: pieceLength });
      done += pieceLength;
    }
    if (pieces.length === 0) return;
    await this.renewCid();
    for (const { placed, done, length: pieceLength } of pieces) {
      const { extent, start } = placed;
      const lower = this.backing ? (o: number, b: Buffer) => this.readLower(start + o, b) : undefined;
      await action(extent, offset + done - start, done, pieceLength, { lower });
    }
  }

  /** The first write after open gives the image a new CID, before any data changes (so a crash cannot leave changed data under the old CID). */
  private renewCid(): Promise<void> {
    this.cidRenewal ??= this.parts.descriptor.renewCid().catch((err: unknown) => {
      this.cidRenewal = undefined;
      throw err;
    });
    return this.cidRenewal;
  }

  private checkWritable(): void {
    if (this.readOnly) throw invalidOperation(`'${this.path}' is opened read-only`);
  }

  private extentAt(offset: number): PlacedExtent {
    let low = 0;
    let high = this.placed.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((this.placed[mid]?.start ?? 0) <= offset) low = mid;
      else high = mid - 1;
    }
    const placed = this.placed[low];
    if (!placed) throw invalidOperation(`'${this.path}' has no extents`);
    return placed;
  }
}

/** Two statuses read as one: the same in every respect, the second's data right after the first's. */
function continues(a: BlockStatus, b: BlockStatus): boolean {
  return (
    a.present === b.present &&
    a.zero === b.zero &&
    a.data === b.data &&
    a.depth === b.depth &&
    a.compressed === b.compressed &&
    a.file === b.file &&
    (a.offset === undefined ? b.offset === undefined : b.offset === a.offset + a.length)
  );
}

/**
 * The grain size qemu-img reports as the image's cluster size: only when
 * every extent is of the same kind (all flat, or all sparse with the same
 * compression and grain size), and never for flat ones.
 */
export function uniformGrainSize(extents: readonly Extent[]): number | undefined {
  const first = extents[0];
  if (!first || !extentsAlike(extents) || first.flat) return undefined;
  return first.grainSize;
}

/** QEMU's condition for reporting cluster size and dirty flag: all extents of one kind. */
export function extentsAlike(extents: readonly Extent[]): boolean {
  const first = extents[0];
  return extents.every((e) => first !== undefined && e.flat === first.flat && e.compressed === first.compressed && (e.flat || e.grainSize === first.grainSize));
}
