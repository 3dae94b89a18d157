import { ErrorDomain } from '../errors/codes.js';
import type { NetworkRef } from '../driver/refs.js';
import type { Connect } from './connect.js';
import { invoke } from './invoke.js';

const NET = ErrorDomain.NETWORK;

/** A virtual network handle (libvirt's virNetwork). */
export class Network {
  constructor(
    readonly connect: Connect,
    readonly ref: NetworkRef,
  ) {}

  private get drv() {
    return this.connect.drivers.network;
  }

  private write(api: string): void {
    this.connect.checkWritable(api, NET);
  }

  /** virNetworkGetName */
  getName(): string {
    return this.ref.name;
  }

  /** virNetworkGetUUIDString */
  getUUIDString(): string {
    return this.ref.uuid;
  }

  /** virNetworkCreate: start a defined network. */
  async create(): Promise<void> {
    this.write('virNetworkCreate');
    await invoke(this.drv, 'networkCreate', 'virNetworkCreate', NET, this.ref);
  }

  /** virNetworkDestroy */
  async destroy(): Promise<void> {
    this.write('virNetworkDestroy');
    await invoke(this.drv, 'networkDestroy', 'virNetworkDestroy', NET, this.ref);
  }

  /** virNetworkUndefine */
  async undefine(): Promise<void> {
    this.write('virNetworkUndefine');
    await invoke(this.drv, 'networkUndefine', 'virNetworkUndefine', NET, this.ref);
  }

  /** virNetworkGetXMLDesc (flags: NetworkXMLFlags). */
  getXMLDesc(flags = 0): Promise<string> {
    return invoke(this.drv, 'networkGetXMLDesc', 'virNetworkGetXMLDesc', NET, this.ref, flags);
  }

  /** virNetworkGetBridgeName */
  getBridgeName(): Promise<string> {
    return invoke(this.drv, 'networkGetBridgeName', 'virNetworkGetBridgeName', NET, this.ref);
  }

  /** virNetworkGetAutostart */
  getAutostart(): Promise<boolean> {
    return invoke(this.drv, 'networkGetAutostart', 'virNetworkGetAutostart', NET, this.ref);
  }

  /** virNetworkSetAutostart */
  async setAutostart(autostart: boolean): Promise<void> {
    this.write('virNetworkSetAutostart');
    await invoke(this.drv, 'networkSetAutostart', 'virNetworkSetAutostart', NET, this.ref, autostart);
  }

  /** virNetworkIsActive */
  isActive(): Promise<boolean> {
    return invoke(this.drv, 'networkIsActive', 'virNetworkIsActive', NET, this.ref);
  }

  /** virNetworkIsPersistent */
  isPersistent(): Promise<boolean> {
    return invoke(this.drv, 'networkIsPersistent', 'virNetworkIsPersistent', NET, this.ref);
  }
}
