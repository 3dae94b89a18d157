/**
 * The VMM process: one per running domain, detached from whoever started
 * it. Builds the machine from the domain's live XML, then serves QMP and the
 * serial console on unix sockets until the domain ends.
 *
 *   node vmm.js --xml FILE --qmp SOCKET --console SOCKET --log FILE --exit-status FILE
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parseDomainXML, VirtError } from '@virt/core-api';
import { QmpServer } from '@virt/qmp';
import { machineSpec } from '../domain/machine-spec.js';
import { ConsoleHub } from './console-hub.js';
import { writeExitStatus, type ExitStatus } from './exit-status.js';
import { monitorCommands } from './monitor-commands.js';
import { VmmRuntime } from './runtime.js';

const { values: args } = parseArgs({
  options: {
    xml: { type: 'string' },
    qmp: { type: 'string' },
    console: { type: 'string' },
    log: { type: 'string' },
    'exit-status': { type: 'string' },
  },
});
const required = (name: keyof typeof args): string => {
  const value = args[name];
  if (!value) {
    console.error(`vmm: --${name} is required`);
    process.exit(2);
  }
  return value;
};

const exitStatusFile = required('exit-status');
let ending = false;

async function main(): Promise<void> {
  const def = parseDomainXML(readFileSync(required('xml'), 'utf8'), { virtTypes: ['kvm'], defaultArch: 'x86_64' });
  const spec = machineSpec(def);
  process.title = `virt-kvm ${spec.name}`;
  // commands are served only after listen(), by when the runtime exists
  const monitor = new QmpServer({
    version: { qemu: { major: 0, minor: 1, micro: 0 }, package: '@virt/driver-kvm' },
    commands: monitorCommands(() => runtime),
  });
  const serialConsole = new ConsoleHub(required('log'), spec.serialFile);
  const end = (status: ExitStatus): void => {
    if (ending) return;
    ending = true;
    writeExitStatus(exitStatusFile, status);
    // let the last events and console bytes reach their readers first
    void Promise.all([monitor.close(), serialConsole.close()]).finally(() => process.exit(0));
  };
  const runtime: VmmRuntime = new VmmRuntime(spec, monitor, serialConsole, end);
  await serialConsole.listen(required('console'));
  await monitor.listen(required('qmp'));
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(signal, () => runtime.quit('host-signal'));
}

main().catch((err: unknown) => {
  console.error(`vmm: ${(err as Error).message}`);
  // the driver raises the error again: its code, and the detail without the code's own words
  const status = VirtError.isVirtError(err) && err.extras.str2 !== undefined ? { code: err.code, detail: err.extras.str2 } : { detail: (err as Error).message };
  writeExitStatus(exitStatusFile, { reason: 'failed', ...status });
  process.exit(1);
});
