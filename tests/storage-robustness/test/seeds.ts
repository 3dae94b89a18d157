import { join } from 'node:path';
import { qemu } from './qemu.js';

/** A valid image made by qemu-img, to be damaged by the fuzzer. */
export interface Seed {
  name: string;
  format: 'qcow2' | 'vmdk';
  path: string;
  /** How many leading bytes hold the metadata worth damaging. */
  metadataBytes: number;
  /** Different per seed, so that campaigns do not repeat each other's mutations. */
  fuzzSeed: number;
  /** Writes would touch files the fuzzer does not restore (other extents): read only. */
  readOnly: boolean;
}

const MiB = 1 << 20;

/** Fill an image with a recognisable mix: data, a zeroed range, a discarded range, data near the end. */
function populate(path: string, format: string): void {
  qemu('qemu-io', ['-f', format, '-c', 'write -P 0x11 0 192k', '-c', 'write -P 0x22 512k 64k', '-c', 'write -z 256k 64k', '-c', `write -P 0x33 ${2 * MiB - 4096} 4k`, path]);
}

/** Build the seed images in `dir` (a few MiB in all). */
export function makeSeeds(dir: string): Seed[] {
  const seeds: Seed[] = [];
  let fuzzSeed = 1;
  const qcow2 = (name: string, options: string, extra: (path: string) => void = () => undefined): void => {
    const path = join(dir, `${name}.qcow2`);
    qemu('qemu-img', ['create', '-q', '-f', 'qcow2', '-o', options, path, '2M']);
    populate(path, 'qcow2');
    extra(path);
    seeds.push({ name, format: 'qcow2', path, metadataBytes: 6 * 65536, fuzzSeed: fuzzSeed++, readOnly: false });
  };
  qcow2('v3-64k', 'compat=1.1');
  qcow2('v2-64k', 'compat=0.10');
  qcow2('c512-refcount1', 'cluster_size=512,refcount_bits=1');
  qcow2('c4k-refcount64', 'cluster_size=4096,refcount_bits=64');
  qcow2('extended-l2', 'extended_l2=on,cluster_size=32768');
  qcow2('lazy-refcounts', 'lazy_refcounts=on');
  qcow2('snapshot', 'compat=1.1', (path) => {
    qemu('qemu-img', ['snapshot', '-c', 's1', path]);
    qemu('qemu-io', ['-f', 'qcow2', '-c', 'write -P 0x44 0 64k', path]);
  });
  const base = join(dir, 'base.raw');
  qemu('qemu-img', ['create', '-q', '-f', 'raw', base, '2M']);
  qcow2('backing', 'backing_file=base.raw,backing_fmt=raw');
  for (const compression of ['zlib', 'zstd']) {
    const raw = join(dir, `${compression}.raw`);
    qemu('qemu-img', ['create', '-q', '-f', 'raw', raw, '2M']);
    populate(raw, 'raw');
    const path = join(dir, `compressed-${compression}.qcow2`);
    qemu('qemu-img', ['convert', '-c', '-O', 'qcow2', '-o', `compression_type=${compression}`, raw, path]);
    seeds.push({ name: `compressed-${compression}`, format: 'qcow2', path, metadataBytes: 6 * 65536, fuzzSeed: fuzzSeed++, readOnly: false });
  }

  for (const subformat of ['monolithicSparse', 'streamOptimized', 'monolithicFlat', 'twoGbMaxExtentSparse']) {
    const path = join(dir, `${subformat}.vmdk`);
    const raw = join(dir, `${subformat}.raw`);
    qemu('qemu-img', ['create', '-q', '-f', 'raw', raw, '2M']);
    populate(raw, 'raw');
    qemu('qemu-img', ['convert', '-O', 'vmdk', '-o', `subformat=${subformat}`, raw, path]);
    const multiFile = subformat === 'monolithicFlat' || subformat.startsWith('twoGb');
    seeds.push({ name: subformat, format: 'vmdk', path, metadataBytes: multiFile ? 1024 : 128 * 1024, fuzzSeed: fuzzSeed++, readOnly: multiFile });
  }
  return seeds;
}
