import { closeSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';

const CHUNK = 4 << 20;

/** Fill `buf` with fast pseudo-random bytes (incompressible, like real data at its worst). */
function fillRandom(buf: Buffer, seed: number): void {
  let s = seed >>> 0;
  for (let i = 0; i < buf.length; i += 4) {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    buf.writeUInt32LE((t ^ (t >>> 14)) >>> 0, i);
  }
}

/**
 * The benchmark's source: a raw image whose first half is random data and
 * second half written zeros (allocated on disk, so both tools must find
 * the zeros by looking at the data).
 */
export function writeHalfRandomSource(path: string, size: number): void {
  const fd = openSync(path, 'w');
  try {
    const buf = Buffer.alloc(CHUNK);
    for (let offset = 0; offset < size; offset += CHUNK) {
      if (offset < size / 2) fillRandom(buf, offset / CHUNK + 1);
      else buf.fill(0);
      writeSync(fd, buf, 0, Math.min(CHUNK, size - offset), offset);
    }
  } finally {
    closeSync(fd);
  }
}

/** A qcow2 whose backing chain is `depth` images deep, each holding a little data; returns the top. */
export function writeBackingChain(dir: string, depth: number): string {
  let below = join(dir, 'chain-0.qcow2');
  execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', below, '1G']);
  for (let level = 1; level <= depth; level++) {
    const path = join(dir, `chain-${level}.qcow2`);
    execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', '-b', below, '-F', 'qcow2', path]);
    execFileSync('qemu-io', ['-f', 'qcow2', '-c', `write -P ${level} ${level * 65536} 64k`, path]);
    below = path;
  }
  return below;
}
