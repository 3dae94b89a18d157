import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const FIXTURES = join(here, '..', 'fixtures');
export const VIRT = createRequire(import.meta.url).resolve('@virt/cli/bin/virt.cjs');

export interface Run {
  stdout: string;
  stderr: string;
  code: number;
}

export interface Script {
  /** Where the script comes from, for test names. */
  label: string;
  /** Global options before the command (e.g. -q). */
  options: string[];
  /** One argument (a command string) or several (argv form). */
  args: string[];
  /** The script creates objects with generated UUIDs, which differ between the two runs. */
  generatedUUIDs: boolean;
  /** Lines typed into the interactive shell (no command arguments). */
  input?: string;
  /** Environment variables for both runs. */
  env?: Record<string, string>;
}

/**
 * Read a script file: one script per line; `#` starts a comment line;
 * `{-q}` in front gives global options; `$ ` in front runs the rest as
 * separate words (virsh's argv form) instead of one command string.
 * `@FIX@` stands for the fixtures folder; `~uuid` among the options masks
 * UUIDs that the script's objects are given at random; `NAME=value` among
 * them sets an environment variable.
 */
export function readScripts(file: string): Script[] {
  const scripts: Script[] = [];
  readFileSync(join(here, '..', 'scripts', file), 'utf8')
    .split('\n')
    .forEach((raw, i) => {
      let line = raw.replaceAll('@FIX@', FIXTURES);
      if (line.trim() === '' || line.startsWith('#')) return;
      let options: string[] = [];
      const opts = /^\{([^}]*)\}\s*/.exec(line);
      if (opts) {
        options = opts[1]!.split(' ').filter(Boolean);
        line = line.slice(opts[0].length);
      }
      const generatedUUIDs = options.includes('~uuid');
      const isVariable = (o: string): boolean => /^[A-Z_]+=/.test(o);
      const env = Object.fromEntries(options.filter(isVariable).map((o) => [o.slice(0, o.indexOf('=')), o.slice(o.indexOf('=') + 1)]));
      options = options.filter((o) => o !== '~uuid' && !isVariable(o));
      const args = line.startsWith('$ ') ? line.slice(2).split(' ').filter(Boolean) : [line];
      scripts.push({ label: `${file}:${i + 1}: ${raw}`, options, args, generatedUUIDs, env });
    });
  return scripts;
}

/** A run that did not finish within this many milliseconds is killed. */
const HANG_MS = 5_000;

function execute(cmd: string, args: string[], cwd: string, script: Script): Promise<Run | 'hung'> {
  const { input } = script;
  return new Promise((resolve, reject) => {
    const env = { ...process.env, LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8', TZ: 'UTC', ...script.env };
    const child = spawn(cmd, args, { cwd, env, stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    child.stdin?.end(input);
    let stdout = '';
    let stderr = '';
    let hung = false;
    const timer = setTimeout(() => {
      hung = true;
      child.kill('SIGKILL');
    }, HANG_MS);
    // stdio is 'pipe' for both, so the streams exist
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve(hung ? 'hung' : { stdout, stderr, code: code ?? -1 });
    });
  });
}

/**
 * Run one side of a comparison in a fresh working folder. virsh 9.0 sometimes
 * never returns from save/managedsave when the machine is busy: the job's
 * thread can end the job-watch loop before that loop has started, and then
 * it waits forever. So a hung virsh is retried from scratch (often, as on a
 * loaded machine one attempt in two can hang); a hung virt is a failure.
 */
async function runIsolated(cmd: string, args: string[], retries: number, script: Script): Promise<Run> {
  for (let attempt = 0; ; attempt++) {
    const dir = mkdtempSync(join(tmpdir(), 'virt-compat-'));
    try {
      const run = await execute(cmd, args, dir, script);
      if (run !== 'hung') {
        // each side runs in its own folder, which shows in absolute paths
        run.stdout = normalize(run.stdout.replaceAll(dir, '<cwd>'), script.generatedUUIDs);
        run.stderr = normalize(run.stderr.replaceAll(dir, '<cwd>'), script.generatedUUIDs);
        return run;
      }
      if (attempt >= retries) throw new Error(`${cmd} did not finish within ${HANG_MS} ms`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

/**
 * Values that change by nature between two runs: CPU time (the test driver
 * reports the clock), creation times, `-t` timings, and virsh's `-d` line
 * for each half second a job runs.
 */
export function normalize(text: string, generatedUUIDs = false): string {
  const masked = generatedUUIDs ? text.replace(/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}/g, '<uuid>') : text;
  return masked
    .replace(/^watchJob: progress update\n/gm, '')
    .replace(/(CPU time:\s+)\d+\.\d+s/g, '$1<cpu-time>')
    .replace(/\(Time: \d+\.\d{3} ms\)/g, '(Time: <ms>)')
    .replace(/<creationTime>\d+<\/creationTime>/g, '<creationTime>T</creationTime>')
    .replace(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d{4}/g, '<time>')
    .replace(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}\+0000/g, '<timestamp>')
    .replace(/\b1[7-9]\d{8}\b/g, '<epoch>');
}

/** Run a script through virsh and virt, each in a fresh working folder. */
export async function runBoth(script: Script): Promise<{ virsh: Run; virt: Run }> {
  const argv = ['-c', 'test:///default', ...script.options, ...script.args];
  const [virsh, virt] = await Promise.all([
    runIsolated('virsh', argv, 8, script),
    runIsolated(process.execPath, [VIRT, ...argv], 0, script),
  ]);
  return { virsh, virt };
}
