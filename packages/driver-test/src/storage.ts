import {
  checkFlags,
  ErrorCode,
  ErrorDomain,
  EventBus,
  formatStoragePoolXML,
  formatStorageVolXML,
  ListStoragePoolsFlags,
  parseStoragePoolXML,
  parseStorageVolXML,
  StoragePoolEventID,
  StoragePoolEventType,
  StoragePoolState,
  StorageVolType,
  VirtError,
  type StorageDriver,
  type StoragePoolDef,
  type StoragePoolEvent,
  type StoragePoolInfo,
  type StoragePoolRef,
  type StorageVolDef,
  type StorageVolInfo,
  type StorageVolRef,
  type ConnectionEvents,
} from '@virt/core-api';
import { internalError, invalidOperation, testError } from './errors.js';

/** Every pool of the fake host has this capacity, whatever its XML says (as libvirt's test driver). */
export const POOL_CAPACITY = 100n * 1024n ** 3n;

export interface TestVolume {
  def: StorageVolDef;
}

export interface TestPool {
  def: StoragePoolDef;
  active: boolean;
  /** Has a configuration (defined, or loaded from the node description). */
  persistent: boolean;
  autostart: boolean;
  allocation: bigint;
  volumes: Map<string, TestVolume>;
}

/** The storage pools of a fake host, with their events. */
export class TestPools {
  private readonly byName = new Map<string, TestPool>();
  readonly events = new EventBus<StoragePoolEvent>((e) => e.pool.uuid);

  all(): TestPool[] {
    return [...this.byName.values()];
  }

  findByName(name: string): TestPool | undefined {
    return this.byName.get(name);
  }

  findByUUID(uuid: string): TestPool | undefined {
    return this.all().find((p) => p.def.uuid === uuid);
  }

  /** Add a definition, or find the pool it redefines (virStoragePoolObjListAdd). */
  add(def: StoragePoolDef): TestPool {
    const byUUID = this.findByUUID(def.uuid);
    if (byUUID) {
      if (byUUID.def.name !== def.name) {
        throw VirtError.create(ErrorCode.OPERATION_FAILED, ErrorDomain.STORAGE, `pool '${byUUID.def.name}' is already defined with uuid ${def.uuid}`);
      }
      return byUUID;
    }
    const byName = this.byName.get(def.name);
    if (byName) {
      throw VirtError.create(ErrorCode.OPERATION_FAILED, ErrorDomain.STORAGE, `pool '${def.name}' already exists with uuid ${byName.def.uuid}`);
    }
    const conflict = this.all().find((p) => p.def.target?.path !== undefined && p.def.target.path === def.target?.path && p.def.type === def.type);
    if (conflict) throw VirtError.create(ErrorCode.OPERATION_FAILED, ErrorDomain.STORAGE, `Storage source conflict with pool: '${conflict.def.name}'`);
    const pool: TestPool = { def, active: false, persistent: true, autostart: false, allocation: 0n, volumes: new Map() };
    this.byName.set(def.name, pool);
    return pool;
  }

  remove(pool: TestPool): void {
    this.byName.delete(pool.def.name);
  }

  emit(pool: TestPool, event: StoragePoolEventType): void {
    this.events.emit({ id: StoragePoolEventID.LIFECYCLE, pool: poolRef(pool), event, detail: 0 });
  }

  /**
   * Add a volume to a pool, keeping the pool's allocation exact. Its path
   * is the pool's path and its name, and its key the path (a volume from
   * the node description keeps a path and key it gives).
   */
  addVolume(pool: TestPool, def: StorageVolDef, options: { keepPath?: boolean } = {}): TestVolume {
    if (pool.volumes.has(def.name)) throw testError(ErrorCode.OPERATION_FAILED, 'storage vol already exists');
    if (pool.allocation + def.allocation > POOL_CAPACITY) throw internalError(`Not enough free space in pool for volume '${def.name}'`);
    const base = pool.def.target?.path ?? '';
    if (!options.keepPath || def.target.path === undefined) def.target.path = `${base}/${def.name}`;
    if (!options.keepPath || def.key === undefined) def.key = def.target.path;
    const vol: TestVolume = { def };
    pool.volumes.set(def.name, vol);
    pool.allocation += def.allocation;
    return vol;
  }
}

function poolRef(pool: TestPool): StoragePoolRef {
  return { name: pool.def.name, uuid: pool.def.uuid };
}

