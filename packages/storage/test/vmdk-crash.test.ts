import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createImage, openImage } from '../src/index.js';
import { pattern, qemu } from './vmdk-helpers.js';

/*
 * A writer killed with SIGKILL at a random moment must leave an image that
 * qemu-img check accepts, holding every write a completed flush covered:
 * grain data reaches the disk before the table entries pointing at it.
 * The writer is a child process using the built package (npx tsup).
 */

const dir = mkdtempSync(join(tmpdir(), 'vmdk-crash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const GRAIN = 65536;

/** The child: logs "op n offset length kind" before each request and "flushed n" after each flush. */
const WRITER = `
import { writeSync } from 'node:fs';
import { openImage } from '@virt/storage';
const [path, stream] = process.argv.slice(1);
const pattern = ${pattern.toString()};
const { device } = await openImage(path, { format: 'vmdk' });
const log = (line) => writeSync(1, line + '\\n');
let seed = process.pid;
const random = (n) => (seed = (seed * 1103515245 + 12345) % 2147483648) % n;
const grains = device.size / ${GRAIN};
for (let n = 0; ; n++) {
  if (stream === 'stream') {
    if (n >= grains) break;
    log('op ' + n + ' ' + n * ${GRAIN} + ' ' + ${GRAIN} + ' write');
    await device.writeCompressed(n * ${GRAIN}, pattern(${GRAIN}, n % 250 + 1));
  } else {
    const length = (1 + random(300)) * 512;
    const offset = random((device.size - length) / 512) * 512;
    const kind = random(3) === 0 ? 'zero' : 'write';
    log('op ' + n + ' ' + offset + ' ' + length + ' ' + kind);
    if (kind === 'zero') await device.writeZeroes(offset, length);
    else await device.write(offset, pattern(length, n % 250 + 1));
  }
  if (n % 4 === 3) {
    await device.flush();
    log('flushed ' + n);
  }
}
await device.close();
log('done');
`;

interface Op {
  n: number;
  offset: number;
  length: number;
  kind: string;
}

function runAndKill(path: string, mode: string, delayMs: number): Promise<{ ops: Op[]; flushed: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', WRITER, path, mode], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), delayMs);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (signal !== 'SIGKILL' && !out.includes('done')) return reject(new Error(`writer failed (${code}): ${err}`));
      const ops: Op[] = [];
      let flushed = -1;
      for (const line of out.split('\n')) {
        const [word, ...rest] = line.split(' ');
        if (word === 'op') ops.push({ n: Number(rest[0]), offset: Number(rest[1]), length: Number(rest[2]), kind: rest[3] ?? '' });
        if (word === 'flushed') flushed = Number(rest[0]);
        if (word === 'done') flushed = Infinity;
      }
      resolve({ ops, flushed });
    });
  });
}

describe('a writer killed mid-write leaves a consistent image', () => {
  it.each([
    ['monolithicSparse with zeroed grains', { zeroed_grain: 'on' }, 'random', 8 << 20],
    ['twoGbMaxExtentSparse', { subformat: 'twoGbMaxExtentSparse' }, 'random', 8 << 20],
    // large enough that the writer is still going when killed
    ['streamOptimized, compressed grains appended', { subformat: 'streamOptimized' }, 'stream', 96 << 20],
  ] as const)('%s', async (name, options, mode, SIZE) => {
    for (let round = 0; round < 4; round++) {
      const path = join(dir, `${name.replace(/\W+/g, '-')}-${round}.vmdk`);
      await createImage('vmdk', { path, size: SIZE, options });
      const { ops, flushed } = await runAndKill(path, mode, 150 + round * 60);
      expect(qemu(['check', path])).toBe('No errors were found on the image.\n');
      const expected = Buffer.alloc(SIZE);
      const uncertain = new Uint8Array(SIZE);
      for (const op of ops) {
        if (op.n > flushed) uncertain.fill(1, op.offset, op.offset + op.length);
        else if (op.kind === 'write') pattern(op.length, (op.n % 250) + 1).copy(expected, op.offset);
        else expected.fill(0, op.offset, op.offset + op.length);
      }
      const { device } = await openImage(path, { readOnly: true });
      const actual = await device.read(0, SIZE);
      await device.close();
      for (let chunk = 0; chunk < SIZE; chunk += GRAIN) {
        const certain = uncertain.subarray(chunk, chunk + GRAIN).indexOf(1) < 0;
        if (certain && actual.subarray(chunk, chunk + GRAIN).equals(expected.subarray(chunk, chunk + GRAIN))) continue;
        for (let i = chunk; i < chunk + GRAIN; i++) {
          if (!uncertain[i] && actual[i] !== expected[i]) throw new Error(`${path}: byte ${i} is ${actual[i]}, expected ${expected[i]}`);
        }
      }
    }
  }, 60_000);
});
