import { spawnSync } from 'node:child_process';
import { BENCH_ENV } from '../environment.js';
import { createRequire } from 'node:module';
import { summarize, type Timing } from '../stats.js';

const VIRT_BIN = createRequire(import.meta.url).resolve('@virt/cli/bin/virt.cjs');

/** A CLI under test: virt, or its peer virsh. */
export interface Cli {
  name: string;
  argv0: string;
  prefix: string[];
}

export const VIRT: Cli = { name: 'virt', argv0: process.execPath, prefix: [VIRT_BIN] };
export const VIRSH: Cli = { name: 'virsh', argv0: 'virsh', prefix: [] };
/** Node.js starting and doing nothing: the floor under virt's start-up. */
export const NODE: Cli = { name: 'node', argv0: process.execPath, prefix: ['-e', '0', '--'] };

export function available(cli: Cli): boolean {
  return spawnSync(cli.argv0, [...cli.prefix, '--version'], { stdio: 'ignore' }).status === 0;
}

function runOnce(cli: Cli, args: string[], input?: string): { ms: number; stdout: string } {
  const start = process.hrtime.bigint();
  const r = spawnSync(cli.argv0, [...cli.prefix, ...args], { input, encoding: 'utf8', maxBuffer: 1 << 30, env: { ...BENCH_ENV, LC_ALL: 'C.UTF-8' } });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`${cli.name} ${args.join(' ')} failed: ${r.error?.message ?? r.stderr}`);
  return { ms, stdout: r.stdout };
}

/**
 * Wall time of whole processes, the CLIs taking turns so that both see the
 * same machine load. `input` is typed into the interactive shell, for
 * scripts too long for one command-line argument.
 */
export function wallTimes(clis: readonly Cli[], args: string[], runs: number, input?: string): Map<string, Timing> {
  const samples = new Map<string, number[]>(clis.map((c) => [c.name, []]));
  for (let i = 0; i < runs; i++) for (const cli of clis) samples.get(cli.name)!.push(runOnce(cli, args, input).ms);
  return new Map([...samples].map(([name, s]) => [name, summarize(s)]));
}

/**
 * In-process time of each command of a script, from the CLI's own `-t`
 * report ("(Time: 1.234 ms)"), so process start-up does not count: for
 * each CLI, one list of samples per command, one sample per process run.
 */
export function commandTimes(clis: readonly Cli[], uri: string, commands: string[], runs: number): Map<string, number[][]> {
  const samples = new Map<string, number[][]>(clis.map((c) => [c.name, commands.map(() => [])]));
  for (let i = 0; i < runs; i++) {
    for (const cli of clis) {
      const { stdout } = runOnce(cli, ['-q', '-t', '-c', uri, commands.join('; ')]);
      const times = [...stdout.matchAll(/\(Time: (\d+\.\d+) ms\)/g)].map((m) => Number(m[1]));
      if (times.length !== commands.length) throw new Error(`${cli.name} reported ${times.length} timings for ${commands.length} commands`);
      times.forEach((t, k) => samples.get(cli.name)![k]!.push(t));
    }
  }
  return samples;
}
