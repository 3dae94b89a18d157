import type { NetworkEvent } from '../events/types.js';
import type { NetworkRef } from './refs.js';

/** libvirt's virNetworkDriver. Optional methods: see HypervisorDriver. */
export interface NetworkDriver {
  connectListAllNetworks?(flags: number): Promise<NetworkRef[]>;
  networkLookupByName?(name: string): Promise<NetworkRef>;
  networkLookupByUUID?(uuid: string): Promise<NetworkRef>;
  /** Also serves virNetworkCreateXML (flags 0). */
  networkCreateXMLFlags?(xml: string, flags: number): Promise<NetworkRef>;
  /** Also serves virNetworkDefineXML (flags 0). */
  networkDefineXMLFlags?(xml: string, flags: number): Promise<NetworkRef>;
  networkUndefine?(net: NetworkRef): Promise<void>;
  networkCreate?(net: NetworkRef): Promise<void>;
  networkDestroy?(net: NetworkRef): Promise<void>;
  networkGetXMLDesc?(net: NetworkRef, flags: number): Promise<string>;
  networkGetBridgeName?(net: NetworkRef): Promise<string>;
  networkGetAutostart?(net: NetworkRef): Promise<boolean>;
  networkSetAutostart?(net: NetworkRef, autostart: boolean): Promise<void>;
  networkIsActive?(net: NetworkRef): Promise<boolean>;
  networkIsPersistent?(net: NetworkRef): Promise<boolean>;
  connectNetworkEventRegisterAny?(net: NetworkRef | null, eventID: number, callback: (event: NetworkEvent) => void): Promise<number>;
  connectNetworkEventDeregisterAny?(callbackID: number): Promise<void>;
}
