import { execFileSync, spawnSync } from 'node:child_process';

/** Run qemu-img (or qemu-io), throwing with its stderr on failure. */
export function qemu(tool: 'qemu-img' | 'qemu-io', args: string[]): string {
  return execFileSync(tool, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

export interface QemuCheck {
  exit: number;
  corruptions: number;
  leaks: number;
  checkErrors: number;
  output: string;
}

/** `qemu-img check --output=json`: exit 0 clean, 3 leaks only, 2 corruptions, 1 check errors. */
export function qemuCheck(path: string, format: string): QemuCheck {
  const r = spawnSync('qemu-img', ['check', '-f', format, '--output=json', path], { encoding: 'utf8' });
  let parsed: Record<string, number> = {};
  try {
    parsed = JSON.parse(r.stdout) as Record<string, number>;
  } catch {
    // no JSON: the check could not run; the exit code tells
  }
  return {
    exit: r.status ?? -1,
    corruptions: parsed['corruptions'] ?? 0,
    leaks: parsed['leaks'] ?? 0,
    checkErrors: parsed['check-errors'] ?? 0,
    output: `${r.stdout}${r.stderr}`,
  };
}
