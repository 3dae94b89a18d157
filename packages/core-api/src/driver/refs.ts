/**
 * What identifies an object across the driver boundary: the data libvirt's
 * virDomainPtr, virNetworkPtr, ... hold (and the remote protocol sends).
 */

export interface DomainRef {
  readonly name: string;
  /** Lower-case, dashed UUID string. */
  readonly uuid: string;
  /** The running domain's ID, -1 when inactive. */
  readonly id: number;
}

export interface NetworkRef {
  readonly name: string;
  readonly uuid: string;
}

export interface StoragePoolRef {
  readonly name: string;
  readonly uuid: string;
}

export interface StorageVolRef {
  /** Name of the pool holding the volume. */
  readonly pool: string;
  readonly name: string;
  /** The volume's unique key (for file volumes, its path). */
  readonly key: string;
}

export interface InterfaceRef {
  readonly name: string;
  readonly mac: string;
}

export interface SnapshotRef {
  readonly domain: DomainRef;
  readonly name: string;
}
