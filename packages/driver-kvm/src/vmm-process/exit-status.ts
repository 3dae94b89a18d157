/**
 * What a VMM process leaves behind when it ends, for the driver to tell a
 * guest shutdown from a destroy, a crash, or a failed start.
 */
import { readFileSync, writeFileSync } from 'node:fs';

export type ExitReason = 'shutdown' | 'destroyed' | 'crashed' | 'failed';

export interface ExitStatus {
  reason: ExitReason;
  /** For 'crashed' and 'failed': what happened, and the error's libvirt code when it had one. */
  detail?: string;
  code?: number;
}

export function writeExitStatus(path: string, status: ExitStatus): void {
  writeFileSync(path, `${JSON.stringify(status)}\n`);
}

/** The status a VMM left, or undefined when it died without a word (killed, or crashed itself). */
export function readExitStatus(path: string): ExitStatus | undefined {
  try {
    const status = JSON.parse(readFileSync(path, 'utf8')) as ExitStatus;
    return typeof status.reason === 'string' ? status : undefined;
  } catch {
    return undefined;
  }
}
