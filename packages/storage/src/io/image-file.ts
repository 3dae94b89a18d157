import { constants, open, type FileHandle } from 'node:fs/promises';
import { errnoNumber, VirtError } from '@virt/core-api';
import { corruptImage, invalidArgument, systemError } from '../errors.js';
import type { CacheMode } from '../block/device.js';
import { native } from '../native.js';

export interface OpenFileOptions {
  readOnly?: boolean;
  /** Create the file (failing if it exists unless `truncate`). */
  create?: boolean;
  truncate?: boolean;
  /** How writes are made durable (default writeback). */
  cache?: CacheMode;
}

/**
 * One host file under an image: positioned reads and writes that always
 * complete, flushes, and the sparse-file operations (find data and holes,
 * preallocate, punch holes, zero ranges). Errors name the file.
 */
export class ImageFile {
  private constructor(
    readonly path: string,
    private readonly handle: FileHandle,
    readonly readOnly: boolean,
    /** flush() reaches the disk (not in cache mode unsafe). */
    private readonly flushes: boolean,
  ) {}

  static async open(path: string, options: OpenFileOptions = {}): Promise<ImageFile> {
    const readOnly = options.readOnly ?? false;
    let flags = readOnly ? constants.O_RDONLY : constants.O_RDWR;
    if (options.create) flags |= constants.O_CREAT | (options.truncate ? constants.O_TRUNC : constants.O_EXCL);
    const cache = options.cache ?? 'writeback';
    if (cache === 'writethrough' || cache === 'directsync') flags |= constants.O_DSYNC;
    let handle: FileHandle;
    try {
      handle = await open(path, flags, 0o644);
    } catch (err) {
      throw systemError(`Could not ${options.create ? 'create' : 'open'} '${path}'`, err);
    }
    // a directory opens read-only; QEMU refuses anything but files and block devices
    const stat = await handle.stat();
    if (!stat.isFile() && !stat.isBlockDevice()) {
      await handle.close();
      throw invalidArgument(`'file' driver requires '${path}' to be a regular file`);
    }
    return new ImageFile(path, handle, readOnly, cache !== 'unsafe');
  }

  get fd(): number {
    return this.handle.fd;
  }

  async size(): Promise<number> {
    try {
      return (await this.handle.stat()).size;
    } catch (err) {
      throw systemError(`Could not stat '${this.path}'`, err);
    }
  }

  /** Bytes the file occupies on disk (st_blocks × 512), what qemu-img calls "disk size". */
  async allocatedSize(): Promise<number> {
    const st = await this.handle.stat();
    return st.blocks * 512;
  }

  /**
   * Fill `buf` from `offset`. Past the end of the file reads as zeros when
   * `pastEnd` is 'zeros' (data areas of a growing image) and is an error
   * naming `what` when it is 'error' (metadata that must exist).
   */
  async read(offset: number, buf: Buffer, pastEnd: 'zeros' | 'error' = 'error', what = 'data'): Promise<void> {
    let done = 0;
    while (done < buf.length) {
      let n: number;
      try {
        ({ bytesRead: n } = await this.handle.read(buf, done, buf.length - done, offset + done));
      } catch (err) {
        throw systemError(`Could not read ${what} of '${this.path}'`, err);
      }
      if (n === 0) {
        if (pastEnd === 'error') throw corruptImage(`'${this.path}': ${what} at offset ${offset} is past the end of the file`);
        buf.fill(0, done);
        return;
      }
      done += n;
    }
  }

  async write(offset: number, buf: Buffer): Promise<void> {
    let done = 0;
    while (done < buf.length) {
      try {
        const { bytesWritten } = await this.handle.write(buf, done, buf.length - done, offset + done);
        done += bytesWritten;
      } catch (err) {
        throw systemError(`Could not write to '${this.path}'`, err);
      }
    }
  }

  /** Make completed writes durable (fdatasync; nothing in cache mode unsafe). */
  async flush(): Promise<void> {
    if (!this.flushes) return;
    try {
      await this.handle.datasync();
    } catch (err) {
      throw systemError(`Could not flush '${this.path}'`, err);
    }
  }

  async truncate(length: number): Promise<void> {
    try {
      await this.handle.truncate(length);
    } catch (err) {
      throw systemError(`Could not resize file '${this.path}'`, err);
    }
  }

  /** The next offset holding data at or after `offset`, or undefined when none does (SEEK_DATA). */
  nextData(offset: number): number | undefined {
    const found = native.seekData(this.fd, offset);
    return found < 0 ? undefined : found;
  }

  /** The next hole at or after `offset`; the end of the file counts as one (SEEK_HOLE). */
  nextHole(offset: number): number | undefined {
    const found = native.seekHole(this.fd, offset);
    return found < 0 ? undefined : found;
  }

  /** Reserve blocks for a range, growing the file if needed (fallocate). */
  async allocate(offset: number, length: number): Promise<void> {
    await native.fallocate(this.fd, 'allocate', offset, length).catch((err: unknown) => {
      throw rename(err, `Could not preallocate '${this.path}'`);
    });
  }

  /**
   * Make a range read as zeros, freeing its blocks when `unmap` (punching
   * a hole) or keeping them allocated otherwise. Returns false when the
   * file system cannot do it, so the caller writes zeros instead.
   */
  async zeroRange(offset: number, length: number, unmap: boolean): Promise<boolean> {
    try {
      await native.fallocate(this.fd, unmap ? 'punch-hole' : 'zero-range', offset, length);
      return true;
    } catch (err) {
      if (isUnsupported(err)) return false;
      throw rename(err, `Could not zero a range of '${this.path}'`);
    }
  }

  async close(): Promise<void> {
    await this.handle.close();
  }
}

const UNSUPPORTED = new Set([errnoNumber('EOPNOTSUPP'), errnoNumber('ENOSYS')]);

/** The file system has no such operation. */
function isUnsupported(err: unknown): boolean {
  return err instanceof VirtError && UNSUPPORTED.has(err.extras.int1);
}

/** A native error, its syscall name replaced by what we were doing with which file. */
function rename(err: unknown, what: string): VirtError {
  if (!(err instanceof VirtError)) return systemError(what, err);
  return new VirtError(err.code, err.domain, `${what}: ${err.message.slice(err.message.indexOf(': ') + 2)}`, err.level, err.extras);
}
