import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { ErrorDomain, nativeErrorFactory, type NativeErrorFactory } from '@virt/core-api';

/** The addon's functions (packages/storage/native). */
interface Native {
  setErrorFactory(factory: NativeErrorFactory): void;
  /** The next data offset at or after `offset`, or -1 when only a hole (or nothing) follows. */
  seekData(fd: number, offset: number): number;
  /** The next hole at or after `offset` (the end of the file counts as one), or -1 past the end. */
  seekHole(fd: number, offset: number): number;
  fallocate(fd: number, kind: 'allocate' | 'punch-hole' | 'zero-range', offset: number, length: number): Promise<void>;
  /** A Buffer of `size` bytes starting on a page boundary (the kernel copies into those fastest). */
  alignedBuffer(size: number): Buffer;
  /** How many `sectorSize`-byte sectors at the start of `buf` are all zeros (a partial last one counts). */
  zeroSectors(buf: Buffer, sectorSize: number): number;
  /** Where each run of zero and non-zero sectors of `buf` ends (alternating, a zero run first), scanned on the thread pool. */
  sectorRuns(buf: Buffer, sectorSize: number): Promise<Uint32Array>;
  /**
   * zlib's deflate of `src` with deflateInit2's parameters (windowBits
   * negative: raw deflate), or null when longer than `limit` bytes (0: no
   * limit). One job on the thread pool.
   */
  deflateCompress(src: Buffer, level: number, windowBits: number, memLevel: number, limit: number): Promise<Buffer | null>;
  /** The zstd frame of `src`, or null when it would not be smaller than `limit` bytes. */
  zstdCompress(src: Buffer, level: number, limit: number): Promise<Buffer | null>;
  /** Fill `dst` exactly from the zstd frame at the start of `src`. */
  zstdDecompress(src: Buffer, dst: Buffer): Promise<void>;
}

function load(): Native {
  // found through the package itself, so that the path holds from dist/ (the
  // published package), from src/ (tests) and from a bundle that inlines us
  const require = createRequire(import.meta.url);
  const root = dirname(require.resolve('@virt/storage/package.json'));
  const native = require(join(root, 'build', 'Release', 'virt_storage.node')) as Native;
  // failures come back as VirtError system errors, the errno number in extras.int1
  native.setErrorFactory(nativeErrorFactory(ErrorDomain.STORAGE));
  return native;
}

export const native: Native = load();
