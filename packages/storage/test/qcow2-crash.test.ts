import { spawn } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { afterAll, describe, expect, it } from 'vitest';
import { createImage } from '../src/index.js';
import { qemuCheck, qemuContents, scratch } from './qcow2-helpers.js';

const { dir, cleanup } = scratch('qcow2-crash-');
// the writer is bundled beside the package so that it finds the native addon as the package does
const writer = join(__dirname, '.qcow2-crash-writer.mjs');
afterAll(() => {
  cleanup();
  rmSync(writer, { force: true });
});

/**
 * A child process writes, flushes after every 8th write (printing how far
 * it got) and is killed with SIGKILL part-way: the image must check
 * without corruptions, and every write before the last flush it reported
 * must be there.
 */
const HALF = 4 << 20;
const WRITER_SOURCE = `
import { openImage } from ${JSON.stringify(join(__dirname, '../src/index.ts'))};
const { device } = await openImage(process.argv[2]);
for (let i = 0; ; i++) {
  const offset = (i % 2) * ${HALF} + (i * 40961 * 7) % (${HALF} - 70000);
  await device.write(offset, Buffer.alloc(70000, (i % 250) + 1));
  if (i % 8 === 7) { await device.flush(); process.stdout.write(i + '\\n'); }
  if (i % 3 === 0) await device.discard(${HALF} + (i * 65536 * 5) % ${HALF}, 65536);
}
`;

describe('qcow2 crash safety', () => {
  it('survives SIGKILL at any moment with no corruption and flushed writes intact', async () => {
    const source = join(dir, 'writer.ts');
    writeFileSync(source, WRITER_SOURCE);
    // esbuild comes with tsup; the child cannot load TypeScript itself
    const tsup = createRequire(import.meta.url).resolve('tsup');
    const { build } = (await import(createRequire(tsup).resolve('esbuild'))) as { build: (options: object) => Promise<unknown> };
    await build({ entryPoints: [source], bundle: true, platform: 'node', format: 'esm', outfile: writer, logLevel: 'silent', external: ['*.node'] });
    const cases: Record<string, string>[] = [{}, { lazy_refcounts: 'on', cluster_size: '4096' }, { extended_l2: 'on' }];
    for (const [round, options] of cases.entries()) {
      const path = join(dir, `crash-${round}.qcow2`);
      await createImage('qcow2', { path, size: 8 << 20, options });
      const child = spawn(process.execPath, [writer, path], { stdio: ['ignore', 'pipe', 'inherit'] });
      let flushed = -1;
      child.stdout.on('data', (chunk: Buffer) => {
        for (const line of chunk.toString().split('\n')) if (line) flushed = Number(line);
      });
      await new Promise((resolve) => setTimeout(resolve, 400 + round * 150));
      child.kill('SIGKILL');
      await new Promise((resolve) => child.on('exit', resolve));
      const report = qemuCheck(path);
      expect(report['check-errors']).toBe(0);
      expect(report.corruptions).toBeUndefined();
      expect(flushed).toBeGreaterThan(8);
      // the writes to the first half (never discarded) before the last reported flush are there
      const contents = qemuContents(path, dir);
      for (let i = 0; i <= flushed; i += 2) expect(contents[(i * 40961 * 7) % (HALF - 70000) + 35000]).toBeGreaterThan(0);
    }
  }, 20000);
});