function volRef(pool: TestPool, vol: TestVolume): StorageVolRef {
  return { pool: pool.def.name, name: vol.def.name, key: vol.def.key ?? '' };
}

/** The volume type a pool's volumes report (file, block or network). */
function volumeType(pool: TestPool): StorageVolType {
  switch (pool.def.type) {
    case 'logical':
    case 'disk':
    case 'iscsi':
    case 'scsi':
    case 'mpath':
    case 'zfs':
      return StorageVolType.BLOCK;
    case 'rbd':
    case 'sheepdog':
    case 'gluster':
    case 'iscsi-direct':
      return StorageVolType.NETWORK;
    default:
      return StorageVolType.FILE;
  }
}

const L = ListStoragePoolsFlags;
const POOL_TYPE_FLAGS: Record<StoragePoolDef['type'], number> = {
  dir: L.DIR,
  fs: L.FS,
  netfs: L.NETFS,
  logical: L.LOGICAL,
  disk: L.DISK,
  iscsi: L.ISCSI,
  'iscsi-direct': L.ISCSI_DIRECT,
  scsi: L.SCSI,
  mpath: L.MPATH,
  rbd: L.RBD,
  sheepdog: L.SHEEPDOG,
  gluster: L.GLUSTER,
  zfs: L.ZFS,
  vstorage: L.VSTORAGE,
};

/** The test driver's storage table (libvirt's testStorage* functions). */
export class TestStorageDriver implements StorageDriver {
  constructor(
    private readonly pools: TestPools,
    private readonly events: ConnectionEvents,
  ) {}

  private pool(ref: StoragePoolRef): TestPool {
    const pool = this.pools.findByName(ref.name);
    if (!pool) throw testError(ErrorCode.NO_STORAGE_POOL, `no storage pool with matching name '${ref.name}'`);
    return pool;
  }

  private activePool(ref: StoragePoolRef): TestPool {
    const pool = this.pool(ref);
    if (!pool.active) throw invalidOperation(`storage pool '${pool.def.name}' is not active`);
    return pool;
  }

  private inactivePool(ref: StoragePoolRef): TestPool {
    const pool = this.pool(ref);
    if (pool.active) throw invalidOperation(`storage pool '${pool.def.name}' is active`);
    return pool;
  }

  private volume(ref: StorageVolRef): { pool: TestPool; vol: TestVolume } {
    const pool = this.activePool({ name: ref.pool, uuid: '' });
    const vol = pool.volumes.get(ref.name);
    if (!vol) throw testError(ErrorCode.NO_STORAGE_VOL, `no storage vol with matching name '${ref.name}'`);
    return { pool, vol };
  }

  async connectListAllStoragePools(flags: number): Promise<StoragePoolRef[]> {
    const F = ListStoragePoolsFlags;
    const typeMask = Object.values(POOL_TYPE_FLAGS).reduce((a, b) => a | b, 0);
    checkFlags(flags, F.ACTIVE | F.INACTIVE | F.PERSISTENT | F.TRANSIENT | F.AUTOSTART | F.NO_AUTOSTART | typeMask, 'testConnectListAllStoragePools', ErrorDomain.TEST);
    const pick = (on: number, off: number, value: boolean): boolean => !(flags & (on | off)) || Boolean(flags & on && value) || Boolean(flags & off && !value);
    return this.pools
      .all()
      .filter(
        (p) =>
          pick(F.ACTIVE, F.INACTIVE, p.active) &&
          pick(F.PERSISTENT, F.TRANSIENT, p.persistent) &&
          pick(F.AUTOSTART, F.NO_AUTOSTART, p.autostart) &&
          (!(flags & typeMask) || Boolean(flags & POOL_TYPE_FLAGS[p.def.type])),
      )
      .map(poolRef);
  }

  async storagePoolLookupByName(name: string): Promise<StoragePoolRef> {
    const pool = this.pools.findByName(name);
    if (!pool) throw testError(ErrorCode.NO_STORAGE_POOL, `no storage pool with matching name '${name}'`);
    return poolRef(pool);
  }

  async storagePoolLookupByUUID(uuid: string): Promise<StoragePoolRef> {
    const pool = this.pools.findByUUID(uuid);
    if (!pool) throw testError(ErrorCode.NO_STORAGE_POOL, `no storage pool with matching uuid '${uuid}'`);
    return poolRef(pool);
  }

  async storagePoolLookupByVolume(vol: StorageVolRef): Promise<StoragePoolRef> {
    return this.storagePoolLookupByName(vol.pool);
  }

