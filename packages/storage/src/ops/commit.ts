import type { BlockDevice } from '../block/device.js';
import { invalidArgument } from '../errors.js';
import { IO_CHUNK } from './chunks.js';
import { during } from './failure.js';

export interface CommitOptions {
  /** Empty the top image afterwards, so that it reads as the base (default true). */
  emptyTop?: boolean;
  onProgress?: (percent: number) => void;
}

/**
 * Copy what the images above `base` hold into it (qemu-img commit): `base`
 * is the image `depth` levels below `top`, opened for writing on its own.
 * The base grows when the top is larger.
 */
export async function commit(top: BlockDevice, base: BlockDevice, depth: number, options: CommitOptions = {}): Promise<void> {
  if (depth < 1) throw invalidArgument('the base of a commit must lie below the top image');
  if (base.size < top.size) await during('Block job failed', () => base.resize(top.size));
  options.onProgress?.(0);
  for (let pos = 0; pos < top.size; ) {
    const status = await during('Block job failed', () => top.getStatus(pos, Math.min(IO_CHUNK, top.size - pos)));
    const above = status.present && status.depth < depth;
    // zeros may drop the base's clusters, as QEMU's commit (a mirror job that unmaps) does
    if (above && status.zero) await during('Block job failed', () => base.writeZeroes(pos, status.length, { mayUnmap: true }));
    else if (above) {
      const buf = await during('Block job failed', () => top.read(pos, status.length));
      await during('Block job failed', () => base.write(pos, buf));
    }
    pos += status.length;
    options.onProgress?.((pos / top.size) * 100);
  }
  await during('Block job failed', () => base.flush());
  if (options.emptyTop ?? true) await top.makeEmpty?.();
  options.onProgress?.(100);
}
