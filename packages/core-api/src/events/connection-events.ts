import { ErrorCode, type ErrorDomain } from '../errors/codes.js';
import { VirtError } from '../errors/virt-error.js';
import type { EventBus } from './bus.js';

type AnyBus = EventBus<{ readonly id: number }>;

/**
 * The event callbacks one connection registered on its driver's buses;
 * closing the connection drops them. `domain` is the driver's error domain.
 */
export class ConnectionEvents {
  private readonly owner = {};

  constructor(
    private readonly buses: readonly AnyBus[],
    private readonly domain: ErrorDomain,
  ) {}

  register<E extends { readonly id: number }>(bus: EventBus<E>, eventID: number, uuid: string | undefined, fn: (event: E) => void): number {
    return bus.register(eventID, uuid, fn, this.owner);
  }

  deregister<E extends { readonly id: number }>(bus: EventBus<E>, callbackID: number): void {
    if (!bus.deregister(callbackID, this.owner)) {
      throw VirtError.create(ErrorCode.INVALID_ARG, this.domain, `could not find event callback ${callbackID} for deregistration`);
    }
  }

  close(): void {
    for (const bus of this.buses) bus.deregisterAll(this.owner);
  }
}
