import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { makeSeeds, type Seed } from './seeds.js';

/*
 * A bounded fuzz test: thousands of damaged headers and tables per format.
 * Opening, describing, mapping, reading, checking and writing a damaged
 * image must end in a VirtError or in success: never another exception, a
 * hang, or a buffer sized by the damaged data.
 */
const ITERATIONS_PER_SEED = Number(process.env.FUZZ_ITERATIONS ?? 400);
/** VMDK has fewer seeds: more damage per seed, so each format gets a few thousand. */
const VMDK_ITERATIONS_PER_SEED = ITERATIONS_PER_SEED * 3;
/** No iteration may go this long without finishing. */
const STALL_MS = 10_000;
const ALLOCATION_CAP = 64 << 20;

const dir = mkdtempSync(join(tmpdir(), 'storage-fuzz-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const seeds = makeSeeds(dir);
const workerFile = join(dirname(fileURLToPath(import.meta.url)), 'fuzz-worker.mjs');

interface Finding {
  iteration: number;
  error: string;
}

interface Outcome {
  findings: Finding[];
  /** Iterations whose damaged image was read to the end rather than refused. */
  survived: number;
  iterations: number;
}

function campaign(seed: Seed): Promise<Outcome> {
  const iterations = seed.format === 'vmdk' ? VMDK_ITERATIONS_PER_SEED : ITERATIONS_PER_SEED;
  return new Promise((resolve, reject) => {
    const findings: Finding[] = [];
    const finish = (survived: number): void => resolve({ findings, survived, iterations });
    const worker = new Worker(workerFile, {
      workerData: {
        seed: { ...seed, path: seed.path },
        iterations,
        firstIteration: 0,
        workPath: join(dirname(seed.path), `fuzz-${seed.name}.${seed.format}`),
        allocationCap: ALLOCATION_CAP,
        writable: !seed.readOnly,
      },
    });
    let current = -1;
    let watchdog = setTimeout(stalled, STALL_MS);
    function stalled(): void {
      void worker.terminate();
      findings.push({ iteration: current, error: `no progress for ${STALL_MS} ms (a hang)` });
      finish(0);
    }
    worker.on('message', (msg: { type: string; iteration: number; error: string; survived: number }) => {
      clearTimeout(watchdog);
      watchdog = setTimeout(stalled, STALL_MS);
      if (msg.type === 'start') current = msg.iteration;
      if (msg.type === 'finding') findings.push({ iteration: msg.iteration, error: msg.error });
      if (msg.type === 'done') {
        clearTimeout(watchdog);
        void worker.terminate();
        finish(msg.survived);
      }
    });
    worker.on('error', (err) => {
      clearTimeout(watchdog);
      findings.push({ iteration: current, error: `worker died: ${String(err)}` });
      finish(0);
    });
    worker.on('exit', (code) => {
      clearTimeout(watchdog);
      if (code !== 0 && code !== 1) reject(new Error(`worker exited with ${code}`));
    });
  });
}

describe('fuzzing damaged images', () => {
  it.each(seeds.map((s) => [s.name, s] as const))('%s', async (_name, seed) => {
    const { findings, survived, iterations } = await campaign(seed);
    // the first few are enough to reproduce: FUZZ_ITERATIONS and the iteration number replay them
    expect(findings.slice(0, 3)).toEqual([]);
    // damage must not all be refused at the first check, or the deeper code goes untested
    expect(survived, `${survived} of ${iterations} damaged images were read through`).toBeGreaterThan(iterations / 10);
    console.log(`${seed.name}: ${iterations} damaged images, ${survived} read through, the rest refused with a VirtError`);
  });
});
