import {
  ErrorCode,
  ErrorDomain,
  EventBus,
  formatNetworkXML,
  ListNetworksFlags,
  NetworkCreateFlags,
  NetworkDefineFlags,
  NetworkEventID,
  NetworkEventType,
  parseNetworkXML,
  rejectUnknownContent,
  VirtError,
  checkFlags,
  type NetworkDef,
  type NetworkDriver,
  type NetworkEvent,
  type NetworkRef,
  type ConnectionEvents,
} from '@virt/core-api';
import { internalError, invalidOperation, testError } from './errors.js';

/** One network of the fake host. */
export interface TestNetwork {
  def: NetworkDef;
  active: boolean;
  persistent: boolean;
  autostart: boolean;
}

/** The networks of a fake host, with their events. */
export class TestNetworks {
  private readonly byName = new Map<string, TestNetwork>();
  readonly events = new EventBus<NetworkEvent>((e) => e.network.uuid);

  all(): TestNetwork[] {
    return [...this.byName.values()];
  }

  /** Add a network loaded from the node description: active and persistent. */
  load(def: NetworkDef): void {
    this.add(def).active = true;
  }

  findByName(name: string): TestNetwork | undefined {
    return this.byName.get(name);
  }

  findByUUID(uuid: string): TestNetwork | undefined {
    return this.all().find((n) => n.def.uuid === uuid);
  }

  /** Add a definition, or find the object it redefines (virNetworkObjListAdd). */
  add(def: NetworkDef): TestNetwork {
    const byUUID = this.findByUUID(def.uuid);
    if (byUUID) {
      if (byUUID.def.name !== def.name) {
        throw VirtError.create(ErrorCode.OPERATION_FAILED, ErrorDomain.NETWORK, `network '${byUUID.def.name}' is already defined with uuid ${def.uuid}`);
      }
      return byUUID;
    }
    const byName = this.byName.get(def.name);
    if (byName) {
      throw VirtError.create(ErrorCode.OPERATION_FAILED, ErrorDomain.NETWORK, `network '${def.name}' already exists with uuid ${byName.def.uuid}`);
    }
    const net: TestNetwork = { def, active: false, persistent: true, autostart: false };
    this.byName.set(def.name, net);
    return net;
  }

  remove(net: TestNetwork): void {
    this.byName.delete(net.def.name);
  }

  emit(net: TestNetwork, event: NetworkEventType): void {
    this.events.emit({ id: NetworkEventID.LIFECYCLE, network: refOf(net), event, detail: 0 });
  }
}

function refOf(net: TestNetwork): NetworkRef {
  return { name: net.def.name, uuid: net.def.uuid };
}

/** The test driver's network table (libvirt's testNetwork* functions). */
export class TestNetworkDriver implements NetworkDriver {
  constructor(
    private readonly networks: TestNetworks,
    private readonly events: ConnectionEvents,
  ) {}

  private get(ref: NetworkRef): TestNetwork {
    const net = this.networks.findByName(ref.name);
    if (!net) throw testError(ErrorCode.NO_NETWORK, `no network with matching name '${ref.name}'`);
    return net;
  }

  async connectListAllNetworks(flags: number): Promise<NetworkRef[]> {
    const F = ListNetworksFlags;
    checkFlags(flags, F.ACTIVE | F.INACTIVE | F.PERSISTENT | F.TRANSIENT | F.AUTOSTART | F.NO_AUTOSTART, 'testConnectListAllNetworks', ErrorDomain.TEST);
    const pick = (on: number, off: number, value: boolean): boolean =>
      !(flags & (on | off)) || (flags & on && value) || (flags & off && !value) ? true : false;
    return this.networks
      .all()
      .filter((n) => pick(F.ACTIVE, F.INACTIVE, n.active) && pick(F.PERSISTENT, F.TRANSIENT, n.persistent) && pick(F.AUTOSTART, F.NO_AUTOSTART, n.autostart))
      .map(refOf);
  }

  async networkLookupByName(name: string): Promise<NetworkRef> {
    const net = this.networks.findByName(name);
    if (!net) throw testError(ErrorCode.NO_NETWORK, `no network with matching name '${name}'`);
    return refOf(net);
  }

