/** virDomainSnapshotCreateFlags */
export enum SnapshotCreateFlags {
  REDEFINE = 1 << 0,
  CURRENT = 1 << 1,
  NO_METADATA = 1 << 2,
  HALT = 1 << 3,
  DISK_ONLY = 1 << 4,
  REUSE_EXT = 1 << 5,
  QUIESCE = 1 << 6,
  ATOMIC = 1 << 7,
  LIVE = 1 << 8,
  VALIDATE = 1 << 9,
}

/** virDomainSnapshotListFlags */
export enum SnapshotListFlags {
  DESCENDANTS = 1 << 0,
  ROOTS = 1 << 0,
  METADATA = 1 << 1,
  LEAVES = 1 << 2,
  NO_LEAVES = 1 << 3,
  NO_METADATA = 1 << 4,
  INACTIVE = 1 << 5,
  ACTIVE = 1 << 6,
  DISK_ONLY = 1 << 7,
  INTERNAL = 1 << 8,
  EXTERNAL = 1 << 9,
  TOPOLOGICAL = 1 << 10,
}

/** virDomainSnapshotRevertFlags */
export enum SnapshotRevertFlags {
  RUNNING = 1 << 0,
  PAUSED = 1 << 1,
  FORCE = 1 << 2,
  RESET_NVRAM = 1 << 3,
}

/** virDomainSnapshotDeleteFlags */
export enum SnapshotDeleteFlags {
  CHILDREN = 1 << 0,
  METADATA_ONLY = 1 << 1,
  CHILDREN_ONLY = 1 << 2,
}

/** virDomainSnapshotXMLFlags */
export enum SnapshotXMLFlags {
  SECURE = 1 << 0,
}
