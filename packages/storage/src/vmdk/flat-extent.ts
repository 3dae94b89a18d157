import { ZERO_CHUNK, zeroBuffer } from '../block/ranges.js';
import type { ImageFile } from '../io/image-file.js';
import type { Extent, ExtentRun } from './extent.js';

/** A FLAT or VMFS extent: the disk's bytes as they are, from an offset of a host file. */
export class FlatExtent implements Extent {
  readonly flat = true;
  readonly compressed = false;
  readonly writeRefusal = undefined;
  private dirty = false;

  constructor(
    readonly file: ImageFile,
    readonly type: string,
    readonly size: number,
    /** Where the extent's data starts in the file, in bytes. */
    private readonly start: number,
  ) {}

  get grainSize(): number {
    return this.size;
  }

  async map(offset: number, length: number): Promise<ExtentRun> {
    return { kind: 'data', length, fileOffset: this.start + offset };
  }

  /** Holes in the host file (and whatever lies past its end) read as zeros, as qemu-img map shows. */
  async status(offset: number, length: number): Promise<ExtentRun> {
    const at = this.start + offset;
    const base = { kind: 'data' as const, fileOffset: at };
    const data = this.file.nextData(at);
    if (data === undefined || data > at) {
      return { ...base, length: data === undefined ? length : Math.min(length, data - at), hole: true };
    }
    const hole = this.file.nextHole(at) ?? at + length;
    return { ...base, length: Math.min(length, hole - at), hole: false };
  }

  async readRun(run: ExtentRun, _offset: number, buf: Buffer): Promise<void> {
    await this.file.read(run.fileOffset, buf, 'zeros');
  }

  async write(offset: number, data: Buffer): Promise<void> {
    this.dirty = true;
    await this.file.write(this.start + offset, data);
  }

  async writeZeroes(offset: number, length: number, mayUnmap: boolean): Promise<void> {
    this.dirty = true;
    const at = this.start + offset;
    if (await this.file.zeroRange(at, length, mayUnmap)) return;
    for (let done = 0; done < length; done += ZERO_CHUNK) await this.file.write(at + done, zeroBuffer(length - done));
  }

  async flush(): Promise<void> {
    if (!this.dirty) return;
    this.dirty = false;
    await this.file.flush();
  }

  async close(): Promise<void> {
    await this.file.close();
  }
}
