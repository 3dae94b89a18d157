import type { BlockDevice, ImageFormat } from '../block/device.js';
import { invalidArgument, unsupported } from '../errors.js';
import { IO_CHUNK, readPadded, SECTOR } from './chunks.js';
import { during } from './failure.js';

export interface RebaseOptions {
  /** The backing file name to record (undefined: none, the image then stands alone). */
  backingFile?: string;
  backingFormat?: ImageFormat;
  /**
   * The new backing image, opened, for a safe rebase: whatever reads
   * differently through it than through the old chain is first copied into
   * the image. Without it (unsafe, -u) only the name changes.
   */
  newBacking?: BlockDevice;
  safe?: boolean;
  onProgress?: (percent: number) => void;
}

/**
 * Point an image at another backing file (qemu-img rebase). Safe mode
 * keeps what the guest sees: where the image holds nothing itself, each
 * 512-byte sector that the old chain and the new backing read differently
 * is copied from the old chain into the image first.
 */
export async function rebase(image: BlockDevice, options: RebaseOptions = {}): Promise<void> {
  options.onProgress?.(0);
  if (options.safe) await copyDifferences(image, image.backing, options.newBacking, options.onProgress);
  // a name without a format would have the format probed, which is unsafe for raw backing files
  if (options.backingFile && !options.backingFormat) throw invalidArgument('backing format must be specified');
  if (!image.setBackingFile) throw unsupported('Operation not supported');
  await image.setBackingFile(options.backingFile, options.backingFormat);
  options.onProgress?.(100);
}

async function copyDifferences(image: BlockDevice, old: BlockDevice | undefined, next: BlockDevice | undefined, onProgress?: (percent: number) => void): Promise<void> {
  const oldBuf = Buffer.allocUnsafe(IO_CHUNK);
  const newBuf = Buffer.allocUnsafe(IO_CHUNK);
  for (let pos = 0; pos < image.size; ) {
    const status = await during('error while reading image metadata', () => image.getStatus(pos, Math.min(IO_CHUNK, image.size - pos)));
    if (!(status.present && status.depth === 0)) {
      const length = status.length;
      await during('error while reading from old backing file', () => readPadded(old, pos, oldBuf.subarray(0, length)));
      await during('error while reading from new backing file', () => readPadded(next, pos, newBuf.subarray(0, length)));
      for (let at = 0; at < length; ) {
        const differing = runLength(oldBuf, newBuf, at, length, true);
        if (differing > 0) {
          const data = oldBuf.subarray(at, at + differing);
          await during('Error while writing to COW image', () => image.write(pos + at, data));
        }
        at += differing + runLength(oldBuf, newBuf, at + differing, length, false);
      }
    }
    pos += status.length;
    onProgress?.((pos / image.size) * 100);
  }
}

/** How many bytes from `at` (in whole sectors, up to `end`) the two buffers differ in (or agree in). */
function runLength(a: Buffer, b: Buffer, at: number, end: number, differ: boolean): number {
  let length = 0;
  while (at + length < end) {
    const stop = Math.min(end, at + length + SECTOR);
    const same = a.subarray(at + length, stop).equals(b.subarray(at + length, stop));
    if (same === differ) break;
    length = stop - at;
  }
  return length;
}
