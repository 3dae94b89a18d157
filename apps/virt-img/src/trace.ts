import { readFileSync } from 'node:fs';
import type { Output } from './output.js';

/**
 * -T/--trace: virt-img has no trace events, so every pattern asked for
 * gets qemu-img's warning for a pattern that matches none, and "help"
 * lists nothing. Returns true when the program should stop (help).
 */
export function setUpTracing(out: Output, spec: string): boolean {
  const patterns: string[] = [];
  for (const item of spec.split(',')) {
    const eq = item.indexOf('=');
    const key = eq < 0 ? 'enable' : item.slice(0, eq);
    const value = eq < 0 ? item : item.slice(eq + 1);
    if (key === 'enable') patterns.push(value);
    else if (key === 'events') patterns.push(...eventsFile(out, value));
  }
  if (patterns.includes('help')) return true;
  for (const pattern of patterns) out.warn(`trace event '${pattern}' does not exist`);
  return false;
}

/** The patterns of an events file: one a line, '#' comments and blank lines left out. */
function eventsFile(out: Output, path: string): string[] {
  try {
    return readFileSync(path, 'utf8')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('#'));
  } catch {
    out.error(`error: could not open trace events file '${path}'`);
    return [];
  }
}
