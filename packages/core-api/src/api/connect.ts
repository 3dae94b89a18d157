import type { DomainEventID, NetworkEventID, StoragePoolEventID } from '../constants/events.js';
import { ErrorCode, ErrorDomain } from '../errors/codes.js';
import { VirtError } from '../errors/virt-error.js';
import type { DomainEvent, NetworkEvent, StoragePoolEvent } from '../events/types.js';
import { type ConnectionDrivers, findDriver, type OpenOptions, probeDefaultURI } from '../driver/registry.js';
import type { NodeInfo, SecurityModel } from '../driver/info.js';
import { parseURI, type ConnectURI } from '../uri.js';
import { parseUUID } from '../uuid.js';
import { LIBVIRT_API_VERSION } from '../version.js';
import { Domain } from './domain.js';
import { HostInterface } from './interface.js';
import { checkWritable, invoke } from './invoke.js';
import { Network } from './network.js';
import { absoluteImagePath, checkSaveStateFlags } from './save-image.js';
import { StoragePool, StorageVol } from './storage.js';

const DOM = ErrorDomain.DOMAIN;
const NET = ErrorDomain.NETWORK;
const STORAGE = ErrorDomain.STORAGE;
const IFACE = ErrorDomain.INTERFACE;

/**
 * An open connection to a hypervisor (libvirt's virConnect). Obtained from
 * {@link Connect.open}; every object looked up through it dispatches to the
 * driver tables the URI selected.
 */
export class Connect {
  private closed = false;

  private constructor(
    /** The URI as the driver canonicalised it. */
    readonly uri: ConnectURI,
    readonly drivers: ConnectionDrivers,
    readonly readOnly: boolean,
  ) {}

  /**
   * Open a connection (virConnectOpen / virConnectOpenReadOnly). Without a
   * URI, the registered drivers are probed in registration order.
   */
  static async open(uri?: string, options: OpenOptions = {}): Promise<Connect> {
    const parsed = parseURI(uri ?? (await probeDefaultURI()));
    const factory = findDriver(parsed);
    const drivers = await factory.open(parsed, options);
    return new Connect(parsed, drivers, options.readOnly ?? false);
  }

  /** @internal used by the object classes for read-only checks. */
  checkWritable(api: string, domain: ErrorDomain): void {
    checkWritable(this.readOnly, api, domain);
  }

  private get hv() {
    if (this.closed) throw VirtError.create(ErrorCode.INVALID_CONN, ErrorDomain.NONE, 'virConnect');
    return this.drivers.hypervisor;
  }

  /** virConnectClose */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.drivers.hypervisor.connectClose();
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** virConnectGetType: the driver's name ("TEST", "KVM"). */
  async getType(): Promise<string> {
    const hv = this.hv;
    return hv.connectGetType ? hv.connectGetType() : hv.name;
  }

  /** virConnectGetVersion */
  getVersion(): Promise<number> {
    return invoke(this.hv, 'connectGetVersion', 'virConnectGetVersion', ErrorDomain.NONE);
  }

  /** virConnectGetLibVersion: the libvirt API level @virt implements. */
  async getLibVersion(): Promise<number> {
    return LIBVIRT_API_VERSION;
  }

  /** virConnectGetHostname */
  getHostname(): Promise<string> {
    return invoke(this.hv, 'connectGetHostname', 'virConnectGetHostname', DOM);
  }

  /** virConnectGetURI */
  getURI(): string {
    return this.uri.text;
  }

  /** virConnectGetCapabilities */
  getCapabilities(): Promise<string> {
    return invoke(this.hv, 'connectGetCapabilities', 'virConnectGetCapabilities', DOM);
  }

  /** virConnectGetSysinfo */
  getSysinfo(flags = 0): Promise<string> {
    return invoke(this.hv, 'connectGetSysinfo', 'virConnectGetSysinfo', DOM, flags);
  }

  /** virConnectGetMaxVcpus */
  getMaxVcpus(type?: string): Promise<number> {
    return invoke(this.hv, 'connectGetMaxVcpus', 'virConnectGetMaxVcpus', DOM, type);
  }

  /** virConnectIsAlive */
  async isAlive(): Promise<boolean> {
    if (this.closed) return false;
    return this.hv.connectIsAlive ? this.hv.connectIsAlive() : true;
  }

  /** virConnectSetKeepAlive: only a driver that talks to a daemon can keep the link alive. */
  setKeepAlive(interval: number, count: number): Promise<void> {
    return invoke(this.hv, 'connectSetKeepAlive', 'virConnectSetKeepAlive', DOM, interval, count);
  }

