import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openImage } from '@virt/storage';
import { afterAll, describe, expect, it } from 'vitest';
import { pattern } from './pattern.mjs';
import { qemu, qemuCheck } from './qemu.js';
import { Random } from './random.js';

/*
 * The kill test: a child process writes through the library and is killed
 * (SIGKILL) at a random moment. Afterwards `qemu-img check` must find no
 * corruption (leaks are allowed), and every write that a completed flush
 * covered must read back intact.
 */
const KILLS_PER_IMAGE = Number(process.env.KILLS ?? 12);
const SIZE = 8 << 20;
const writer = join(dirname(fileURLToPath(import.meta.url)), 'kill-writer.mjs');
const dir = mkdtempSync(join(tmpdir(), 'storage-kill-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Op {
  n: number;
  kind: string;
  offset: number;
  length: number;
}

/** Run the writer until killed after `delayMs`; return what it logged. */
function runAndKill(path: string, format: string, kinds: string, mode: string, delayMs: number): Promise<{ ops: Op[]; flushed: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [writer, path, format, kinds, mode], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let timer: NodeJS.Timeout | undefined;
    // the delay counts from the first operation, not from the spawn: a loaded machine starts Node.js slowly
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (!timer && out.includes('op ')) timer = setTimeout(() => child.kill('SIGKILL'), delayMs);
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (signal !== 'SIGKILL') return reject(new Error(`writer stopped by itself (${code}): ${err}`));
      const ops: Op[] = [];
      let flushed = -1;
      for (const line of out.split('\n')) {
        const [word, ...rest] = line.split(' ');
        if (word === 'op') ops.push({ n: Number(rest[0]), kind: rest[1]!, offset: Number(rest[2]), length: Number(rest[3]) });
        if (word === 'flushed') flushed = Number(rest[0]);
      }
      resolve({ ops, flushed });
    });
  });
}

/** How sure the test is of a byte after the kill. */
const EXACT = 0;
/** Written after the last completed flush: anything goes. */
const ANY = 1;
/** Discarded (a hint, as in QEMU): the old byte or zero. */
const OLD_OR_ZERO = 2;

/** The contents every flushed operation promises, and how sure each byte is. */
function expectation(ops: Op[], flushed: number, base: Buffer): { expected: Buffer; certainty: Uint8Array } {
  const expected = Buffer.from(base);
  const certainty = new Uint8Array(SIZE);
  for (const op of ops) {
    const end = op.offset + op.length;
    if (op.n > flushed) certainty.fill(ANY, op.offset, end);
    else if (op.kind === 'discard') certainty.fill(OLD_OR_ZERO, op.offset, end);
    else {
      if (op.kind === 'write') pattern(op.n, op.length).copy(expected, op.offset);
      else expected.fill(0, op.offset, end);
      certainty.fill(EXACT, op.offset, end);
    }
  }
  return { expected, certainty };
}

/** The first byte that breaks a promise, or -1. */
function firstBroken(actual: Buffer, expected: Buffer, certainty: Uint8Array): number {
  return actual.findIndex((byte, i) => {
    if (certainty[i] === ANY) return false;
    return byte !== expected[i] && !(certainty[i] === OLD_OR_ZERO && byte === 0);
  });
}

interface Target {
  name: string;
  format: 'qcow2' | 'vmdk';
  create: string[];
  kinds: string;
  /** 'together': the operations between two flushes are in flight at once. */
  mode?: 'together';
}

const targets: Target[] = [
  { name: 'qcow2 v3', format: 'qcow2', create: ['-o', 'compat=1.1'], kinds: 'write,write,zero,discard' },
  { name: 'qcow2 v2', format: 'qcow2', create: ['-o', 'compat=0.10'], kinds: 'write,write,zero,discard' },
  { name: 'qcow2 512-byte clusters, 1-bit refcounts', format: 'qcow2', create: ['-o', 'cluster_size=512,refcount_bits=1'], kinds: 'write,write,zero,discard' },
  { name: 'qcow2 lazy refcounts', format: 'qcow2', create: ['-o', 'lazy_refcounts=on'], kinds: 'write,write,zero,discard' },
  { name: 'qcow2 v3, requests in flight together', format: 'qcow2', create: [], kinds: 'write,write,zero,discard', mode: 'together' },
  { name: 'qcow2 4 KiB clusters, requests in flight together', format: 'qcow2', create: ['-o', 'cluster_size=4096'], kinds: 'write,write,zero,discard', mode: 'together' },
  { name: 'vmdk monolithicSparse', format: 'vmdk', create: ['-o', 'subformat=monolithicSparse'], kinds: 'write,write,zero' },
  { name: 'vmdk twoGbMaxExtentSparse', format: 'vmdk', create: ['-o', 'subformat=twoGbMaxExtentSparse'], kinds: 'write,write,zero' },
];

describe('killed while writing', () => {
  it.each(targets.map((t) => [t.name, t] as const))('%s', async (name, target) => {
    const random = new Random(name.length * 7919);
    for (let kill = 0; kill < KILLS_PER_IMAGE; kill++) {
      const path = join(dir, `${name.replace(/\W+/g, '-')}-${kill}.${target.format}`);
      qemu('qemu-img', ['create', '-q', '-f', target.format, ...target.create, path, String(SIZE)]);
      const { ops, flushed } = await runAndKill(path, target.format, target.kinds, target.mode ?? 'serial', 20 + random.below(600));
      expect(ops.length, 'the writer got going before it was killed').toBeGreaterThan(0);

      const check = qemuCheck(path, target.format);
      expect({ kill, exit: check.exit === 3 ? 0 : check.exit, corruptions: check.corruptions, errors: check.checkErrors }, check.output).toEqual({
        kill,
        exit: 0,
        corruptions: 0,
        errors: 0,
      });

      const { expected, certainty } = expectation(ops, flushed, Buffer.alloc(SIZE));
      const { device } = await openImage(path, { format: target.format, readOnly: true });
      const actual = await device.read(0, SIZE);
      await device.close();
      const firstBad = firstBroken(actual, expected, certainty);
      expect({ kill, firstBad }).toEqual({ kill, firstBad: -1 });
    }
  });
});