  async storagePoolDefineXML(xml: string, flags: number): Promise<StoragePoolRef> {
    checkFlags(flags, 1, 'testStoragePoolDefineXML', ErrorDomain.TEST);
    const def = parseStoragePoolXML(xml);
    const existing = this.pools.findByUUID(def.uuid);
    const pool = this.pools.add(def);
    // a running pool keeps its definition, as libvirt's test driver does
    if (!existing?.active) pool.def = def;
    pool.persistent = true;
    this.pools.emit(pool, StoragePoolEventType.DEFINED);
    return poolRef(pool);
  }

  async storagePoolCreateXML(xml: string, flags: number): Promise<StoragePoolRef> {
    checkFlags(flags, 0, 'testStoragePoolCreateXML', ErrorDomain.TEST);
    const def = parseStoragePoolXML(xml);
    const existing = this.pools.findByUUID(def.uuid) ?? this.pools.findByName(def.name);
    if (existing?.active) {
      throw VirtError.create(ErrorCode.OPERATION_INVALID, ErrorDomain.STORAGE, `pool is already active as '${existing.def.name}'`);
    }
    const pool = this.pools.add(def);
    pool.def = def;
    pool.active = true;
    // libvirt's test driver makes even a defined pool transient here
    pool.persistent = false;
    this.pools.emit(pool, StoragePoolEventType.STARTED);
    return poolRef(pool);
  }

  async storagePoolBuild(ref: StoragePoolRef, flags: number): Promise<void> {
    checkFlags(flags, 0, 'testStoragePoolBuild', ErrorDomain.TEST);
    const pool = this.inactivePool(ref);
    this.pools.emit(pool, StoragePoolEventType.CREATED);
  }

  async storagePoolUndefine(ref: StoragePoolRef): Promise<void> {
    const pool = this.inactivePool(ref);
    this.pools.emit(pool, StoragePoolEventType.UNDEFINED);
    this.pools.remove(pool);
  }

  async storagePoolCreate(ref: StoragePoolRef, flags: number): Promise<void> {
    checkFlags(flags, 0, 'testStoragePoolCreate', ErrorDomain.TEST);
    const pool = this.inactivePool(ref);
    pool.active = true;
    this.pools.emit(pool, StoragePoolEventType.STARTED);
  }

  async storagePoolDestroy(ref: StoragePoolRef): Promise<void> {
    const pool = this.activePool(ref);
    pool.active = false;
    this.pools.emit(pool, StoragePoolEventType.STOPPED);
    if (!pool.persistent) this.pools.remove(pool);
  }

  async storagePoolDelete(ref: StoragePoolRef, flags: number): Promise<void> {
    checkFlags(flags, 0, 'testStoragePoolDelete', ErrorDomain.TEST);
    const pool = this.inactivePool(ref);
    this.pools.emit(pool, StoragePoolEventType.DELETED);
  }

  async storagePoolRefresh(ref: StoragePoolRef, flags: number): Promise<void> {
    checkFlags(flags, 0, 'testStoragePoolRefresh', ErrorDomain.TEST);
    const pool = this.activePool(ref);
    this.pools.events.emit({ id: StoragePoolEventID.REFRESH, pool: poolRef(pool) });
  }

  async storagePoolGetInfo(ref: StoragePoolRef): Promise<StoragePoolInfo> {
    const pool = this.pool(ref);
    return {
      state: pool.active ? StoragePoolState.RUNNING : StoragePoolState.INACTIVE,
      capacity: POOL_CAPACITY,
      allocation: pool.allocation,
      available: POOL_CAPACITY - pool.allocation,
    };
  }

  async storagePoolGetXMLDesc(ref: StoragePoolRef, flags: number): Promise<string> {
    checkFlags(flags, 0, 'testStoragePoolGetXMLDesc', ErrorDomain.TEST);
    const pool = this.pool(ref);
    return formatStoragePoolXML(pool.def, { capacity: POOL_CAPACITY, allocation: pool.allocation, available: POOL_CAPACITY - pool.allocation });
  }

  async storagePoolGetAutostart(ref: StoragePoolRef): Promise<boolean> {
    const pool = this.pool(ref);
    return pool.persistent && pool.autostart;
  }

  async storagePoolSetAutostart(ref: StoragePoolRef, autostart: boolean): Promise<void> {
    const pool = this.pool(ref);
    if (!pool.persistent) throw testError(ErrorCode.INVALID_ARG, 'pool has no config file');
    pool.autostart = autostart;
  }