  /** virNodeGetInfo */
  nodeGetInfo(): Promise<NodeInfo> {
    return invoke(this.hv, 'nodeGetInfo', 'virNodeGetInfo', DOM);
  }

  /** virNodeGetCPUMap: one entry per host CPU, true when online. */
  nodeGetCPUMap(flags = 0): Promise<boolean[]> {
    return invoke(this.hv, 'nodeGetCPUMap', 'virNodeGetCPUMap', DOM, flags);
  }

  /** virNodeGetFreeMemory, in bytes. */
  nodeGetFreeMemory(): Promise<bigint> {
    return invoke(this.hv, 'nodeGetFreeMemory', 'virNodeGetFreeMemory', DOM);
  }

  /** virNodeGetSecurityModel */
  nodeGetSecurityModel(): Promise<SecurityModel> {
    return invoke(this.hv, 'nodeGetSecurityModel', 'virNodeGetSecurityModel', DOM);
  }

  // ---- domains ----

  /** virConnectListAllDomains (flags: ListDomainsFlags). */
  async listAllDomains(flags = 0): Promise<Domain[]> {
    const refs = await invoke(this.hv, 'connectListAllDomains', 'virConnectListAllDomains', DOM, flags);
    return refs.map((r) => new Domain(this, r));
  }

  /** virDomainLookupByID */
  async lookupDomainByID(id: number): Promise<Domain> {
    if (!Number.isInteger(id) || id < 0) {
      throw new VirtError(ErrorCode.INVALID_ARG, DOM, 'id in virDomainLookupByID must be zero or greater');
    }
    return new Domain(this, await invoke(this.hv, 'domainLookupByID', 'virDomainLookupByID', DOM, id));
  }

  /** virDomainLookupByUUIDString */
  async lookupDomainByUUID(uuid: string): Promise<Domain> {
    const canonical = parseUUID(uuid);
    if (!canonical) {
      throw new VirtError(ErrorCode.INVALID_ARG, DOM, 'uuidstr in virDomainLookupByUUIDString must be a valid UUID');
    }
    return new Domain(this, await invoke(this.hv, 'domainLookupByUUID', 'virDomainLookupByUUID', DOM, canonical));
  }

  /** virDomainLookupByName */
  async lookupDomainByName(name: string): Promise<Domain> {
    return new Domain(this, await invoke(this.hv, 'domainLookupByName', 'virDomainLookupByName', DOM, name));
  }

  /** virDomainDefineXML: define (or redefine) a persistent domain. */
  defineDomainXML(xml: string): Promise<Domain> {
    return this.callDefineDomainXML(xml, 0, 'virDomainDefineXML');
  }

  /** virDomainDefineXMLFlags (flags: DomainDefineFlags). */
  defineDomainXMLFlags(xml: string, flags: number): Promise<Domain> {
    return this.callDefineDomainXML(xml, flags, 'virDomainDefineXMLFlags');
  }

  private async callDefineDomainXML(xml: string, flags: number, api: string): Promise<Domain> {
    this.checkWritable(api, DOM);
    return new Domain(this, await invoke(this.hv, 'domainDefineXMLFlags', api, DOM, xml, flags));
  }

  /** virDomainCreateXML: start a transient domain (flags: DomainCreateFlags). */
  async createDomainXML(xml: string, flags = 0): Promise<Domain> {
    this.checkWritable('virDomainCreateXML', DOM);
    return new Domain(this, await invoke(this.hv, 'domainCreateXML', 'virDomainCreateXML', DOM, xml, flags));
  }

  /** virDomainCreateXMLWithFiles: a transient domain given open file descriptors. */
  async createDomainXMLWithFiles(xml: string, fds: number[], flags = 0): Promise<Domain> {
    this.checkWritable('virDomainCreateXMLWithFiles', DOM);
    return new Domain(this, await invoke(this.hv, 'domainCreateXMLWithFiles', 'virDomainCreateXMLWithFiles', DOM, xml, fds, flags));
  }

  /** virDomainRestore: start a domain from a save file. */
  restoreDomain(path: string): Promise<void> {
    return this.callRestore(path, undefined, 0, 'virDomainRestore');
  }

  /** virDomainRestoreFlags: `dxml` replaces the saved definition (flags: DomainSaveRestoreFlags). */
  restoreDomainFlags(path: string, dxml: string | undefined, flags: number): Promise<void> {
    return this.callRestore(path, dxml, flags, 'virDomainRestoreFlags');
  }

