/** virDomainEventID: the kinds of domain event a client can register for. */
export enum DomainEventID {
  LIFECYCLE = 0,
  REBOOT = 1,
  RTC_CHANGE = 2,
  WATCHDOG = 3,
  IO_ERROR = 4,
  GRAPHICS = 5,
  IO_ERROR_REASON = 6,
  CONTROL_ERROR = 7,
  BLOCK_JOB = 8,
  DISK_CHANGE = 9,
  TRAY_CHANGE = 10,
  PMWAKEUP = 11,
  PMSUSPEND = 12,
  BALLOON_CHANGE = 13,
  PMSUSPEND_DISK = 14,
  DEVICE_REMOVED = 15,
  BLOCK_JOB_2 = 16,
  TUNABLE = 17,
  AGENT_LIFECYCLE = 18,
  DEVICE_ADDED = 19,
  MIGRATION_ITERATION = 20,
  JOB_COMPLETED = 21,
  DEVICE_REMOVAL_FAILED = 22,
  METADATA_CHANGE = 23,
  BLOCK_THRESHOLD = 24,
  MEMORY_FAILURE = 25,
  MEMORY_DEVICE_SIZE_CHANGE = 26,
}

/** virDomainEventType: the lifecycle event kinds. */
export enum DomainEventType {
  DEFINED = 0,
  UNDEFINED = 1,
  STARTED = 2,
  SUSPENDED = 3,
  RESUMED = 4,
  STOPPED = 5,
  SHUTDOWN = 6,
  PMSUSPENDED = 7,
  CRASHED = 8,
}

export enum DomainEventDefinedDetail {
  ADDED = 0,
  UPDATED = 1,
  RENAMED = 2,
  FROM_SNAPSHOT = 3,
}

export enum DomainEventUndefinedDetail {
  REMOVED = 0,
  RENAMED = 1,
}

export enum DomainEventStartedDetail {
  BOOTED = 0,
  MIGRATED = 1,
  RESTORED = 2,
  FROM_SNAPSHOT = 3,
  WAKEUP = 4,
}

export enum DomainEventSuspendedDetail {
  PAUSED = 0,
  MIGRATED = 1,
  IOERROR = 2,
  WATCHDOG = 3,
  RESTORED = 4,
  FROM_SNAPSHOT = 5,
  API_ERROR = 6,
  POSTCOPY = 7,
  POSTCOPY_FAILED = 8,
}

export enum DomainEventResumedDetail {
  UNPAUSED = 0,
  MIGRATED = 1,
  FROM_SNAPSHOT = 2,
  POSTCOPY = 3,
  POSTCOPY_FAILED = 4,
}

export enum DomainEventStoppedDetail {
  SHUTDOWN = 0,
  DESTROYED = 1,
  CRASHED = 2,
  MIGRATED = 3,
  SAVED = 4,
  FAILED = 5,
  FROM_SNAPSHOT = 6,
}

export enum DomainEventShutdownDetail {
  FINISHED = 0,
  GUEST = 1,
  HOST = 2,
}

export enum DomainEventPMSuspendedDetail {
  MEMORY = 0,
  DISK = 1,
}

export enum DomainEventCrashedDetail {
  PANICKED = 0,
  CRASHLOADED = 1,
}

/** virNetworkEventID */
export enum NetworkEventID {
  LIFECYCLE = 0,
  METADATA_CHANGE = 1,
}

/** virNetworkEventLifecycleType */
export enum NetworkEventType {
  DEFINED = 0,
  UNDEFINED = 1,
  STARTED = 2,
  STOPPED = 3,
}

/** virStoragePoolEventID */
export enum StoragePoolEventID {
  LIFECYCLE = 0,
  REFRESH = 1,
}

/** virStoragePoolEventLifecycleType */
export enum StoragePoolEventType {
  DEFINED = 0,
  UNDEFINED = 1,
  STARTED = 2,
  STOPPED = 3,
  CREATED = 4,
  DELETED = 5,
}
