/* Small steps the fixture builders share: run QEMU's tools, patch bytes. */
import { spawnSync } from 'node:child_process';
import { closeSync, openSync, writeSync } from 'node:fs';

export function run(dir: string, cmd: string, args: string[]): void {
  const result = spawnSync(cmd, args, { cwd: dir, encoding: 'utf8', env: { ...process.env, LC_ALL: 'C', TZ: 'UTC' } });
  if (result.status !== 0) throw new Error(`fixture step failed: ${cmd} ${args.join(' ')}\n${result.stderr}`);
}

/** Write `value` big-endian over `bytes` bytes at `offset`. */
export function patch(file: string, offset: number, bytes: number, value: bigint): void {
  const buf = Buffer.alloc(bytes);
  for (let i = bytes - 1, v = value; i >= 0; i--, v >>= 8n) buf[i] = Number(v & 0xffn);
  const fd = openSync(file, 'r+');
  try {
    writeSync(fd, buf, 0, bytes, offset);
  } finally {
    closeSync(fd);
  }
}