  private async callRestore(path: string, dxml: string | undefined, flags: number, api: string): Promise<void> {
    this.checkWritable(api, DOM);
    checkSaveStateFlags(flags);
    await invoke(this.hv, 'domainRestoreFlags', api, DOM, absoluteImagePath(path), dxml, flags);
  }

  /** virDomainSaveImageGetXMLDesc */
  saveImageGetXMLDesc(path: string, flags = 0): Promise<string> {
    return invoke(this.hv, 'domainSaveImageGetXMLDesc', 'virDomainSaveImageGetXMLDesc', DOM, absoluteImagePath(path), flags);
  }

  /** virConnectDomainEventRegisterAny: `domain` null means every domain. Returns the callback ID. */
  domainEventRegisterAny(domain: Domain | null, eventID: DomainEventID, callback: (event: DomainEvent) => void): Promise<number> {
    return invoke(this.hv, 'connectDomainEventRegisterAny', 'virConnectDomainEventRegisterAny', DOM, domain?.ref ?? null, eventID, callback);
  }

  /** virConnectDomainEventDeregisterAny */
  domainEventDeregisterAny(callbackID: number): Promise<void> {
    return invoke(this.hv, 'connectDomainEventDeregisterAny', 'virConnectDomainEventDeregisterAny', DOM, callbackID);
  }

  // ---- networks ----

  /** virConnectListAllNetworks (flags: ListNetworksFlags). */
  async listAllNetworks(flags = 0): Promise<Network[]> {
    const refs = await invoke(this.drivers.network, 'connectListAllNetworks', 'virConnectListAllNetworks', NET, flags);
    return refs.map((r) => new Network(this, r));
  }

  /** virNetworkLookupByName */
  async lookupNetworkByName(name: string): Promise<Network> {
    return new Network(this, await invoke(this.drivers.network, 'networkLookupByName', 'virNetworkLookupByName', NET, name));
  }

  /** virNetworkLookupByUUIDString */
  async lookupNetworkByUUID(uuid: string): Promise<Network> {
    const canonical = parseUUID(uuid);
    if (!canonical) {
      throw new VirtError(ErrorCode.INVALID_ARG, NET, 'uuidstr in virNetworkLookupByUUIDString must be a valid UUID');
    }
    return new Network(this, await invoke(this.drivers.network, 'networkLookupByUUID', 'virNetworkLookupByUUID', NET, canonical));
  }

  /** virNetworkDefineXML: define (or redefine) a persistent network. */
  defineNetworkXML(xml: string): Promise<Network> {
    return this.callDefineNetworkXML(xml, 0, 'virNetworkDefineXML');
  }

  /** virNetworkDefineXMLFlags (flags: NetworkDefineFlags). */
  defineNetworkXMLFlags(xml: string, flags: number): Promise<Network> {
    return this.callDefineNetworkXML(xml, flags, 'virNetworkDefineXMLFlags');
  }

  private async callDefineNetworkXML(xml: string, flags: number, api: string): Promise<Network> {
    this.checkWritable(api, NET);
    return new Network(this, await invoke(this.drivers.network, 'networkDefineXMLFlags', api, NET, xml, flags));
  }

  /** virNetworkCreateXML: start a transient network. */
  createNetworkXML(xml: string): Promise<Network> {
    return this.callCreateNetworkXML(xml, 0, 'virNetworkCreateXML');
  }

  /** virNetworkCreateXMLFlags (flags: NetworkCreateFlags). */
  createNetworkXMLFlags(xml: string, flags: number): Promise<Network> {
    return this.callCreateNetworkXML(xml, flags, 'virNetworkCreateXMLFlags');
  }

  private async callCreateNetworkXML(xml: string, flags: number, api: string): Promise<Network> {
    this.checkWritable(api, NET);
    return new Network(this, await invoke(this.drivers.network, 'networkCreateXMLFlags', api, NET, xml, flags));
  }

  /** virConnectNetworkEventRegisterAny */
  networkEventRegisterAny(network: Network | null, eventID: NetworkEventID, callback: (event: NetworkEvent) => void): Promise<number> {
    return invoke(this.drivers.network, 'connectNetworkEventRegisterAny', 'virConnectNetworkEventRegisterAny', NET, network?.ref ?? null, eventID, callback);
  }

