/** virStoragePoolState */
export enum StoragePoolState {
  INACTIVE = 0,
  BUILDING = 1,
  RUNNING = 2,
  DEGRADED = 3,
  INACCESSIBLE = 4,
}

/** virConnectListAllStoragePoolsFlags */
export enum ListStoragePoolsFlags {
  INACTIVE = 1 << 0,
  ACTIVE = 1 << 1,
  PERSISTENT = 1 << 2,
  TRANSIENT = 1 << 3,
  AUTOSTART = 1 << 4,
  NO_AUTOSTART = 1 << 5,
  DIR = 1 << 6,
  FS = 1 << 7,
  NETFS = 1 << 8,
  LOGICAL = 1 << 9,
  DISK = 1 << 10,
  ISCSI = 1 << 11,
  SCSI = 1 << 12,
  MPATH = 1 << 13,
  RBD = 1 << 14,
  SHEEPDOG = 1 << 15,
  GLUSTER = 1 << 16,
  ZFS = 1 << 17,
  VSTORAGE = 1 << 18,
  ISCSI_DIRECT = 1 << 19,
}

/** virStoragePoolBuildFlags */
export enum StoragePoolBuildFlags {
  NEW = 0,
  REPAIR = 1 << 0,
  RESIZE = 1 << 1,
  NO_OVERWRITE = 1 << 2,
  OVERWRITE = 1 << 3,
}

/** virStoragePoolCreateFlags */
export enum StoragePoolCreateFlags {
  NORMAL = 0,
  WITH_BUILD = 1 << 0,
  WITH_BUILD_OVERWRITE = 1 << 1,
  WITH_BUILD_NO_OVERWRITE = 1 << 2,
}

/** virStorageVolType */
export enum StorageVolType {
  FILE = 0,
  BLOCK = 1,
  DIR = 2,
  NETWORK = 3,
  NETDIR = 4,
  PLOOP = 5,
}

/** virStorageXMLFlags */
export enum StorageXMLFlags {
  INACTIVE = 1 << 0,
}

/** virStorageVolInfoFlags */
export enum StorageVolInfoFlags {
  USE_ALLOCATION = 0,
  GET_PHYSICAL = 1 << 0,
}

/** virStorageVolCreateFlags */
export enum StorageVolCreateFlags {
  PREALLOC_METADATA = 1 << 0,
  REFLINK = 1 << 1,
  VALIDATE = 1 << 2,
}
