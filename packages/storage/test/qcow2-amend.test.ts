import { closeSync, copyFileSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { onCorruptionEvent, openImage } from '../src/index.js';
import { qemuCheck, qemuContents, qemuImg, qemuIo, qemuJson, readAll, scratch } from './qcow2-helpers.js';

const { dir, cleanup } = scratch('qcow2-amend-');
afterAll(cleanup);

/** A 4 MiB image with data, a zero cluster and a hole, as qemu-io writes them. */
function filled(name: string, options = ''): string {
  const path = join(dir, name);
  qemuImg(['create', '-q', '-f', 'qcow2', ...(options ? ['-o', options] : []), path, '4M']);
  qemuIo(path, ['write -P 0x11 0 1M', 'write -z 1M 64k', 'write -P 0x22 3M 64k']);
  return path;
}

/** A copy of a filled image with 8 bytes at `offset` overwritten by `value` (big-endian). */
function patched(name: string, offset: number, value: bigint): string {
  const path = join(dir, name);
  copyFileSync(filled(`source-${name}`), path);
  const bytes = Buffer.alloc(8);
  bytes.writeBigUInt64BE(value);
  const fd = openSync(path, 'r+');
  writeSync(fd, bytes, 0, 8, offset);
  closeSync(fd);
  return path;
}

async function amended(path: string, options: Record<string, string>): Promise<void> {
  const { device } = await openImage(path);
  try {
    await device.amend!(options);
  } finally {
    await device.close();
  }
}

describe('qcow2 amend', () => {
  it('downgrades to compat=0.10: zero clusters become holes, QEMU reads the same data', async () => {
    const path = filled('down.qcow2');
    const before = qemuContents(path, dir);
    await amended(path, { compat: '0.10' });
    expect(qemuJson(['info', '--output=json', path])['format-specific']).toMatchObject({ data: { compat: '0.10' } });
    expect(qemuCheck(path).corruptions).toBeUndefined();
    expect(qemuContents(path, dir).equals(before)).toBe(true);
  });

  it('refuses what v2 cannot hold, with QEMU words', async () => {
    await expect(amended(filled('rc8.qcow2', 'refcount_bits=8'), { compat: '0.10' })).rejects.toThrow('compat=0.10 requires refcount_bits=16');
    await expect(amended(filled('xl2.qcow2', 'extended_l2=on'), { compat: '0.10' })).rejects.toThrow('Cannot downgrade an image with incompatible features 0x10 set');
    await expect(amended(filled('bf.qcow2'), { backing_file: 'x.raw' })).rejects.toThrow('Cannot amend the backing file');
    await expect(amended(filled('cl.qcow2'), { compat: '2' })).rejects.toThrow('Unknown compatibility level 2');
  });
});

describe('qcow2 snapshots loaded for reading', () => {
  it('reads a read-only image as one of its snapshots, found by ID and/or name', async () => {
    const path = filled('snap.qcow2');
    const original = qemuContents(path, dir);
    qemuImg(['snapshot', '-c', 'first', path]);
    qemuIo(path, ['write -P 0x55 0 64k']);
    const { device } = await openImage(path, { readOnly: true });
    try {
      await expect(device.snapshots!.loadTemporarily('1', 'other')).rejects.toThrow("Can't find snapshot");
      await device.snapshots!.loadTemporarily(undefined, 'first');
      expect((await readAll(device)).equals(original)).toBe(true);
    } finally {
      await device.close();
    }
    const { device: writable } = await openImage(path);
    await expect(writable.snapshots!.loadTemporarily('1', undefined)).rejects.toThrow('Device is not readonly');
    await writable.close();
  });
});

describe('qcow2 damage seen read-only, as QEMU sees it', () => {
  it('opens an image whose L1 table lies past the end read-only (it reads as zeros), but not for writing', async () => {
    const path = patched('l1-eof.qcow2', 40, 0x40000000n); // the header's L1 table offset
    const { device } = await openImage(path, { readOnly: true });
    expect((await readAll(device)).every((b) => b === 0)).toBe(true);
    await device.close();
    await expect(openImage(path)).rejects.toThrow('Active L1 table lies past the end of the file');
  });

  it('reports a corruption event once to a listener and fails the read with EIO', async () => {
    const path = patched('unaligned.qcow2', 0x40000, 0x8000000000050200n); // the first L2 entry, off a cluster boundary
    const events: string[] = [];
    onCorruptionEvent((line) => events.push(line));
    try {
      const { device } = await openImage(path, { readOnly: true });
      await expect(device.read(0, 512)).rejects.toThrow('Input/output error');
      await expect(device.read(0, 512)).rejects.toThrow('Input/output error');
      await device.close();
    } finally {
      onCorruptionEvent(undefined);
    }
    expect(events).toEqual([
      'qcow2: Image is corrupt: Cluster allocation offset 0x50200 unaligned (L2 offset: 0x40000, L2 index: 0); further non-fatal corruption events will be suppressed',
    ]);
  });
});
