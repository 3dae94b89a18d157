import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const VIRT_IMG = createRequire(import.meta.url).resolve('@virt/virt-img/bin/virt-img.cjs');

export interface Case {
  /** Where the case comes from, for test names. */
  label: string;
  /** The commands, run one after another in the same folder. */
  steps: Step[];
}

/** One command line: its arguments, and whether the tool under test runs it or qemu-img always does. */
export interface Step {
  args: string[];
  /** A check run by qemu-img on both sides (that what virt-img wrote reads back right). */
  verify: boolean;
}

export interface Transcript {
  stdout: string;
  stderr: string;
  codes: number[];
}

/**
 * Read a script file: one case per line, `#` lines are comments. A case is
 * one or more command lines joined by ` ; `, each the arguments after the
 * program name split at spaces ('' stands for an empty argument). A
 * command line starting with `!` is run by qemu-img on both sides: it checks
 * what the command before it left behind.
 */
export function readCases(file: string): Case[] {
  const cases: Case[] = [];
  readFileSync(join(here, '..', 'scripts', file), 'utf8')
    .split('\n')
    .forEach((line, i) => {
      if (line.trim() === '' || line.startsWith('#')) return;
      const steps = line.split(' ; ').map((text) => {
        const verify = text.startsWith('!');
        const args = (verify ? text.slice(1) : text)
          .split(' ')
          .filter(Boolean)
          .map((a) => (a === "''" ? '' : a));
        return { args, verify };
      });
      cases.push({ label: `${file}:${i + 1}: ${line}`, steps });
    });
  return cases;
}

/** A run that has not finished within this many milliseconds is killed. */
const HANG_MS = 20_000;

export function execute(command: string, args: string[], cwd: string): Promise<{ stdout: string; stderr: string; code: number }> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env, LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8', TZ: 'UTC' };
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), HANG_MS);
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ stdout, stderr, code: code ?? (signal === 'SIGKILL' ? -9 : -1) });
    });
  });
}

/** Run a case's steps with one tool in a fresh copy of the fixtures. */
async function runSide(fixtures: string, testCase: Case, tool: 'qemu-img' | 'virt-img'): Promise<Transcript> {
  const dir = mkdtempSync(join(tmpdir(), `${tool}-compat-`));
  try {
    // cp keeps holes where they are, so raw images map the same in every copy
    const copy = spawnSync('cp', ['-a', `${fixtures}/.`, dir]);
    if (copy.status !== 0) throw new Error(`copying the fixtures failed: ${copy.stderr}`);
    const transcript: Transcript = { stdout: '', stderr: '', codes: [] };
    for (const step of testCase.steps) {
      const real = step.verify || tool === 'qemu-img';
      const run = await execute(real ? 'qemu-img' : process.execPath, real ? step.args : [VIRT_IMG, ...step.args], dir);
      transcript.stdout += normalize(run.stdout, dir);
      transcript.stderr += normalize(run.stderr, dir);
      transcript.codes.push(run.code);
    }
    return transcript;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * What may differ between the two runs: the program name in messages, the
 * working folder in absolute paths, bench's timing, the random content ID
 * of a new VMDK ("cid:"), the creation time of a snapshot taken during the
 * case (the DATE column of snapshot lists, date-sec/date-nsec in JSON; the
 * two runs take it a moment apart), and -p progress, which qemu-img draws
 * on a pipe too while virt-img draws it on a terminal only.
 */
export function normalize(text: string, dir: string): string {
  return text
    .replaceAll(dir, '<cwd>')
    .replace(/^(qemu-img|virt-img): /gm, 'PROG: ')
    .replace(/Try '(qemu-img|virt-img) --help'/g, "Try 'PROG --help'")
    .replace(/^( +cid: )\d+$/gm, '$1<random>')
    .replace(/ \d{4}-\d\d-\d\d \d\d:\d\d:\d\d /g, ' <date> ')
    .replace(/("date-n?sec": )\d+/g, '$1<time>')
    .replace(/Run completed in \d+\.\d{3} seconds\./g, 'Run completed in <time> seconds.')
    .replace(/( {4}\(\d+\.\d\d\/100%\)\r)+\n?/g, '');
}

/** Run a case through qemu-img and virt-img, each on its own copy of the fixtures. */
export async function runBoth(fixtures: string, testCase: Case): Promise<{ qemu: Transcript; virt: Transcript }> {
  const [qemu, virt] = await Promise.all([runSide(fixtures, testCase, 'qemu-img'), runSide(fixtures, testCase, 'virt-img')]);
  return { qemu, virt };
}
