import { ErrorDomain } from '../errors/codes.js';
import type { InterfaceRef } from '../driver/refs.js';
import type { Connect } from './connect.js';
import { invoke } from './invoke.js';

const IFACE = ErrorDomain.INTERFACE;

/** A host network interface handle (libvirt's virInterface). */
export class HostInterface {
  constructor(
    readonly connect: Connect,
    readonly ref: InterfaceRef,
  ) {}

  /** virInterfaceGetName */
  getName(): string {
    return this.ref.name;
  }

  /** virInterfaceGetMACString */
  getMACString(): string {
    return this.ref.mac;
  }

  /** virInterfaceGetXMLDesc */
  getXMLDesc(flags = 0): Promise<string> {
    return invoke(this.connect.drivers.interface, 'interfaceGetXMLDesc', 'virInterfaceGetXMLDesc', IFACE, this.ref, flags);
  }

  /** virInterfaceIsActive */
  isActive(): Promise<boolean> {
    return invoke(this.connect.drivers.interface, 'interfaceIsActive', 'virInterfaceIsActive', IFACE, this.ref);
  }
}
