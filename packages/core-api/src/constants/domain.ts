/** libvirt's virDomainState. */
export enum DomainState {
  NOSTATE = 0,
  RUNNING = 1,
  BLOCKED = 2,
  PAUSED = 3,
  SHUTDOWN = 4,
  SHUTOFF = 5,
  CRASHED = 6,
  PMSUSPENDED = 7,
}

/** virDomainRunningReason */
export enum DomainRunningReason {
  UNKNOWN = 0,
  BOOTED = 1,
  MIGRATED = 2,
  RESTORED = 3,
  FROM_SNAPSHOT = 4,
  UNPAUSED = 5,
  MIGRATION_CANCELED = 6,
  SAVE_CANCELED = 7,
  WAKEUP = 8,
  CRASHED = 9,
  POSTCOPY = 10,
  POSTCOPY_FAILED = 11,
}

/** virDomainPausedReason */
export enum DomainPausedReason {
  UNKNOWN = 0,
  USER = 1,
  MIGRATION = 2,
  SAVE = 3,
  DUMP = 4,
  IOERROR = 5,
  WATCHDOG = 6,
  FROM_SNAPSHOT = 7,
  SHUTTING_DOWN = 8,
  SNAPSHOT = 9,
  CRASHED = 10,
  STARTING_UP = 11,
  POSTCOPY = 12,
  POSTCOPY_FAILED = 13,
  API_ERROR = 14,
}

/** virDomainShutdownReason */
export enum DomainShutdownReason {
  UNKNOWN = 0,
  USER = 1,
}

/** virDomainShutoffReason */
export enum DomainShutoffReason {
  UNKNOWN = 0,
  SHUTDOWN = 1,
  DESTROYED = 2,
  CRASHED = 3,
  MIGRATED = 4,
  SAVED = 5,
  FAILED = 6,
  FROM_SNAPSHOT = 7,
  DAEMON = 8,
}

/** virDomainCrashedReason */
export enum DomainCrashedReason {
  UNKNOWN = 0,
  PANICKED = 1,
}

/** virConnectListAllDomainsFlags */
export enum ListDomainsFlags {
  ACTIVE = 1 << 0,
  INACTIVE = 1 << 1,
  PERSISTENT = 1 << 2,
  TRANSIENT = 1 << 3,
  RUNNING = 1 << 4,
  PAUSED = 1 << 5,
  SHUTOFF = 1 << 6,
  OTHER = 1 << 7,
  MANAGEDSAVE = 1 << 8,
  NO_MANAGEDSAVE = 1 << 9,
  AUTOSTART = 1 << 10,
  NO_AUTOSTART = 1 << 11,
  HAS_SNAPSHOT = 1 << 12,
  NO_SNAPSHOT = 1 << 13,
  HAS_CHECKPOINT = 1 << 14,
  NO_CHECKPOINT = 1 << 15,
}

/** virDomainXMLFlags */
export enum DomainXMLFlags {
  SECURE = 1 << 0,
  INACTIVE = 1 << 1,
  UPDATE_CPU = 1 << 2,
  MIGRATABLE = 1 << 3,
}

/** virDomainModificationImpact: where a change applies. */
export enum DomainAffect {
  CURRENT = 0,
  LIVE = 1 << 0,
  CONFIG = 1 << 1,
}

/** virDomainMemoryModFlags: the affect bits plus MAXIMUM. */
export enum DomainMemoryFlags {
  CURRENT = 0,
  LIVE = 1 << 0,
  CONFIG = 1 << 1,
  MAXIMUM = 1 << 2,
}

/** virDomainVcpuFlags */
export enum DomainVcpuFlags {
  CURRENT = 0,
  LIVE = 1 << 0,
  CONFIG = 1 << 1,
  MAXIMUM = 1 << 2,
  GUEST = 1 << 3,
  HOTPLUGGABLE = 1 << 4,
}

/** virDomainDeviceModifyFlags */
export enum DomainDeviceModifyFlags {
  CURRENT = 0,
  LIVE = 1 << 0,
  CONFIG = 1 << 1,
  FORCE = 1 << 2,
}

/** virDomainCreateFlags */
export enum DomainCreateFlags {
  NONE = 0,
  START_PAUSED = 1 << 0,
  START_AUTODESTROY = 1 << 1,
  START_BYPASS_CACHE = 1 << 2,
  START_FORCE_BOOT = 1 << 3,
  START_VALIDATE = 1 << 4,
  START_RESET_NVRAM = 1 << 5,
}

/** virDomainDefineFlags */
export enum DomainDefineFlags {
  VALIDATE = 1 << 0,
}

/** virDomainUndefineFlagsValues */
export enum DomainUndefineFlags {
  MANAGED_SAVE = 1 << 0,
  SNAPSHOTS_METADATA = 1 << 1,
  NVRAM = 1 << 2,
  KEEP_NVRAM = 1 << 3,
  CHECKPOINTS_METADATA = 1 << 4,
  TPM = 1 << 5,
  KEEP_TPM = 1 << 6,
}

/** virDomainDestroyFlagsValues */
export enum DomainDestroyFlags {
  DEFAULT = 0,
  GRACEFUL = 1 << 0,
  REMOVE_LOGS = 1 << 1,
}

/** virDomainShutdownFlagValues */
export enum DomainShutdownFlags {
  DEFAULT = 0,
  ACPI_POWER_BTN = 1 << 0,
  GUEST_AGENT = 1 << 1,
  INITCTL = 1 << 2,
  SIGNAL = 1 << 3,
  PARAVIRT = 1 << 4,
}

/** virDomainRebootFlagValues */
export enum DomainRebootFlags {
  DEFAULT = 0,
  ACPI_POWER_BTN = 1 << 0,
  GUEST_AGENT = 1 << 1,
  INITCTL = 1 << 2,
  SIGNAL = 1 << 3,
  PARAVIRT = 1 << 4,
}

/** virDomainSaveRestoreFlags */
export enum DomainSaveRestoreFlags {
  BYPASS_CACHE = 1 << 0,
  RUNNING = 1 << 1,
  PAUSED = 1 << 2,
  RESET_NVRAM = 1 << 3,
}

/** virVcpuState */
export enum VcpuState {
  OFFLINE = 0,
  RUNNING = 1,
  BLOCKED = 2,
}

/** virDomainMetadataType */
export enum DomainMetadataType {
  DESCRIPTION = 0,
  TITLE = 1,
  ELEMENT = 2,
}
