import { ConnectionEvents, ErrorCode, ErrorDomain, parseXml, parseXmlFile, VirtError, type ConnectionDrivers, type ConnectURI, type DriverFactory } from '@virt/core-api';
import { DEFAULT_NODE_XML, defaultNuma } from './default-node.js';
import { TestHypervisorDriver } from './hypervisor.js';
import { TestInterfaceDriver } from './interface.js';
import { TestNetworkDriver } from './network.js';
import { loadNode, type TestNode } from './node.js';
import { TestStorageDriver } from './storage.js';

/**
 * test:///default is one shared fake host per process while connections
 * to it are open; the next open after the last close starts afresh.
 */
let shared: { node: TestNode; users: number } | undefined;

function openDefault(): { node: TestNode; release: () => void } {
  shared ??= { node: loadNode(parseXml(DEFAULT_NODE_XML, '/default'), '/default', defaultNuma()), users: 0 };
  const state = shared;
  state.users++;
  let released = false;
  return {
    node: state.node,
    release: () => {
      if (released) return;
      released = true;
      if (--state.users === 0 && shared === state) shared = undefined;
    },
  };
}

function openFile(path: string): { node: TestNode; release: () => void } {
  return { node: loadNode(parseXmlFile(path), path), release: () => undefined };
}

function drivers(node: TestNode, release: () => void): ConnectionDrivers {
  const events = new ConnectionEvents([node.domains.events, node.networks.events, node.pools.events], ErrorDomain.TEST);
  const close = (): void => {
    events.close();
    release();
  };
  return {
    hypervisor: new TestHypervisorDriver(node, events, close),
    network: new TestNetworkDriver(node.networks, events),
    storage: new TestStorageDriver(node.pools, events),
    interface: new TestInterfaceDriver(node.interfaces),
  };
}

/**
 * The `test` driver: `test:///default` (the standard fake host) or
 * `test:///path/to/node.xml` (a host described in libvirt's testnode
 * format, private to each connection).
 */
export const testDriver: DriverFactory = {
  name: 'test',
  accepts: (uri: ConnectURI) => uri.driver === 'test' && uri.transport === undefined && uri.host === undefined,
  probe: async () => 'test:///default',
  async open(uri: ConnectURI): Promise<ConnectionDrivers> {
    if (uri.path === '' || uri.path === '/') {
      throw VirtError.create(ErrorCode.INVALID_ARG, ErrorDomain.TEST, 'testOpen: supply a path or use test:///default');
    }
    const { node, release } = uri.path === '/default' ? openDefault() : openFile(uri.path);
    return drivers(node, release);
  },
};
