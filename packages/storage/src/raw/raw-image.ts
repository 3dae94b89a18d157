import { ImageFile } from '../io/image-file.js';
import { invalidOperation, unsupported } from '../errors.js';
import { checkRange, FIRST_BLOCK, ZERO_CHUNK, zeroBuffer } from '../block/ranges.js';
import type { BlockDevice, BlockStatus, CacheMode, Preallocation, ResizeOptions, WriteZeroesOptions } from '../block/device.js';
import type { ImageDescription } from '../block/introspect.js';
import { probeFormat } from '../probe.js';

export interface RawOpenOptions {
  readOnly?: boolean;
  cache?: CacheMode;
  /**
   * The format was guessed rather than given: like QEMU, refuse writes that
   * would make the first sector look like another format, or a guest could
   * turn its disk into, say, a qcow2 with a backing file on the host.
   */
  probed?: boolean;
}

/**
 * A raw image: the file is the disk, holes read as zeros. The disk is the
 * file's length rounded up to whole 512-byte sectors, the tail of the last
 * one reading as zeros, as in QEMU.
 */
export class RawImage implements BlockDevice {
  readonly format = 'raw';
  readonly backing = undefined;

  private constructor(
    private readonly file: ImageFile,
    private virtualSize: number,
    private readonly probed: boolean,
  ) {}

  static async open(path: string, options: RawOpenOptions = {}): Promise<RawImage> {
    const file = await ImageFile.open(path, { readOnly: options.readOnly ?? false, cache: options.cache });
    return new RawImage(file, roundUpToSector(await file.size()), options.probed ?? false);
  }

  /** Create (or truncate) a raw image of `size` bytes. */
  static async create(path: string, size: number, preallocation: Preallocation = 'off'): Promise<void> {
    const file = await ImageFile.open(path, { create: true, truncate: true });
    try {
      await growFile(file, 0, size, preallocation);
      // as QEMU, write the first block: file systems then report the image's alignment from the start
      if (preallocation === 'off' || preallocation === 'metadata') await file.write(0, zeroBuffer(Math.min(size, FIRST_BLOCK)));
      await file.flush();
    } finally {
      await file.close();
    }
  }

  get path(): string {
    return this.file.path;
  }

  get readOnly(): boolean {
    return this.file.readOnly;
  }

  get size(): number {
    return this.virtualSize;
  }

  async readInto(offset: number, buf: Buffer): Promise<void> {
    checkRange(offset, buf.length, this.virtualSize, this.path);
    await this.file.read(offset, buf, 'zeros');
  }

  async read(offset: number, length: number): Promise<Buffer> {
    const buf = Buffer.allocUnsafe(length);
    await this.readInto(offset, buf);
    return buf;
  }

  async write(offset: number, buf: Buffer): Promise<void> {
    this.checkWritable();
    checkRange(offset, buf.length, this.virtualSize, this.path);
    if (this.probed && offset < 512) await this.checkFirstSector(offset, buf);
    await this.file.write(offset, buf);
  }

  async writeZeroes(offset: number, length: number, options: WriteZeroesOptions = {}): Promise<void> {
    this.checkWritable();
    checkRange(offset, length, this.virtualSize, this.path);
    if (length === 0) return;
    if (await this.file.zeroRange(offset, length, options.mayUnmap ?? false)) return;
    await writeZeros(this.file, offset, length);
  }

  async discard(offset: number, length: number): Promise<void> {
    this.checkWritable();
    checkRange(offset, length, this.virtualSize, this.path);
    // advisory, as in QEMU: where the file system cannot punch holes the data stays
    if (length > 0) await this.file.zeroRange(offset, length, true);
  }

  async flush(): Promise<void> {
    if (!this.readOnly) await this.file.flush();
  }

  /** Holes read as zeros; data is data at the same offset in the file. */
  async getStatus(offset: number, length: number): Promise<BlockStatus> {
    checkRange(offset, length, this.virtualSize, this.path);
    const end = offset + length;
    const data = this.file.nextData(offset);
    const base = { present: true, depth: 0, offset, file: this.path };
    if (data === undefined || data > offset) {
      return { ...base, length: Math.min(end, data ?? end) - offset, zero: true, data: false };
    }
    const hole = this.file.nextHole(offset) ?? end;
    return { ...base, length: Math.min(end, hole) - offset, zero: false, data: true };
  }

  async resize(size: number, options: ResizeOptions = {}): Promise<void> {
    this.checkWritable();
    if (options.preallocation === 'metadata') throw unsupported('Unsupported preallocation mode: metadata');
    if (size < this.virtualSize && !options.shrink) {
      throw invalidOperation('Use the --shrink option to perform a shrink operation.');
    }
    const fileSize = await this.file.size();
    if (size < fileSize) await this.file.truncate(size);
    else await growFile(this.file, fileSize, size, options.preallocation ?? 'off');
    this.virtualSize = roundUpToSector(size);
  }

  async close(): Promise<void> {
    await this.file.close();
  }

  async describe(): Promise<ImageDescription> {
    return { format: 'raw', virtualSize: this.virtualSize, actualSize: await this.file.allocatedSize(), dirtyFlag: false };
  }

  private checkWritable(): void {
    if (this.readOnly) throw invalidOperation(`'${this.path}' is opened read-only`);
  }

  /** Would the first sector, after this write, be taken for another format? */
  private async checkFirstSector(offset: number, buf: Buffer): Promise<void> {
    const sector = Buffer.alloc(512);
    await this.file.read(0, sector, 'zeros');
    buf.copy(sector, offset, 0, Math.min(buf.length, 512 - offset));
    if (probeFormat(sector) !== 'raw') {
      throw invalidOperation(`'${this.path}': writes to the first sector of a raw image whose format was probed cannot make it look like another format`);
    }
  }
}


/** Raw images are whole 512-byte sectors long. */
export function roundUpToSector(size: number): number {
  return Math.ceil(size / 512) * 512;
}

/** Extend a file from `from` to `to` bytes, reserving the new space as `preallocation` says. */
export async function growFile(file: ImageFile, from: number, to: number, preallocation: Preallocation): Promise<void> {
  if (to <= from) {
    await file.truncate(to);
    return;
  }
  switch (preallocation) {
    case 'off':
    case 'metadata':
      await file.truncate(to);
      return;
    case 'falloc':
      await file.truncate(to);
      await file.allocate(from, to - from);
      return;
    case 'full':
      await writeZeros(file, from, to - from);
      return;
  }
}

/** Write zeros for real, a bounded buffer at a time. */
async function writeZeros(file: ImageFile, offset: number, length: number): Promise<void> {
  for (let done = 0; done < length; done += ZERO_CHUNK) {
    await file.write(offset + done, zeroBuffer(length - done));
  }
}