  async networkLookupByUUID(uuid: string): Promise<NetworkRef> {
    const net = this.networks.findByUUID(uuid);
    if (!net) throw testError(ErrorCode.NO_NETWORK, `no network with matching uuid '${uuid}'`);
    return refOf(net);
  }

  async networkDefineXMLFlags(xml: string, flags: number): Promise<NetworkRef> {
    checkFlags(flags, NetworkDefineFlags.VALIDATE, 'testNetworkDefineXMLFlags', ErrorDomain.TEST);
    const def = parseNetworkXML(xml);
    if (flags & NetworkDefineFlags.VALIDATE) rejectUnknownContent('network', 'network', def.extras);
    const existing = this.networks.findByUUID(def.uuid) ?? undefined;
    const net = this.networks.add(def);
    // an active network keeps its running definition; the new one applies after it stops
    if (!existing || !existing.active) net.def = def;
    net.persistent = true;
    this.networks.emit(net, NetworkEventType.DEFINED);
    return refOf(net);
  }

  async networkCreateXMLFlags(xml: string, flags: number): Promise<NetworkRef> {
    checkFlags(flags, NetworkCreateFlags.VALIDATE, 'testNetworkCreateXMLFlags', ErrorDomain.TEST);
    const def = parseNetworkXML(xml);
    if (flags & NetworkCreateFlags.VALIDATE) rejectUnknownContent('network', 'network', def.extras);
    const existing = this.networks.findByUUID(def.uuid);
    if (existing?.active) {
      throw VirtError.create(ErrorCode.OPERATION_INVALID, ErrorDomain.NETWORK, `network is already active as '${existing.def.name}'`);
    }
    const net = this.networks.add(def);
    if (!existing) net.persistent = false;
    net.def = def;
    net.active = true;
    this.networks.emit(net, NetworkEventType.STARTED);
    return refOf(net);
  }

  async networkUndefine(ref: NetworkRef): Promise<void> {
    const net = this.get(ref);
    if (net.active) throw invalidOperation(`Network '${net.def.name}' is still running`);
    this.networks.emit(net, NetworkEventType.UNDEFINED);
    this.networks.remove(net);
  }

  async networkCreate(ref: NetworkRef): Promise<void> {
    const net = this.get(ref);
    if (net.active) throw invalidOperation(`Network '${net.def.name}' is already running`);
    net.active = true;
    this.networks.emit(net, NetworkEventType.STARTED);
  }

  async networkDestroy(ref: NetworkRef): Promise<void> {
    const net = this.get(ref);
    // like libvirt's test driver, destroying an inactive network succeeds
    // (scripts written against it expect that)
    net.active = false;
    this.networks.emit(net, NetworkEventType.STOPPED);
    if (!net.persistent) this.networks.remove(net);
  }

  async networkGetXMLDesc(ref: NetworkRef, flags: number): Promise<string> {
    checkFlags(flags, 0, 'testNetworkGetXMLDesc', ErrorDomain.TEST);
    return formatNetworkXML(this.get(ref).def);
  }

  async networkGetBridgeName(ref: NetworkRef): Promise<string> {
    const net = this.get(ref);
    if (net.def.bridge?.name === undefined) throw internalError(`network '${net.def.name}' does not have a bridge name.`);
    return net.def.bridge.name;
  }

  async networkGetAutostart(ref: NetworkRef): Promise<boolean> {
    return this.get(ref).autostart;
  }

  async networkSetAutostart(ref: NetworkRef, autostart: boolean): Promise<void> {
    this.get(ref).autostart = autostart;
  }

  async networkIsActive(ref: NetworkRef): Promise<boolean> {
    return this.get(ref).active;
  }

  async networkIsPersistent(ref: NetworkRef): Promise<boolean> {
    return this.get(ref).persistent;
  }

  async connectNetworkEventRegisterAny(net: NetworkRef | null, eventID: number, callback: (event: NetworkEvent) => void): Promise<number> {
    return this.events.register(this.networks.events, eventID, net?.uuid, callback);
  }

  async connectNetworkEventDeregisterAny(callbackID: number): Promise<void> {
    this.events.deregister(this.networks.events, callbackID);
  }
}
