import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BlockDevice } from '../src/index.js';

/** A scratch folder removed by the returned cleanup. */
export function scratch(prefix: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Run qemu-img; returns stdout (throws with stderr on a non-zero exit unless `allowFail`). */
export function qemuImg(args: string[], allowFail = false): { stdout: string; status: number } {
  try {
    return { stdout: execFileSync('qemu-img', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }), status: 0 };
  } catch (err) {
    const e = err as { status: number; stdout: string; stderr: string };
    if (!allowFail) throw new Error(`qemu-img ${args.join(' ')} failed (${e.status}): ${e.stderr}`);
    return { stdout: e.stdout, status: e.status };
  }
}

/** qemu-io commands (-c each) on an image. */
export function qemuIo(path: string, commands: string[], format = 'qcow2'): void {
  execFileSync('qemu-io', ['-f', format, ...commands.flatMap((c) => ['-c', c]), path], { stdio: ['ignore', 'pipe', 'pipe'] });
}

export function qemuJson<T = Record<string, unknown>>(args: string[]): T {
  return JSON.parse(qemuImg([...args, '--output=json'], true).stdout) as T;
}

/** What qemu-img check --output=json says about an image. */
export function qemuCheck(path: string): Record<string, number | string> {
  return qemuJson(['check', '-f', 'qcow2', path]);
}

/** The guest contents as qemu-img reads them. */
export function qemuContents(path: string, dir: string, format = 'qcow2'): Buffer {
  const out = join(dir, `contents-${Math.random().toString(36).slice(2)}.raw`);
  qemuImg(['convert', '-f', format, '-O', 'raw', path, out]);
  const data = readFileSync(out);
  rmSync(out);
  return data;
}

/** Read a whole device in uneven pieces (exercising partial clusters). */
export async function readAll(device: BlockDevice): Promise<Buffer> {
  const out = Buffer.alloc(device.size);
  const step = 777_777;
  for (let at = 0; at < device.size; at += step) await device.readInto(at, out.subarray(at, Math.min(device.size, at + step)));
  return out;
}

/** Deterministic non-repeating bytes. */
export function pattern(length: number, seed: number): Buffer {
  const buf = Buffer.alloc(length);
  let x = (Math.imul(seed, 2654435761) + 1) >>> 0;
  for (let i = 0; i < length; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    buf[i] = x >>> 24;
  }
  return buf;
}
