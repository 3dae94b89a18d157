/**
 * The QMP commands the VMM serves: the subset a libvirt-style driver needs
 * for lifecycle control, with QEMU's reply shapes.
 */
import { QmpCommandError, type QmpHandler } from '@virt/qmp';
import type { VmmRuntime } from './runtime.js';

export function monitorCommands(runtime: () => VmmRuntime): Record<string, QmpHandler> {
  const guarded = (fn: (r: VmmRuntime) => void) => () => {
    try {
      fn(runtime());
      return {};
    } catch (err) {
      throw new QmpCommandError('GenericError', (err as Error).message);
    }
  };
  return {
    'query-status': () => {
      const { status } = runtime();
      return { status, singlestep: false, running: status === 'running' };
    },
    stop: guarded((r) => r.stop()),
    cont: guarded((r) => r.cont()),
    system_reset: guarded((r) => r.reset(false)),
    system_powerdown: guarded((r) => r.powerdown()),
    // the reply goes out before the process ends
    quit: () => void setImmediate(() => runtime().quit('host-qmp-quit')),
    'query-cpus-fast': () =>
      runtime().vcpuThreads.map((threadId, index) => ({
        'cpu-index': index,
        'qom-path': `/machine/unattached/device[${index}]`,
        'thread-id': threadId,
        props: { 'core-id': index, 'thread-id': 0, 'socket-id': 0 },
        target: 'x86_64',
      })),
  };
}
