import type { DomainEventID, NetworkEventID, StoragePoolEventID } from '../constants/events.js';
import type { DomainRef, NetworkRef, StoragePoolRef } from '../driver/refs.js';

export interface DomainLifecycleEvent {
  readonly id: DomainEventID.LIFECYCLE;
  readonly domain: DomainRef;
  /** A DomainEventType value. */
  readonly event: number;
  /** A value of the detail enum belonging to `event`. */
  readonly detail: number;
}

export interface DomainRebootEvent {
  readonly id: DomainEventID.REBOOT;
  readonly domain: DomainRef;
}

export interface DomainBalloonChangeEvent {
  readonly id: DomainEventID.BALLOON_CHANGE;
  readonly domain: DomainRef;
  /** New balloon size in KiB. */
  readonly actual: number;
}

export type DomainEvent = DomainLifecycleEvent | DomainRebootEvent | DomainBalloonChangeEvent;

export interface NetworkLifecycleEvent {
  readonly id: NetworkEventID.LIFECYCLE;
  readonly network: NetworkRef;
  readonly event: number;
  readonly detail: number;
}

export type NetworkEvent = NetworkLifecycleEvent;

export interface StoragePoolLifecycleEvent {
  readonly id: StoragePoolEventID.LIFECYCLE;
  readonly pool: StoragePoolRef;
  readonly event: number;
  readonly detail: number;
}

export interface StoragePoolRefreshEvent {
  readonly id: StoragePoolEventID.REFRESH;
  readonly pool: StoragePoolRef;
}

export type StoragePoolEvent = StoragePoolLifecycleEvent | StoragePoolRefreshEvent;
