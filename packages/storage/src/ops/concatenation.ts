import type { BlockDevice, BlockStatus } from '../block/device.js';
import { readPadded, SECTOR } from './chunks.js';

/**
 * Several images one after another, read as one disk (qemu-img convert's
 * sources): each contributes its size rounded up to whole sectors.
 */
export class Concatenation {
  readonly size: number;
  private readonly starts: number[] = [];

  constructor(readonly sources: readonly BlockDevice[]) {
    let at = 0;
    for (const source of sources) {
      this.starts.push(at);
      at += Math.ceil(source.size / SECTOR) * SECTOR;
    }
    this.size = at;
  }

  /** The source `pos` falls in, where in it, and where (on the whole disk) that source ends. */
  locate(pos: number): { source: BlockDevice; offset: number; end: number } {
    let index = this.starts.length - 1;
    while (index > 0 && this.starts[index]! > pos) index--;
    const end = index + 1 < this.starts.length ? this.starts[index + 1]! : this.size;
    return { source: this.sources[index]!, offset: pos - this.starts[index]!, end };
  }

  /** The status at `pos` for at most `length` bytes, never crossing from one source into the next. */
  async status(pos: number, length: number): Promise<BlockStatus> {
    const { source, offset, end } = this.locate(pos);
    const wanted = Math.min(length, end - pos);
    // the rounding of a source's size up to a sector reads as zeros
    if (offset >= source.size) return { length: wanted, present: false, zero: true, data: false, depth: 0 };
    const status = await source.getStatus(offset, Math.min(wanted, source.size - offset));
    return { ...status, length: Math.min(wanted, Math.ceil(status.length / SECTOR) * SECTOR) };
  }

  /** Fill `buf` from `pos`, across sources as needed. */
  async read(pos: number, buf: Buffer): Promise<void> {
    for (let done = 0; done < buf.length; ) {
      const { source, offset, end } = this.locate(pos + done);
      const length = Math.min(buf.length - done, end - pos - done);
      await readPadded(source, offset, buf.subarray(done, done + length));
      done += length;
    }
  }
}
