import type { InterfaceRef } from './refs.js';

/** libvirt's virInterfaceDriver (host network interfaces). */
export interface InterfaceDriver {
  connectListAllInterfaces?(flags: number): Promise<InterfaceRef[]>;
  interfaceLookupByName?(name: string): Promise<InterfaceRef>;
  interfaceLookupByMACString?(mac: string): Promise<InterfaceRef>;
  interfaceGetXMLDesc?(iface: InterfaceRef, flags: number): Promise<string>;
  interfaceIsActive?(iface: InterfaceRef): Promise<boolean>;
}