  /** virConnectNetworkEventDeregisterAny */
  networkEventDeregisterAny(callbackID: number): Promise<void> {
    return invoke(this.drivers.network, 'connectNetworkEventDeregisterAny', 'virConnectNetworkEventDeregisterAny', NET, callbackID);
  }

  // ---- storage ----

  /** virConnectListAllStoragePools (flags: ListStoragePoolsFlags). */
  async listAllStoragePools(flags = 0): Promise<StoragePool[]> {
    const refs = await invoke(this.drivers.storage, 'connectListAllStoragePools', 'virConnectListAllStoragePools', STORAGE, flags);
    return refs.map((r) => new StoragePool(this, r));
  }

  /** virStoragePoolLookupByName */
  async lookupStoragePoolByName(name: string): Promise<StoragePool> {
    return new StoragePool(this, await invoke(this.drivers.storage, 'storagePoolLookupByName', 'virStoragePoolLookupByName', STORAGE, name));
  }

  /** virStoragePoolLookupByUUIDString */
  async lookupStoragePoolByUUID(uuid: string): Promise<StoragePool> {
    const canonical = parseUUID(uuid);
    if (!canonical) {
      throw new VirtError(ErrorCode.INVALID_ARG, STORAGE, 'uuidstr in virStoragePoolLookupByUUIDString must be a valid UUID');
    }
    return new StoragePool(this, await invoke(this.drivers.storage, 'storagePoolLookupByUUID', 'virStoragePoolLookupByUUID', STORAGE, canonical));
  }

  /** virStoragePoolDefineXML */
  async defineStoragePoolXML(xml: string, flags = 0): Promise<StoragePool> {
    this.checkWritable('virStoragePoolDefineXML', STORAGE);
    return new StoragePool(this, await invoke(this.drivers.storage, 'storagePoolDefineXML', 'virStoragePoolDefineXML', STORAGE, xml, flags));
  }

  /** virStoragePoolCreateXML: start a transient pool. */
  async createStoragePoolXML(xml: string, flags = 0): Promise<StoragePool> {
    this.checkWritable('virStoragePoolCreateXML', STORAGE);
    return new StoragePool(this, await invoke(this.drivers.storage, 'storagePoolCreateXML', 'virStoragePoolCreateXML', STORAGE, xml, flags));
  }

  /** virStorageVolLookupByKey */
  async lookupStorageVolByKey(key: string): Promise<StorageVol> {
    return new StorageVol(this, await invoke(this.drivers.storage, 'storageVolLookupByKey', 'virStorageVolLookupByKey', STORAGE, key));
  }

  /** virStorageVolLookupByPath */
  async lookupStorageVolByPath(path: string): Promise<StorageVol> {
    return new StorageVol(this, await invoke(this.drivers.storage, 'storageVolLookupByPath', 'virStorageVolLookupByPath', STORAGE, path));
  }

  /** virConnectStoragePoolEventRegisterAny */
  storagePoolEventRegisterAny(pool: StoragePool | null, eventID: StoragePoolEventID, callback: (event: StoragePoolEvent) => void): Promise<number> {
    return invoke(this.drivers.storage, 'connectStoragePoolEventRegisterAny', 'virConnectStoragePoolEventRegisterAny', STORAGE, pool?.ref ?? null, eventID, callback);
  }

  /** virConnectStoragePoolEventDeregisterAny */
  storagePoolEventDeregisterAny(callbackID: number): Promise<void> {
    return invoke(this.drivers.storage, 'connectStoragePoolEventDeregisterAny', 'virConnectStoragePoolEventDeregisterAny', STORAGE, callbackID);
  }

  // ---- host interfaces ----

  /** virConnectListAllInterfaces */
  async listAllInterfaces(flags = 0): Promise<HostInterface[]> {
    const refs = await invoke(this.drivers.interface, 'connectListAllInterfaces', 'virConnectListAllInterfaces', IFACE, flags);
    return refs.map((r) => new HostInterface(this, r));
  }

  /** virInterfaceLookupByName */
  async lookupInterfaceByName(name: string): Promise<HostInterface> {
    return new HostInterface(this, await invoke(this.drivers.interface, 'interfaceLookupByName', 'virInterfaceLookupByName', IFACE, name));
  }

  /** virInterfaceLookupByMACString */
  async lookupInterfaceByMAC(mac: string): Promise<HostInterface> {
    return new HostInterface(this, await invoke(this.drivers.interface, 'interfaceLookupByMACString', 'virInterfaceLookupByMACString', IFACE, mac));
  }
}
