/*
 * The qcow2 images the scripts start from: every layout qemu-img can make
 * (cluster sizes, refcount widths, compat levels, compression types,
 * extended L2, lazy refcounts, backing chains, snapshots) and copies of one
 * small image with header or table fields patched to break it in a known way.
 *
 * q.qcow2 (4 MiB, 64 KiB clusters) as qemu-img 7.2 lays it out: header in
 * cluster 0, refcount table in 1, refcount block in 2, L1 table in 3, the
 * L2 table in 4 and data from cluster 5 on; 22 clusters in use.
 */
import { copyFileSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { patch, run } from './fixture-tools.js';

/** Offsets of the header fields the broken images patch. */
const HEADER = { size: 24, cryptMethod: 32, l1Size: 36, l1Offset: 40, refcountTableOffset: 48, incompatible: 72 } as const;
const REFCOUNT_BLOCK = 0x20000;
const L2_TABLE = 0x40000;

export function buildQcow2Fixtures(dir: string): void {
  const img = (...args: string[]): void => run(dir, 'qemu-img', args);
  const io = (file: string, ...commands: string[]): void => run(dir, 'qemu-io', ['-f', 'qcow2', ...commands.flatMap((c) => ['-c', c]), file]);
  const at = (name: string): string => join(dir, name);
  /** Data, an explicit zero cluster, a hole and data again. */
  const fill = (file: string): void => io(file, 'write -P 0x11 0 1M', 'write -z 1M 64k', 'write -P 0x22 3M 64k');
  const layout = (name: string, options: string, size = '4M'): void => {
    img('create', '-q', '-f', 'qcow2', '-o', options, name, size);
    fill(name);
  };

  img('create', '-q', '-f', 'qcow2', 'q.qcow2', '4M');
  fill('q.qcow2');
  img('create', '-q', '-f', 'qcow2', 'empty.qcow2', '1G');
  layout('v2.qcow2', 'compat=0.10');
  layout('c512.qcow2', 'cluster_size=512');
  layout('c2M.qcow2', 'cluster_size=2M', '8M');
  layout('rc1.qcow2', 'refcount_bits=1');
  layout('rc64.qcow2', 'refcount_bits=64');
  layout('lazy.qcow2', 'lazy_refcounts=on');
  layout('xl2.qcow2', 'extended_l2=on');
  layout('xl2-small.qcow2', 'extended_l2=on,cluster_size=16k');
  layout('zstd.qcow2', 'compression_type=zstd');
  img('convert', '-c', '-O', 'qcow2', 'data.raw', 'zlib-c.qcow2');
  img('convert', '-c', '-O', 'qcow2', '-o', 'compression_type=zstd', 'data.raw', 'zstd-c.qcow2');
  img('convert', '-O', 'qcow2', 'data.raw', 'data.qcow2');

  // a chain of three with a different pattern in each layer, and a qcow2 over raw
  img('create', '-q', '-f', 'qcow2', 'base.qcow2', '2M');
  io('base.qcow2', 'write -P 0x11 0 1M');
  img('create', '-q', '-f', 'qcow2', '-b', 'base.qcow2', '-F', 'qcow2', 'mid.qcow2');
  io('mid.qcow2', 'write -P 0x22 512k 64k');
  img('create', '-q', '-f', 'qcow2', '-b', 'mid.qcow2', '-F', 'qcow2', 'top.qcow2');
  io('top.qcow2', 'write -P 0x33 1536k 64k', 'write -z 0 64k');
  img('create', '-q', '-f', 'qcow2', '-b', 'data.raw', '-F', 'raw', 'over-raw.qcow2');
  io('over-raw.qcow2', 'write -P 0x44 64k 4k');
  img('create', '-q', '-f', 'qcow2', '-u', '-b', 'missing.qcow2', '-F', 'qcow2', 'orphan.qcow2', '1M');
  img('create', '-q', '-f', 'qcow2', '-u', '-b', 'loop-b.qcow2', '-F', 'qcow2', 'loop-a.qcow2', '1M');
  img('create', '-q', '-f', 'qcow2', '-u', '-b', 'loop-a.qcow2', '-F', 'qcow2', 'loop-b.qcow2', '1M');

  // two internal snapshots, the image changed after each
  copyFileSync(at('q.qcow2'), at('snap.qcow2'));
  img('snapshot', '-c', 's1', 'snap.qcow2');
  io('snap.qcow2', 'write -P 0x55 0 64k');
  img('snapshot', '-c', 's2', 'snap.qcow2');
  io('snap.qcow2', 'write -P 0x66 2M 128k');

  // broken copies of q.qcow2
  const broken = (name: string, offset: number, bytes: number, value: bigint): void => {
    copyFileSync(at('q.qcow2'), at(name));
    patch(at(name), offset, bytes, value);
  };
  broken('leak.qcow2', REFCOUNT_BLOCK + 2 * 30, 2, 1n); // cluster 30 counted but unused
  broken('rc0.qcow2', REFCOUNT_BLOCK + 2 * 5, 2, 0n); // data cluster 5 counted as free
  broken('unaligned.qcow2', L2_TABLE, 8, 0x8000000000050200n); // L2 entry off a cluster boundary
  broken('l1-eof.qcow2', HEADER.l1Offset, 8, 0x40000000n);
  broken('rt-eof.qcow2', HEADER.refcountTableOffset, 8, 0x100000000n);
  broken('huge-size.qcow2', HEADER.size, 8, 0x7fff_ffff_ffff_0000n);
  broken('huge-l1.qcow2', HEADER.l1Size, 4, 0x1000_0000n);
  broken('incompat.qcow2', HEADER.incompatible, 8, 1n << 40n);
  broken('aes.qcow2', HEADER.cryptMethod, 4, 1n);
  broken('corrupt-bit.qcow2', HEADER.incompatible, 8, 2n);
  copyFileSync(at('lazy.qcow2'), at('dirty.qcow2'));
  patch(at('dirty.qcow2'), HEADER.incompatible, 8, 1n);
  copyFileSync(at('q.qcow2'), at('short-header.qcow2'));
  truncateSync(at('short-header.qcow2'), 50);
  copyFileSync(at('q.qcow2'), at('no-data.qcow2'));
  truncateSync(at('no-data.qcow2'), 0x50000);
}
