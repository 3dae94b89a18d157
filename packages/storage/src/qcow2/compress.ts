import { promisify } from 'node:util';
import { constants, inflateRaw, type ZlibOptions } from 'node:zlib';
import { native } from '../native.js';
import { COMPRESSION_ZSTD } from './constants.js';

/*
 * Cluster compression as QEMU does it, off the main thread: zlib is raw
 * deflate with a 4 KiB window, zstd one frame per cluster, both through
 * the native addon (one thread-pool job per cluster); zlib decompression
 * through node:zlib, whose async calls also run on the pool.
 */

const inflateRawAsync = promisify<Buffer, ZlibOptions, Buffer>(inflateRaw);

/** QEMU's deflateInit2 parameters: default level, raw deflate with a 4 KiB window, memLevel 9. */
const DEFLATE = { level: constants.Z_DEFAULT_COMPRESSION, windowBits: -12, memLevel: 9 };
const ZSTD_LEVEL = 3;

/**
 * The compressed form of one cluster, or undefined when it would not be
 * smaller than the cluster (QEMU then stores the cluster as it is).
 */
export async function compressCluster(compressionType: number, cluster: Buffer): Promise<Buffer | undefined> {
  const limit = cluster.length - 1;
  if (compressionType === COMPRESSION_ZSTD) return (await native.zstdCompress(cluster, ZSTD_LEVEL, limit)) ?? undefined;
  return (await native.deflateCompress(cluster, DEFLATE.level, DEFLATE.windowBits, DEFLATE.memLevel, limit)) ?? undefined;
}

/**
 * Decompress exactly `clusterSize` bytes from `input` (which may run on
 * past the compressed stream, to the end of its last sector). Throws when
 * the data does not decompress to a whole cluster.
 */
export async function decompressCluster(compressionType: number, input: Buffer, clusterSize: number): Promise<Buffer> {
  if (compressionType === COMPRESSION_ZSTD) {
    const out = Buffer.allocUnsafe(clusterSize);
    await native.zstdDecompress(input, out);
    return out;
  }
  // a stream that stops short still yields what it holds; more than a cluster is refused by the bound
  const data = await inflateRawAsync(input, { windowBits: 12, finishFlush: constants.Z_SYNC_FLUSH, maxOutputLength: clusterSize });
  if (data.length !== clusterSize) throw new RangeError(`decompressed ${data.length} bytes instead of ${clusterSize}`);
  return data;
}
