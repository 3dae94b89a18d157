import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ErrorCode, VirtError } from '@virt/core-api';
import { afterAll, describe, expect, it } from 'vitest';
import { createImage, openImage, probeFormat } from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'storage-raw-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const MiB = 1 << 20;

describe('raw images', () => {
  it('are sparse until written, and report data and holes', async () => {
    const path = join(dir, 'sparse.img');
    await createImage('raw', { path, size: 8 * MiB });
    // only the first block is written, as QEMU does (so that its alignment can be probed)
    expect(statSync(path).blocks * 512).toBeLessThanOrEqual(4096);
    const { device, probedRaw } = await openImage(path);
    expect(probedRaw).toBe(true);
    await device.write(3 * MiB, Buffer.alloc(64 * 1024, 0xab));
    expect(await device.getStatus(0, 8 * MiB)).toMatchObject({ length: 4096, zero: false, data: true, present: true, depth: 0 });
    expect(await device.getStatus(4096, 8 * MiB - 4096)).toMatchObject({ length: 3 * MiB - 4096, zero: true, data: false, present: true, depth: 0 });
    expect(await device.getStatus(3 * MiB, 5 * MiB)).toMatchObject({ length: 64 * 1024, zero: false, data: true, offset: 3 * MiB });
    expect((await device.read(3 * MiB - 1, 2)).toJSON().data).toEqual([0, 0xab]);
    await device.writeZeroes(3 * MiB, 64 * 1024, { mayUnmap: true });
    expect(await device.getStatus(4096, 8 * MiB - 4096)).toMatchObject({ length: 8 * MiB - 4096, zero: true });
    await device.close();
  });

  it('preallocate with falloc and full', async () => {
    for (const preallocation of ['falloc', 'full'] as const) {
      const path = join(dir, `${preallocation}.img`);
      await createImage('raw', { path, size: 4 * MiB, preallocation });
      expect(statSync(path).blocks * 512).toBeGreaterThanOrEqual(4 * MiB);
    }
  });

  it('grow, and shrink only when asked', async () => {
    const path = join(dir, 'resize.img');
    await createImage('raw', { path, size: MiB });
    const { device } = await openImage(path, { format: 'raw' });
    await device.resize(2 * MiB);
    expect(device.size).toBe(2 * MiB);
    await expect(device.resize(MiB)).rejects.toThrow('Use the --shrink option to perform a shrink operation.');
    await device.resize(MiB, { shrink: true });
    expect(statSync(path).size).toBe(MiB);
    await expect(device.read(MiB - 1, 2)).rejects.toBeInstanceOf(VirtError);
    await device.close();
  });

  it('refuse to let a probed raw image turn into another format', async () => {
    const path = join(dir, 'probed.img');
    await createImage('raw', { path, size: MiB });
    const { device } = await openImage(path);
    const qcow2Magic = Buffer.from([0x51, 0x46, 0x49, 0xfb, 0, 0, 0, 3]);
    const err = await device.write(0, qcow2Magic).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VirtError);
    expect((err as VirtError).code).toBe(ErrorCode.OPERATION_INVALID);
    await device.write(0, Buffer.from('just data'));
    await device.close();
    const { device: given } = await openImage(path, { format: 'raw' });
    await given.write(0, qcow2Magic);
    await given.close();
  });

  it('probe formats by their marks', () => {
    const head = (text: string): Buffer => Buffer.concat([Buffer.from(text, 'latin1'), Buffer.alloc(512)]).subarray(0, 512);
    expect(probeFormat(head('QFI\xfb\0\0\0\x03'))).toBe('qcow2');
    expect(probeFormat(head('QFI\xfb\0\0\0\x01'))).toBe('qcow');
    expect(probeFormat(head('KDMV'))).toBe('vmdk');
    expect(probeFormat(head('# Disk DescriptorFile\r\n  \r\nversion=1\r\n'))).toBe('vmdk');
    expect(probeFormat(head('# comment\nversion=4\n'))).toBe('raw');
    expect(probeFormat(head('conectix'))).toBe('vpc');
    expect(probeFormat(Buffer.alloc(512))).toBe('raw');
  });

  it('name the file that cannot be opened', async () => {
    const missing = join(dir, 'missing.img');
    await expect(openImage(missing)).rejects.toThrow(`Could not open '${missing}': No such file or directory`);
    writeFileSync(join(dir, 'vdi.img'), Buffer.concat([Buffer.alloc(0x40), Buffer.from([0x7f, 0x10, 0xda, 0xbe]), Buffer.alloc(512)]));
    await expect(openImage(join(dir, 'vdi.img'))).rejects.toThrow("the image format 'vdi' is not supported");
  });
});
