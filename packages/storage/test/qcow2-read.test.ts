import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openImage } from '../src/index.js';
import { qemuContents, qemuImg, qemuIo, readAll, scratch } from './qcow2-helpers.js';

const { dir, cleanup } = scratch('qcow2-read-');
afterAll(cleanup);

/** Write a mix of data, zeros, discards and compressed clusters with qemu-io. */
function fill(path: string, cs: number): void {
  qemuIo(path, [
    `write -P 0x11 0 ${3 * cs + 100}`,
    `write -P 0x22 ${5 * cs + 512} 1024`,
    `write -z ${cs} ${cs}`,
    `write -c -P 0x33 ${8 * cs} ${2 * cs}`,
    `discard ${2 * cs} ${cs}`,
    `write -P 0x44 1000000 70000`,
  ]);
}

const variants: [string, string][] = [
  ['default', ''],
  ['v2', 'compat=0.10'],
  ['512', 'cluster_size=512'],
  ['4k-rc1', 'cluster_size=4096,refcount_bits=1'],
  ['16k-rc64', 'cluster_size=16384,refcount_bits=64'],
  ['2M-rc8', 'cluster_size=2M,refcount_bits=8'],
  ['zstd', 'compression_type=zstd'],
  ['extl2', 'extended_l2=on,cluster_size=32k'],
  ['lazy', 'lazy_refcounts=on'],
];

const clusterSizes: Record<string, number> = { '512': 512, '4k-rc1': 4096, '16k-rc64': 16384, '2M-rc8': 2 << 20, extl2: 32768 };

describe('qcow2 images made by qemu-img read back identically', () => {
  for (const [name, options] of variants) {
    it(name, async () => {
      const path = join(dir, `${name}.qcow2`);
      const clusterSize = clusterSizes[name] ?? 65536;
      qemuImg(['create', '-q', '-f', 'qcow2', ...(options ? ['-o', options] : []), path, String(Math.max(6 << 20, 12 * clusterSize))]);
      fill(path, clusterSize);
      const { device } = await openImage(path, { readOnly: true });
      expect(device.format).toBe('qcow2');
      expect((await readAll(device)).equals(qemuContents(path, dir))).toBe(true);
      await device.close();
    });
  }

  it('backing chains, with relative names and formats', async () => {
    const base = join(dir, 'base.raw');
    qemuImg(['create', '-q', '-f', 'raw', base, '4M']);
    qemuIo(base, ['write -P 0x55 0 4M'], 'raw');
    const mid = join(dir, 'mid.qcow2');
    qemuImg(['create', '-q', '-f', 'qcow2', '-b', 'base.raw', '-F', 'raw', mid, '5M']);
    qemuIo(mid, ['write -P 0x66 100000 100000']);
    const top = join(dir, 'top.qcow2');
    qemuImg(['create', '-q', '-f', 'qcow2', '-o', 'cluster_size=4096', '-b', 'mid.qcow2', '-F', 'qcow2', top, '6M']);
    qemuIo(top, ['write -P 0x77 150000 3000', 'write -z 3M 64k']);
    const { device } = await openImage(top, { readOnly: true });
    expect(device.backing?.backing?.format).toBe('raw');
    expect((await readAll(device)).equals(qemuContents(top, dir))).toBe(true);
    await device.close();
  });

  it('external data files', async () => {
    const path = join(dir, 'df.qcow2');
    qemuImg(['create', '-q', '-f', 'qcow2', '-o', `data_file=${join(dir, 'df.data')}`, path, '3M']);
    qemuIo(path, ['write -P 0x12 65536 200000', 'write -z 0 4096']);
    const { device } = await openImage(path, { readOnly: true });
    expect((await readAll(device)).equals(qemuContents(path, dir))).toBe(true);
    await device.close();
  });
});
