import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createImage, formatDriver, openImage } from '../src/index.js';
import { qemuCheck, qemuImg, qemuJson, scratch } from './qcow2-helpers.js';

const { dir, cleanup } = scratch('qcow2-create-');
afterAll(cleanup);

const variants: [string, Record<string, string>, string?][] = [
  ['default', {}],
  ['v2', { compat: '0.10' }],
  ['c512', { cluster_size: '512' }],
  ['c4k', { cluster_size: '4096' }],
  ['c2M', { cluster_size: '2097152' }],
  ['rc1', { refcount_bits: '1' }],
  ['rc64', { refcount_bits: '64' }],
  ['lazy', { lazy_refcounts: 'on' }],
  ['zstd', { compression_type: 'zstd' }],
  ['extl2', { extended_l2: 'on' }],
  ['meta', { cluster_size: '4096' }, 'metadata'],
  ['falloc', {}, 'falloc'],
  ['full', { cluster_size: '16384' }, 'full'],
];

function toQemuOptions(options: Record<string, string>, preallocation?: string): string[] {
  const all = { ...options, ...(preallocation ? { preallocation } : {}) };
  const text = Object.entries(all)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  return text ? ['-o', text] : [];
}

describe('qcow2 create lays images out as qemu-img does', () => {
  for (const [name, options, preallocation] of variants) {
    it(name, async () => {
      const ours = join(dir, `${name}-ours.qcow2`);
      const theirs = join(dir, `${name}-qemu.qcow2`);
      const size = name === 'c512' ? 70 << 20 : 3 << 20;
      await createImage('qcow2', { path: ours, size, options, ...(preallocation ? { preallocation: preallocation as 'metadata' } : {}) });
      qemuImg(['create', '-q', '-f', 'qcow2', ...toQemuOptions(options, preallocation), theirs, String(size)]);
      expect(statSync(ours).size).toBe(statSync(theirs).size);
      const a = readFileSync(ours);
      const b = readFileSync(theirs);
      expect(a.equals(b)).toBe(true);
      expect(qemuCheck(ours)).toMatchObject({ 'check-errors': 0 });
      expect(qemuCheck(ours).corruptions).toBeUndefined();
      expect(qemuCheck(ours).leaks).toBeUndefined();
    });
  }

  it('with a backing file (v3 and v2)', async () => {
    qemuImg(['create', '-q', '-f', 'raw', join(dir, 'base.raw'), '1M']);
    for (const compat of ['1.1', '0.10']) {
      const ours = join(dir, `bk-${compat}-ours.qcow2`);
      const theirs = join(dir, `bk-${compat}-qemu.qcow2`);
      await createImage('qcow2', { path: ours, size: 1 << 20, backingFile: 'base.raw', backingFormat: 'raw', options: { compat } });
      qemuImg(['create', '-q', '-f', 'qcow2', '-o', `compat=${compat}`, '-b', 'base.raw', '-F', 'raw', theirs, '1M']);
      expect(readFileSync(ours).equals(readFileSync(theirs))).toBe(true);
    }
  });

  it('with an external data file, raw or not', async () => {
    for (const raw of ['off', 'on']) {
      const ours = join(dir, `df-${raw}-ours.qcow2`);
      const theirs = join(dir, `df-${raw}-qemu.qcow2`);
      await createImage('qcow2', { path: ours, size: 1 << 20, options: { data_file: join(dir, `ours-${raw}.data`), data_file_raw: raw } });
      qemuImg(['create', '-q', '-f', 'qcow2', '-o', `data_file=${join(dir, `qemu-${raw}.data`)},data_file_raw=${raw}`, theirs, '1M']);
      expect(statSync(ours).size).toBe(statSync(theirs).size);
      expect(statSync(join(dir, `ours-${raw}.data`)).size).toBe(statSync(join(dir, `qemu-${raw}.data`)).size);
      expect(qemuCheck(ours)).toMatchObject({ 'check-errors': 0 });
    }
  });

  it('refuses invalid combinations with qemu-img messages', async () => {
    const path = join(dir, 'bad.qcow2');
    const refused = (options: Record<string, string>, extra: object = {}) => createImage('qcow2', { path, size: 1 << 20, options, ...extra });
    await expect(refused({ compat: '0.10', lazy_refcounts: 'on' })).rejects.toThrow(
      'Lazy refcounts only supported with compatibility level 1.1 and above (use version=v3 or greater)',
    );
    await expect(refused({ cluster_size: '1000' })).rejects.toThrow('Cluster size must be a power of two between 512 and 2048k');
    await expect(refused({ refcount_bits: '3' })).rejects.toThrow('Refcount width must be a power of two and may not exceed 64 bits');
    await expect(refused({ extended_l2: 'on', cluster_size: '4096' })).rejects.toThrow(
      'Extended L2 entries are only supported with cluster sizes of at least 16384 bytes',
    );
    await expect(refused({ compression_type: 'lz4' })).rejects.toThrow("Parameter 'compression-type' does not accept value 'lz4'");
    await expect(refused({ compat: '1.2' })).rejects.toThrow("Parameter 'version' does not accept value '1.2'");
    await expect(refused({ data_file_raw: 'on' })).rejects.toThrow('data-file-raw requires data-file');
    await expect(refused({}, { backingFile: 'x', preallocation: 'metadata' })).rejects.toThrow(
      'Backing file and preallocation can only be used at the same time if extended_l2 is on',
    );
    await expect(refused({ bogus: '1' })).rejects.toThrow("Invalid parameter 'bogus'");
  });

  it("keeps QEMU's declaration order of the options (create's Formatting line prints them so)", () => {
    const names = formatDriver('qcow2').createOptions.map((o) => o.name);
    expect(names.slice(9)).toEqual(['cluster_size', 'extended_l2', 'preallocation', 'compression_type', 'size', 'compat', 'backing_file', 'backing_fmt', 'data_file', 'data_file_raw', 'lazy_refcounts', 'refcount_bits']);
    expect(names[0]).toBe('encryption');
  });

  it('measures as qemu-img measure', async () => {
    const cases: Record<string, string>[] = [{}, { cluster_size: '512', refcount_bits: '64' }, { extended_l2: 'on', cluster_size: '2M' }, { preallocation: 'full' }];
    for (const options of cases) {
      for (const size of [1000, 1 << 30, options.cluster_size === '512' ? 2 ** 36 : 5 * 2 ** 40]) {
        const ours = await formatDriver('qcow2').measure({ format: 'qcow2', size, options });
        const theirs = qemuJson<{ required: number; 'fully-allocated': number }>(['measure', '-O', 'qcow2', ...toQemuOptions(options), '--size', String(size)]);
        expect({ required: ours.required, fullyAllocated: ours.fullyAllocated }).toEqual({ required: theirs.required, fullyAllocated: theirs['fully-allocated'] });
      }
    }
  });

  it('describes new images as qemu-img info does', async () => {
    for (const [name] of variants) {
      const path = join(dir, `${name}-ours.qcow2`);
      const { device } = await openImage(path, { readOnly: true });
      const ours = await device.describe();
      const theirs = qemuJson<Record<string, unknown>>(['info', '-f', 'qcow2', path]);
      expect(ours.formatSpecific).toEqual(theirs['format-specific']);
      expect(ours.virtualSize).toBe(theirs['virtual-size']);
      expect(ours.actualSize).toBe(theirs['actual-size']);
      expect(ours.dirtyFlag).toBe(theirs['dirty-flag']);
      await device.close();
    }
  });
});
