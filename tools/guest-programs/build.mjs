#!/usr/bin/env node
/*
 * Compile every programs/*.c (or .S) with the runtime into dist/<name>.elf:
 * freestanding, static, linked at 1 MiB by runtime/link.ld. Rebuilt only
 * when a source is newer than its ELF.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(fileURLToPath(import.meta.url));
const dist = join(root, 'dist');
mkdirSync(dist, { recursive: true });

const runtime = readdirSync(join(root, 'runtime')).map((f) => join(root, 'runtime', f));
const runtimeSources = runtime.filter((f) => /\.(c|S)$/.test(f));
const flags = [
  '-ffreestanding', '-nostdlib', '-static', '-no-pie', '-fno-pic', '-O2', '-g0',
  '-mno-red-zone', '-mgeneral-regs-only', '-fno-stack-protector', '-fno-asynchronous-unwind-tables',
  '-Wall', '-Wextra', '-Werror',
  `-I${join(root, 'runtime')}`, '-T', join(root, 'runtime', 'link.ld'), '-Wl,--build-id=none', '-Wl,-z,noexecstack', '-Wl,--no-warn-rwx-segments',
];

let failed = false;
for (const file of readdirSync(join(root, 'programs'))) {
  const source = join(root, 'programs', file);
  const out = join(dist, `${basename(file, extname(file))}.elf`);
  const built = existsSync(out) ? statSync(out).mtimeMs : 0;
  if ([source, ...runtime, join(root, 'build.mjs')].every((f) => statSync(f).mtimeMs <= built)) continue;
  const result = spawnSync('gcc', [...flags, '-o', out, ...runtimeSources, source], { stdio: 'inherit' });
  if (result.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
