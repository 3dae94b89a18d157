import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LogFile } from '../src/shell/log-file.js';
import { BufferOutput, DebugLevel } from '../src/shell/output.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
/** The built CLI, as package.json names it. */
const VIRT = join(root, (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { bin: { virt: string } }).bin.virt);

/** One log line: local time, program name, process ID, level, message. */
const LINE = /^\[(\d{4})\.(\d\d)\.(\d\d) (\d\d):(\d\d):(\d\d) virt (\d+)\] (DEBUG|INFO|WARNING|ERROR) (.*)$/;

interface Entry {
  pid: number;
  level: string;
  message: string;
}

function readLog(path: string): Entry[] {
  const text = readFileSync(path, 'utf8');
  expect(text.endsWith('\n')).toBe(true);
  return text
    .slice(0, -1)
    .split('\n')
    .map((line) => {
      const m = LINE.exec(line);
      if (!m) throw new Error(`not a log line: ${JSON.stringify(line)}`);
      return { pid: Number(m[7]), level: m[8]!, message: m[9]! };
    });
}

const messages = (entries: Entry[]): string[] => entries.map((e) => `${e.level} ${e.message}`);

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'virt-log-'));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Run the built virt on test:///default, without the debug variables of the environment running the tests. */
function virt(args: string[], env: Record<string, string> = {}) {
  const base = { ...process.env };
  for (const name of ['VIRT_DEBUG', 'VIRSH_DEBUG', 'VIRT_LOG_FILE', 'VIRSH_LOG_FILE']) delete base[name];
  const run = spawnSync(process.execPath, [VIRT, '-c', 'test:///default', ...args], { encoding: 'utf8', env: { ...base, ...env }, cwd: dir });
  return { stdout: run.stdout, stderr: run.stderr, code: run.status, pid: run.pid };
}

describe('the log file (-l)', () => {
  it('gets every debug line shown, and every error, one line each with time, program, PID and level', () => {
    const log = join(dir, 'virt.log');
    const run = virt(['-d', '0', '-l', log, 'dominfo nosuch']);
    expect(run.code).toBe(1);
    const entries = readLog(log);
    expect(entries.every((e) => e.pid === run.pid)).toBe(true);
    expect(messages(entries)).toEqual([
      'INFO commands: "dominfo nosuch"',
      'INFO dominfo: domain(optdata): nosuch',
      'INFO Failed to setup keepalive on connection',
      'INFO dominfo: found option <domain>: nosuch',
      'DEBUG dominfo: <domain> trying as domain NAME',
      "ERROR failed to get domain 'nosuch'",
    ]);
    // the same debug lines on standard output, the error on standard error
    expect(run.stdout).toBe(`${entries.filter((e) => e.level !== 'ERROR').map((e) => `${e.message}\n`).join('')}\n`);
    expect(run.stderr).toBe("error: failed to get domain 'nosuch'\n");
  });

  it('gets the errors whatever the debug level', () => {
    const log = join(dir, 'virt.log');
    const run = virt(['-l', log, 'uri; net-info nosuch']);
    expect(run.stdout).toBe('test:///default\n\n\n');
    expect(messages(readLog(log))).toEqual([
      "ERROR failed to get network 'nosuch'",
      "ERROR Network not found: no network with matching name 'nosuch'",
    ]);
  });

  it('is appended to, and created with mode 0644 less the umask, as virsh does', () => {
    const log = join(dir, 'virt.log');
    const first = virt(['-l', log, 'dominfo nosuch']);
    const second = virt(['-l', log, 'pool-info nosuch']);
    const entries = readLog(log);
    expect(entries.map((e) => e.pid)).toEqual([first.pid, second.pid, second.pid]);
    expect(entries[0]!.message).toBe("failed to get domain 'nosuch'");
    expect(statSync(log).mode & 0o777).toBe(0o644 & ~process.umask());
  });

  it('keeps what the file held', () => {
    const log = join(dir, 'virt.log');
    writeFileSync(log, 'earlier\n');
    virt(['-l', log, 'nosuchcmd']);
    expect(readFileSync(log, 'utf8')).toMatch(/^earlier\n\[[^\]]+\] ERROR unknown command: 'nosuchcmd'\n$/);
  });

  it('that cannot be opened is an error, and nothing runs', () => {
    const run = virt(['-l', join(dir, 'missing', 'virt.log'), '-d', '0', 'uri']);
    expect(run).toMatchObject({ code: 1, stdout: '', stderr: 'error: failed to open the log file. check the log file path\n' });
  });

  it('replaces one given earlier, which is left empty', () => {
    const [a, b] = [join(dir, 'a.log'), join(dir, 'b.log')];
    virt(['-l', a, '-l', b, 'nosuchcmd']);
    expect(readFileSync(a, 'utf8')).toBe('');
    expect(messages(readLog(b))).toEqual(["ERROR unknown command: 'nosuchcmd'"]);
  });
});

