import type { BlockDevice } from '../block/device.js';
import { during } from './failure.js';

export interface DdOptions {
  /** Bytes per block (bs=, default 512). */
  blockSize?: number;
  /** Blocks to copy (count=, default all). */
  count?: number;
  /** Blocks of the input to skip first (skip=). */
  skip?: number;
}

/** The bytes dd copies: from the skipped blocks up to `count` blocks of the input, or its end. */
export function ddLength(inputSize: number, options: DdOptions = {}): number {
  const blockSize = options.blockSize ?? 512;
  const limit = options.count === undefined ? inputSize : Math.min(inputSize, options.count * blockSize);
  return Math.max(0, limit - (options.skip ?? 0) * blockSize);
}

/** Copy blocks of `input` to the start of `output` (qemu-img dd), one block at a time. */
export async function dd(input: BlockDevice, output: BlockDevice, options: DdOptions = {}): Promise<void> {
  const blockSize = options.blockSize ?? 512;
  const from = (options.skip ?? 0) * blockSize;
  const length = ddLength(input.size, options);
  const buf = Buffer.allocUnsafe(Math.min(blockSize, Math.max(length, 1)));
  for (let done = 0; done < length; ) {
    const piece = buf.subarray(0, Math.min(blockSize, length - done));
    await during('error while reading from input image file', () => input.readInto(from + done, piece));
    await during('error while writing to output image file', () => output.write(done, piece));
    done += piece.length;
  }
  await during('error while writing to output image file', () => output.flush());
}
