import { ErrorDomain } from '../errors/codes.js';
import type { StoragePoolInfo, StorageVolInfo } from '../driver/info.js';
import type { StoragePoolRef, StorageVolRef } from '../driver/refs.js';
import type { Connect } from './connect.js';
import { invoke } from './invoke.js';

const STORAGE = ErrorDomain.STORAGE;

/** A storage pool handle (libvirt's virStoragePool). */
export class StoragePool {
  constructor(
    readonly connect: Connect,
    readonly ref: StoragePoolRef,
  ) {}

  private get drv() {
    return this.connect.drivers.storage;
  }

  private write(api: string): void {
    this.connect.checkWritable(api, STORAGE);
  }

  /** virStoragePoolGetName */
  getName(): string {
    return this.ref.name;
  }

  /** virStoragePoolGetUUIDString */
  getUUIDString(): string {
    return this.ref.uuid;
  }

  /** virStoragePoolBuild (flags: StoragePoolBuildFlags). */
  async build(flags = 0): Promise<void> {
    this.write('virStoragePoolBuild');
    await invoke(this.drv, 'storagePoolBuild', 'virStoragePoolBuild', STORAGE, this.ref, flags);
  }

  /** virStoragePoolCreate: start a defined pool (flags: StoragePoolCreateFlags). */
  async create(flags = 0): Promise<void> {
    this.write('virStoragePoolCreate');
    await invoke(this.drv, 'storagePoolCreate', 'virStoragePoolCreate', STORAGE, this.ref, flags);
  }

  /** virStoragePoolDestroy */
  async destroy(): Promise<void> {
    this.write('virStoragePoolDestroy');
    await invoke(this.drv, 'storagePoolDestroy', 'virStoragePoolDestroy', STORAGE, this.ref);
  }

  /** virStoragePoolDelete: remove the pool's underlying storage. */
  async delete(flags = 0): Promise<void> {
    this.write('virStoragePoolDelete');
    await invoke(this.drv, 'storagePoolDelete', 'virStoragePoolDelete', STORAGE, this.ref, flags);
  }

  /** virStoragePoolUndefine */
  async undefine(): Promise<void> {
    this.write('virStoragePoolUndefine');
    await invoke(this.drv, 'storagePoolUndefine', 'virStoragePoolUndefine', STORAGE, this.ref);
  }

  /** virStoragePoolRefresh */
  async refresh(flags = 0): Promise<void> {
    await invoke(this.drv, 'storagePoolRefresh', 'virStoragePoolRefresh', STORAGE, this.ref, flags);
  }

  /** virStoragePoolGetInfo */
  getInfo(): Promise<StoragePoolInfo> {
    return invoke(this.drv, 'storagePoolGetInfo', 'virStoragePoolGetInfo', STORAGE, this.ref);
  }

  /** virStoragePoolGetXMLDesc (flags: StorageXMLFlags). */
  getXMLDesc(flags = 0): Promise<string> {
    return invoke(this.drv, 'storagePoolGetXMLDesc', 'virStoragePoolGetXMLDesc', STORAGE, this.ref, flags);
  }

  /** virStoragePoolGetAutostart */
  getAutostart(): Promise<boolean> {
    return invoke(this.drv, 'storagePoolGetAutostart', 'virStoragePoolGetAutostart', STORAGE, this.ref);
  }

  /** virStoragePoolSetAutostart */
  async setAutostart(autostart: boolean): Promise<void> {
    this.write('virStoragePoolSetAutostart');
    await invoke(this.drv, 'storagePoolSetAutostart', 'virStoragePoolSetAutostart', STORAGE, this.ref, autostart);
  }

  /** virStoragePoolIsActive */
  isActive(): Promise<boolean> {
    return invoke(this.drv, 'storagePoolIsActive', 'virStoragePoolIsActive', STORAGE, this.ref);
  }

