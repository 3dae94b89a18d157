/**
 * Event delivery shared by drivers: callbacks registered for an event ID,
 * optionally filtered to one object (by UUID), receive events
 * asynchronously, after the operation that raised them has returned, as
 * libvirt's event loop delivers them.
 */
export class EventBus<E extends { readonly id: number }> {
  private nextCallbackID = 1;
  private readonly callbacks = new Map<number, { eventID: number; uuid: string | undefined; fn: (event: E) => void; owner: object }>();

  constructor(private readonly uuidOf: (event: E) => string) {}

  /**
   * `owner` is the connection the callback belongs to: as in libvirt, only
   * it can deregister the callback, and closing it drops its callbacks.
   */
  register(eventID: number, uuid: string | undefined, fn: (event: E) => void, owner: object): number {
    const callbackID = this.nextCallbackID++;
    this.callbacks.set(callbackID, { eventID, uuid, fn, owner });
    return callbackID;
  }

  /** Returns false when the owner has no callback with that ID. */
  deregister(callbackID: number, owner: object): boolean {
    if (this.callbacks.get(callbackID)?.owner !== owner) return false;
    return this.callbacks.delete(callbackID);
  }

  deregisterAll(owner: object): void {
    for (const [callbackID, cb] of this.callbacks) if (cb.owner === owner) this.callbacks.delete(callbackID);
  }

  get size(): number {
    return this.callbacks.size;
  }

  emit(event: E): void {
    if (this.callbacks.size === 0) return;
    const uuid = this.uuidOf(event);
    const targets = [...this.callbacks]
      .filter(([, cb]) => cb.eventID === event.id && (cb.uuid === undefined || cb.uuid === uuid))
      .map(([callbackID]) => callbackID);
    if (targets.length === 0) return;
    setImmediate(() => {
      // a callback deregistered meanwhile gets nothing
      for (const callbackID of targets) this.callbacks.get(callbackID)?.fn(event);
    });
  }
}
