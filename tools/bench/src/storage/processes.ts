import { spawnSync } from 'node:child_process';
import { BENCH_ENV } from '../environment.js';
import { readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { summarize, type Timing } from '../stats.js';

/** An image tool under test: virt-img or its peer qemu-img. */
export interface ImageTool {
  name: string;
  argv0: string;
  prefix: string[];
}

export const VIRT_IMG: ImageTool = { name: 'virt-img', argv0: process.execPath, prefix: [createRequire(import.meta.url).resolve('@virt/virt-img/bin/virt-img.cjs')] };
export const QEMU_IMG: ImageTool = { name: 'qemu-img', argv0: 'qemu-img', prefix: [] };
/** Node.js alone, to show how much of each virt-img run is the runtime starting. */
export const NODE: ImageTool = { name: 'node', argv0: process.execPath, prefix: [] };

export interface RunStats {
  wall: Timing;
  /** Largest peak resident set size over the runs, in bytes. */
  peakRss: number;
}

/** One run: wall time in ms and the peak resident set size (GNU time's %M, in KiB). */
function runOnce(tool: ImageTool, args: readonly string[], timeFile: string): { ms: number; rssKiB: number } {
  const start = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-f', '%M', '-o', timeFile, tool.argv0, ...tool.prefix, ...args], { encoding: 'utf8', env: BENCH_ENV });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`${tool.name} ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return { ms, rssKiB: Number(readFileSync(timeFile, 'utf8').trim().split('\n').pop()) };
}

/**
 * Run the same command with each tool `runs` times, the tools taking turns
 * so that both see the same machine state. `cleanup` runs after every run
 * (e.g. to delete the output image).
 */
export function measureTools(tools: readonly ImageTool[], args: readonly string[], runs: number, timeFile: string, cleanup: () => void = () => undefined): Map<string, RunStats> {
  const samples = new Map(tools.map((t) => [t.name, { ms: [] as number[], rss: 0 }]));
  for (let i = 0; i < runs; i++) {
    for (const tool of tools) {
      const { ms, rssKiB } = runOnce(tool, args, timeFile);
      const s = samples.get(tool.name)!;
      s.ms.push(ms);
      s.rss = Math.max(s.rss, rssKiB * 1024);
      cleanup();
      // write back what this run left dirty, so that the next one (the other tool) is not throttled by it
      spawnSync('sync');
    }
  }
  rmSync(timeFile, { force: true });
  return new Map([...samples].map(([name, s]) => [name, { wall: summarize(s.ms), peakRss: s.rss }]));
}