  /** virStoragePoolIsPersistent */
  isPersistent(): Promise<boolean> {
    return invoke(this.drv, 'storagePoolIsPersistent', 'virStoragePoolIsPersistent', STORAGE, this.ref);
  }

  /** virStoragePoolListAllVolumes */
  async listAllVolumes(flags = 0): Promise<StorageVol[]> {
    const refs = await invoke(this.drv, 'storagePoolListAllVolumes', 'virStoragePoolListAllVolumes', STORAGE, this.ref, flags);
    return refs.map((r) => new StorageVol(this.connect, r));
  }

  /** virStorageVolLookupByName */
  async lookupVolumeByName(name: string): Promise<StorageVol> {
    return new StorageVol(this.connect, await invoke(this.drv, 'storageVolLookupByName', 'virStorageVolLookupByName', STORAGE, this.ref, name));
  }

  /** virStorageVolCreateXML (flags: StorageVolCreateFlags). */
  async createVolumeXML(xml: string, flags = 0): Promise<StorageVol> {
    this.write('virStorageVolCreateXML');
    return new StorageVol(this.connect, await invoke(this.drv, 'storageVolCreateXML', 'virStorageVolCreateXML', STORAGE, this.ref, xml, flags));
  }

  /** virStorageVolCreateXMLFrom: a new volume initialised from an existing one. */
  async createVolumeXMLFrom(xml: string, source: StorageVol, flags = 0): Promise<StorageVol> {
    this.write('virStorageVolCreateXMLFrom');
    return new StorageVol(
      this.connect,
      await invoke(this.drv, 'storageVolCreateXMLFrom', 'virStorageVolCreateXMLFrom', STORAGE, this.ref, xml, source.ref, flags),
    );
  }
}

/** A storage volume handle (libvirt's virStorageVol). */
export class StorageVol {
  constructor(
    readonly connect: Connect,
    readonly ref: StorageVolRef,
  ) {}

  private get drv() {
    return this.connect.drivers.storage;
  }

  /** virStorageVolGetName */
  getName(): string {
    return this.ref.name;
  }

  /** virStorageVolGetKey */
  getKey(): string {
    return this.ref.key;
  }

  /** virStoragePoolLookupByVolume */
  async getPool(): Promise<StoragePool> {
    return new StoragePool(this.connect, await invoke(this.drv, 'storagePoolLookupByVolume', 'virStoragePoolLookupByVolume', STORAGE, this.ref));
  }

  /** virStorageVolGetPath */
  getPath(): Promise<string> {
    return invoke(this.drv, 'storageVolGetPath', 'virStorageVolGetPath', STORAGE, this.ref);
  }

  /** virStorageVolGetInfo */
  getInfo(): Promise<StorageVolInfo> {
    return invoke(this.drv, 'storageVolGetInfo', 'virStorageVolGetInfo', STORAGE, this.ref);
  }

  /** virStorageVolGetInfoFlags (flags: StorageVolInfoFlags). */
  getInfoFlags(flags = 0): Promise<StorageVolInfo> {
    return invoke(this.drv, 'storageVolGetInfoFlags', 'virStorageVolGetInfoFlags', STORAGE, this.ref, flags);
  }

  /** virStorageVolGetXMLDesc */
  getXMLDesc(flags = 0): Promise<string> {
    return invoke(this.drv, 'storageVolGetXMLDesc', 'virStorageVolGetXMLDesc', STORAGE, this.ref, flags);
  }

  /** virStorageVolWipe */
  async wipe(flags = 0): Promise<void> {
    this.connect.checkWritable('virStorageVolWipe', STORAGE);
    await invoke(this.drv, 'storageVolWipe', 'virStorageVolWipe', STORAGE, this.ref, flags);
  }

  /** virStorageVolDelete */
  async delete(flags = 0): Promise<void> {
    this.connect.checkWritable('virStorageVolDelete', STORAGE);
    await invoke(this.drv, 'storageVolDelete', 'virStorageVolDelete', STORAGE, this.ref, flags);
  }
}
