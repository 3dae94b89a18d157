import type { BlockDevice } from '../block/device.js';
import { during } from './failure.js';

export interface BenchOptions {
  /** Requests to send (default 75000). */
  count?: number;
  /** Requests in flight (default 64). */
  depth?: number;
  /** Bytes per request (default 4096). */
  bufferSize?: number;
  /** Bytes between the offsets of successive requests (default: the buffer size). */
  step?: number;
  /** Where the first request goes. */
  offset?: number;
  write?: boolean;
  /** The byte write requests carry. */
  pattern?: number;
  /** Flush after every this many write requests (0: never); other requests keep flowing meanwhile. */
  flushInterval?: number;
}

/**
 * Send `count` requests to a disk, `depth` at a time, at offsets that step
 * through it and wrap at its end (qemu-img bench). Returns the seconds taken.
 */
export async function bench(device: BlockDevice, options: BenchOptions = {}): Promise<number> {
  const count = options.count ?? 75000;
  const depth = Math.max(1, options.depth ?? 64);
  const size = options.bufferSize ?? 4096;
  const step = options.step ?? size;
  const flushInterval = options.flushInterval ?? 0;
  let offset = options.offset ?? 0;
  let sent = 0;
  const started = process.hrtime.bigint();
  const worker = async (): Promise<void> => {
    const buf = Buffer.alloc(size, options.pattern ?? 0);
    while (sent < count) {
      sent++;
      if (offset + size > device.size) offset = 0;
      const at = offset;
      offset += step;
      if (options.write) await during('Failed request', () => device.write(at, buf));
      else await during('Failed request', () => device.readInto(at, buf));
      if (flushInterval > 0 && sent % flushInterval === 0) await during('Failed flush request', () => device.flush());
    }
  };
  await Promise.all(Array.from({ length: Math.min(depth, Math.max(count, 1)) }, worker));
  return Number(process.hrtime.bigint() - started) / 1e9;
}