  async storagePoolIsActive(ref: StoragePoolRef): Promise<boolean> {
    return this.pool(ref).active;
  }

  async storagePoolIsPersistent(ref: StoragePoolRef): Promise<boolean> {
    return this.pool(ref).persistent;
  }

  async storagePoolListAllVolumes(ref: StoragePoolRef, flags: number): Promise<StorageVolRef[]> {
    checkFlags(flags, 0, 'testStoragePoolListAllVolumes', ErrorDomain.TEST);
    const pool = this.pool(ref);
    if (!pool.active) throw invalidOperation('storage pool is not active');
    return [...pool.volumes.values()].map((v) => volRef(pool, v));
  }

  async storagePoolNumOfVolumes(ref: StoragePoolRef): Promise<number> {
    return this.activePool(ref).volumes.size;
  }

  async storageVolLookupByName(ref: StoragePoolRef, name: string): Promise<StorageVolRef> {
    const pool = this.activePool(ref);
    const vol = pool.volumes.get(name);
    if (!vol) throw testError(ErrorCode.NO_STORAGE_VOL, `no storage vol with matching name '${name}'`);
    return volRef(pool, vol);
  }

  private findVolume(match: (vol: TestVolume) => boolean): StorageVolRef | undefined {
    for (const pool of this.pools.all()) {
      if (!pool.active) continue;
      for (const vol of pool.volumes.values()) if (match(vol)) return volRef(pool, vol);
    }
    return undefined;
  }

  async storageVolLookupByKey(key: string): Promise<StorageVolRef> {
    const ref = this.findVolume((v) => v.def.key === key);
    if (!ref) throw testError(ErrorCode.NO_STORAGE_VOL, `no storage vol with matching key '${key}'`);
    return ref;
  }

  async storageVolLookupByPath(path: string): Promise<StorageVolRef> {
    const ref = this.findVolume((v) => v.def.target.path === path);
    if (!ref) throw testError(ErrorCode.NO_STORAGE_VOL, `no storage vol with matching path '${path}'`);
    return ref;
  }

  async storageVolCreateXML(ref: StoragePoolRef, xml: string, flags: number): Promise<StorageVolRef> {
    checkFlags(flags, 0, 'testStorageVolCreateXML', ErrorDomain.TEST);
    const pool = this.activePool(ref);
    const def = parseStorageVolXML(xml, pool.def.type);
    return volRef(pool, this.pools.addVolume(pool, def));
  }

  async storageVolCreateXMLFrom(ref: StoragePoolRef, xml: string, source: StorageVolRef, flags: number): Promise<StorageVolRef> {
    checkFlags(flags, 0, 'testStorageVolCreateXMLFrom', ErrorDomain.TEST);
    const pool = this.activePool(ref);
    const def = parseStorageVolXML(xml, pool.def.type);
    if (!pool.volumes.has(source.name)) throw testError(ErrorCode.NO_STORAGE_VOL, `no storage vol with matching name '${source.name}'`);
    return volRef(pool, this.pools.addVolume(pool, def));
  }

  async storageVolDelete(ref: StorageVolRef, flags: number): Promise<void> {
    checkFlags(flags, 0, 'testStorageVolDelete', ErrorDomain.TEST);
    const { pool, vol } = this.volume(ref);
    pool.allocation -= vol.def.allocation;
    pool.volumes.delete(vol.def.name);
  }

  async storageVolGetInfo(ref: StorageVolRef): Promise<StorageVolInfo> {
    const { pool, vol } = this.volume(ref);
    return { type: volumeType(pool), capacity: vol.def.capacity, allocation: vol.def.allocation };
  }

  async storageVolGetXMLDesc(ref: StorageVolRef, flags: number): Promise<string> {
    checkFlags(flags, 0, 'testStorageVolGetXMLDesc', ErrorDomain.TEST);
    const { pool, vol } = this.volume(ref);
    return formatStorageVolXML(vol.def, pool.def.type);
  }

  async storageVolGetPath(ref: StorageVolRef): Promise<string> {
    return this.volume(ref).vol.def.target.path ?? '';
  }

  async connectStoragePoolEventRegisterAny(pool: StoragePoolRef | null, eventID: number, callback: (event: StoragePoolEvent) => void): Promise<number> {
    return this.events.register(this.pools.events, eventID, pool?.uuid, callback);
  }

  async connectStoragePoolEventDeregisterAny(callbackID: number): Promise<void> {
    this.events.deregister(this.pools.events, callbackID);
  }
}
