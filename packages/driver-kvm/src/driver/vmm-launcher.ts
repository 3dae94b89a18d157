/**
 * Starting a VMM process for a domain, detached (its own session, output to
 * the domain's log), and finding it again later: the driver's side of the
 * process boundary.
 */
import { spawn } from 'node:child_process';
import { existsSync, openSync, closeSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { ErrorCode } from '@virt/core-api';
import { QmpClient } from '@virt/qmp';
import { kvmError } from '../domain/errors.js';
import { readExitStatus } from '../vmm-process/exit-status.js';
import type { domainFiles } from './paths.js';

type Files = ReturnType<typeof domainFiles>;

/** How long a VMM may take from spawn to serving QMP. */
const START_TIMEOUT_MS = 30_000;
const POLL_MS = 10;

function vmmScript(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('@virt/driver-kvm/package.json')), 'dist', 'vmm.js');
}

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Spawn the VMM and return its pid and monitor once it serves QMP; a failed start is reported with the VMM's own error. */
export async function launchVmm(files: Files): Promise<{ pid: number; monitor: QmpClient }> {
  for (const f of [files.qmp, files.console, files.exitStatus]) rmSync(f, { force: true });
  const log = openSync(files.log, 'a');
  const child = spawn(
    process.execPath,
    [vmmScript(), '--xml', files.liveXml, '--qmp', files.qmp, '--console', files.console, '--log', files.log, '--exit-status', files.exitStatus],
    { detached: true, stdio: ['ignore', log, log], env: { ...process.env, NODE_OPTIONS: '' } },
  );
  closeSync(log);
  child.unref();
  const pid = child.pid;
  if (pid === undefined) throw kvmError(ErrorCode.OPERATION_FAILED, 'cannot start the VMM process');
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (existsSync(files.qmp)) {
      try {
        return { pid, monitor: await QmpClient.connect(files.qmp) };
      } catch {
        // the socket exists but is not listening yet
      }
    }
    if (!processAlive(pid) || existsSync(files.exitStatus)) {
      const status = readExitStatus(files.exitStatus);
      if (status?.reason === 'failed') throw kvmError((status.code as ErrorCode | undefined) ?? ErrorCode.OPERATION_FAILED, status.detail ?? 'the VMM failed');
      if (!processAlive(pid)) throw kvmError(ErrorCode.OPERATION_FAILED, `the VMM ended during startup: ${lastLines(files.log)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  process.kill(pid, 'SIGKILL');
  throw kvmError(ErrorCode.OPERATION_TIMEOUT, 'the VMM did not start serving its monitor within 30 seconds');
}

function lastLines(path: string): string {
  try {
    return readFileSync(path, 'utf8').trim().split('\n').slice(-3).join(' / ');
  } catch {
    return 'no log';
  }
}