describe('the environment', () => {
  it('VIRT_LOG_FILE, else VIRSH_LOG_FILE, names the log file', () => {
    const [ours, virsh] = [join(dir, 'virt.log'), join(dir, 'virsh.log')];
    virt(['nosuchcmd'], { VIRSH_LOG_FILE: virsh });
    expect(messages(readLog(virsh))).toEqual(["ERROR unknown command: 'nosuchcmd'"]);
    virt(['nosuchcmd'], { VIRT_LOG_FILE: ours, VIRSH_LOG_FILE: virsh });
    expect(readLog(ours)).toHaveLength(1);
    expect(readLog(virsh)).toHaveLength(1);
  });

  it('-l wins over the variable, whose file is still opened first', () => {
    const [fromEnv, fromOption] = [join(dir, 'env.log'), join(dir, 'option.log')];
    virt(['-l', fromOption, 'nosuchcmd'], { VIRT_LOG_FILE: fromEnv });
    expect(readFileSync(fromEnv, 'utf8')).toBe('');
    expect(readLog(fromOption)).toHaveLength(1);
    const run = virt(['-l', fromOption, 'uri'], { VIRT_LOG_FILE: join(dir, 'missing', 'virt.log') });
    expect(run).toMatchObject({ code: 1, stderr: 'error: failed to open the log file. check the log file path\n' });
  });

  it('VIRT_DEBUG, else VIRSH_DEBUG, sets the debug level', () => {
    expect(virt(['net-uuid default'], { VIRT_DEBUG: '1' }).stdout).toMatch(/^commands: "net-uuid default"\n/);
    expect(virt(['net-uuid default'], { VIRSH_DEBUG: '1' }).stdout).toMatch(/^commands: "net-uuid default"\n/);
    expect(virt(['net-uuid default'], { VIRT_DEBUG: '4', VIRSH_DEBUG: '1' }).stdout).toBe('dd8fe884-6c02-601e-7551-cca97df1c5df\n\n');
  });

  it('a bad value is reported under the name of the variable read, and ignored', () => {
    // read before and again after the command line, so reported twice
    const run = virt(['uri'], { VIRT_DEBUG: 'verbose', VIRSH_DEBUG: '0' });
    expect(run).toMatchObject({ code: 0, stdout: 'test:///default\n\n' });
    expect(run.stderr).toBe('error: VIRT_DEBUG not set with a valid numeric value\n'.repeat(2));
    expect(virt(['uri'], { VIRSH_DEBUG: '5' }).stderr).toBe('error: VIRSH_DEBUG not set with a valid numeric value\n'.repeat(2));
  });

  it('a bad VIRT_DEBUG is logged when the log file is open by then', () => {
    const log = join(dir, 'virt.log');
    virt(['-l', log, 'uri'], { VIRT_DEBUG: 'x' });
    // the first reading comes before -l opens the file
    expect(messages(readLog(log))).toEqual(['ERROR VIRT_DEBUG not set with a valid numeric value']);
  });
});

describe('Output with a log file', () => {
  it('logs debug lines from the debug level up, and errors always', () => {
    const path = join(dir, 'out.log');
    const out = new BufferOutput();
    out.setLogFile(LogFile.open(path));
    out.debugLevel = DebugLevel.WARNING;
    out.debug(DebugLevel.INFO, 'hidden');
    out.debug(DebugLevel.WARNING, 'shown');
    out.error('broken');
    out.setLogFile(undefined);
    expect(out.stdout).toBe('shown\n');
    expect(out.stderr).toBe('error: broken\n');
    expect(messages(readLog(path))).toEqual(['WARNING shown', 'ERROR broken']);
  });

  it('writes NOTICE as INFO, and gives a message that ends a line no second line break', () => {
    const path = join(dir, 'levels.log');
    const log = LogFile.open(path);
    log.write(DebugLevel.NOTICE, 'noted');
    log.write(DebugLevel.ERROR, 'ends a line\n');
    log.write(DebugLevel.DEBUG, 'two\nlines');
    log.close();
    expect(readFileSync(path, 'utf8').replace(/^\[[^\]]+\] /gm, '')).toBe('INFO noted\nERROR ends a line\nDEBUG two\nlines\n');
  });

  it('stamps lines with the local time', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(new Date(2024, 0, 2, 3, 4, 5));
      const path = join(dir, 'time.log');
      const log = LogFile.open(path);
      log.write(DebugLevel.INFO, 'x');
      log.close();
      expect(readFileSync(path, 'utf8')).toBe(`[2024.01.02 03:04:05 virt ${process.pid}] INFO x\n`);
    } finally {
      vi.useRealTimers();
    }
  });

  it('stops logging after a failed write, and says so once', () => {
    const out = new BufferOutput();
    out.setLogFile(LogFile.open('/dev/full'));
    out.error('first');
    out.error('second');
    expect(out.stderr).toBe('error: failed to write the log file\nerror: first\nerror: second\n');
  });
});
