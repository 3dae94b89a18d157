import {
  ErrorCode,
  ErrorDomain,
  checkFlags,
  formatInterfaceXML,
  type InterfaceDef,
  type InterfaceDriver,
  type InterfaceRef,
} from '@virt/core-api';
import { testError } from './errors.js';

export interface TestInterface {
  def: InterfaceDef;
  active: boolean;
}

/** The host interfaces of a fake host. */
export class TestInterfaces {
  private readonly byName = new Map<string, TestInterface>();

  all(): TestInterface[] {
    return [...this.byName.values()];
  }

  /** Add an interface from the node description: active. */
  load(def: InterfaceDef): void {
    this.byName.set(def.name, { def, active: true });
  }

  find(name: string): TestInterface | undefined {
    return this.byName.get(name);
  }
}

function refOf(iface: TestInterface): InterfaceRef {
  return { name: iface.def.name, mac: iface.def.mac ?? '' };
}

/** The test driver's interface table (libvirt's testInterface* functions). */
export class TestInterfaceDriver implements InterfaceDriver {
  constructor(private readonly interfaces: TestInterfaces) {}

  private get(ref: InterfaceRef): TestInterface {
    const iface = this.interfaces.find(ref.name);
    if (!iface) throw testError(ErrorCode.NO_INTERFACE, `no interface with matching name '${ref.name}'`);
    return iface;
  }

  async connectListAllInterfaces(flags: number): Promise<InterfaceRef[]> {
    checkFlags(flags, 3, 'testConnectListAllInterfaces', ErrorDomain.TEST);
    const wantActive = flags & 2;
    const wantInactive = flags & 1;
    return this.interfaces
      .all()
      .filter((i) => (!wantActive && !wantInactive) || (wantActive && i.active) || (wantInactive && !i.active))
      .map(refOf);
  }

  async interfaceLookupByName(name: string): Promise<InterfaceRef> {
    const iface = this.interfaces.find(name);
    if (!iface) throw testError(ErrorCode.NO_INTERFACE, `no interface with matching name '${name}'`);
    return refOf(iface);
  }

  async interfaceLookupByMACString(mac: string): Promise<InterfaceRef> {
    const matches = this.interfaces.all().filter((i) => i.def.mac === mac.toLowerCase());
    if (matches.length === 0) throw testError(ErrorCode.NO_INTERFACE, `no interface with matching mac '${mac}'`);
    if (matches.length > 1) throw testError(ErrorCode.MULTIPLE_INTERFACES);
    return refOf(matches[0]!);
  }

  async interfaceGetXMLDesc(ref: InterfaceRef, flags: number): Promise<string> {
    checkFlags(flags, 1, 'testInterfaceGetXMLDesc', ErrorDomain.TEST);
    return formatInterfaceXML(this.get(ref).def);
  }

  async interfaceIsActive(ref: InterfaceRef): Promise<boolean> {
    return this.get(ref).active;
  }
}
