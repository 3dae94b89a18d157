import { ErrorCode, type EventBus } from '@virt/core-api';
import { testError } from './errors.js';

type AnyBus = EventBus<{ readonly id: number }>;

/** The event callbacks one connection registered on its node's buses; closing the connection drops them. */
export class ConnectionEvents {
  private readonly owner = {};

  constructor(private readonly buses: readonly AnyBus[]) {}

  register<E extends { readonly id: number }>(bus: EventBus<E>, eventID: number, uuid: string | undefined, fn: (event: E) => void): number {
    return bus.register(eventID, uuid, fn, this.owner);
  }

  deregister<E extends { readonly id: number }>(bus: EventBus<E>, callbackID: number): void {
    if (!bus.deregister(callbackID, this.owner)) {
      throw testError(ErrorCode.INVALID_ARG, `could not find event callback ${callbackID} for deregistration`);
    }
  }

  close(): void {
    for (const bus of this.buses) bus.deregisterAll(this.owner);
  }
}
