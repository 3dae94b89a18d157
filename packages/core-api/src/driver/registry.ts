import { ErrorCode, ErrorDomain } from '../errors/codes.js';
import { VirtError } from '../errors/virt-error.js';
import type { ConnectURI } from '../uri.js';
import type { HypervisorDriver } from './hypervisor.js';
import type { InterfaceDriver } from './interface.js';
import type { NetworkDriver } from './network.js';
import type { StorageDriver } from './storage.js';

/** The driver tables one open connection dispatches to. */
export interface ConnectionDrivers {
  readonly hypervisor: HypervisorDriver;
  readonly network?: NetworkDriver;
  readonly storage?: StorageDriver;
  readonly interface?: InterfaceDriver;
}

export interface OpenOptions {
  /** VIR_CONNECT_RO: refuse every operation that changes something. */
  readonly readOnly?: boolean;
}

/**
 * A connection driver as registered with the library (libvirt's
 * virConnectDriver). `accepts` is the DECLINED check of libvirt's
 * connectOpen: a driver that does not recognise a URI lets the next one try.
 */
export interface DriverFactory {
  readonly name: string;
  accepts(uri: ConnectURI): boolean;
  /** The URI this driver would serve when no URI is given, if it can serve one here. */
  probe?(): Promise<string | undefined>;
  open(uri: ConnectURI, options: OpenOptions): Promise<ConnectionDrivers>;
}

const factories: DriverFactory[] = [];

/** Make a driver available to {@link Connect.open}. Registering a name again replaces it. */
export function registerDriver(factory: DriverFactory): void {
  const existing = factories.findIndex((f) => f.name === factory.name);
  if (existing >= 0) factories.splice(existing, 1, factory);
  else factories.push(factory);
}

export function registeredDrivers(): readonly DriverFactory[] {
  return factories;
}

export function findDriver(uri: ConnectURI): DriverFactory {
  const factory = factories.find((f) => f.accepts(uri));
  if (!factory) throw VirtError.create(ErrorCode.NO_CONNECT, ErrorDomain.NONE, uri.text);
  return factory;
}

/** The first URI a registered driver offers, in registration order. */
export async function probeDefaultURI(): Promise<string> {
  for (const factory of factories) {
    const uri = await factory.probe?.();
    if (uri !== undefined) return uri;
  }
  throw VirtError.create(ErrorCode.NO_CONNECT, ErrorDomain.NONE, '(null)');
}
