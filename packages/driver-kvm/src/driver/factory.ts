/**
 * The `kvm` connection driver: kvm:///system and kvm:///session. Every
 * connection to the same URI in a process shares one view of the domains;
 * the heavy parts load only when a connection opens.
 */
import { ErrorCode, ErrorDomain, VirtError, type ConnectionDrivers, type ConnectURI, type DriverFactory } from '@virt/core-api';

const shared = new Map<string, { state: import('./state.js').KvmState; users: number }>();

export const kvmDriver: DriverFactory = {
  name: 'kvm',
  accepts: (uri: ConnectURI) => uri.driver === 'kvm' && uri.transport === undefined && uri.host === undefined,
  async open(uri: ConnectURI): Promise<ConnectionDrivers> {
    if (uri.path !== '/system' && uri.path !== '/session') {
      throw VirtError.create(ErrorCode.INVALID_ARG, ErrorDomain.QEMU, `unexpected KVM URI path '${uri.path}', try kvm:///system or kvm:///session`);
    }
    const mode = uri.path === '/system' ? 'system' : 'session';
    if (mode === 'system' && process.getuid?.() !== 0) {
      throw VirtError.create(ErrorCode.OPERATION_DENIED, ErrorDomain.QEMU, 'kvm:///system needs root; try kvm:///session');
    }
    const [{ KvmState }, { KvmHypervisorDriver }, { driverPaths }, { ConnectionEvents }] = await Promise.all([
      import('./state.js'),
      import('./hypervisor.js'),
      import('./paths.js'),
      import('@virt/core-api'),
    ]);
    let entry = shared.get(mode);
    if (!entry) {
      const state = new KvmState(driverPaths(mode));
      await state.load();
      entry = { state, users: 0 };
      shared.set(mode, entry);
    }
    entry.users++;
    const held = entry;
    const events = new ConnectionEvents([held.state.domains.events], ErrorDomain.QEMU);
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      events.close();
      if (--held.users === 0) {
        held.state.close();
        shared.delete(mode);
      }
    };
    return { hypervisor: new KvmHypervisorDriver(held.state, events, release) };
  },
};
