import { native } from '../native.js';

/**
 * Page-aligned buffers of one size, handed out and taken back, so that a
 * long copy reuses memory it has already touched (a fresh 2 MiB buffer
 * costs 512 page faults) and the kernel copies file data at full speed
 * (see native/aligned-buffer.h).
 */
export class BufferPool {
  private readonly free: Buffer[] = [];

  constructor(private readonly capacity: number) {}

  /** A buffer of `length` bytes (at most the pool's capacity), contents undefined. */
  take(length: number): Buffer {
    const buf = this.free.pop() ?? native.alignedBuffer(this.capacity);
    return buf.subarray(0, length);
  }

  /** Give back a buffer `take` returned, once nothing uses it any more. */
  give(buf: Buffer): void {
    this.free.push(Buffer.from(buf.buffer, buf.byteOffset, this.capacity));
  }
}
