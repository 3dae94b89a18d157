import { Connect, registerDriver, VirtError, type DomainEvent, type ErrorCode } from '@virt/core-api';
import { afterEach, expect } from 'vitest';
import { testDriver } from '../src/index.js';

registerDriver(testDriver);

const open: Connect[] = [];

/** Open a connection that is closed after the test, so each test starts from a fresh test:///default. */
export async function connect(uri = 'test:///default', readOnly = false): Promise<Connect> {
  const conn = await Connect.open(uri, { readOnly });
  open.push(conn);
  return conn;
}

afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.close()));
});

/** Expect a promise to fail with libvirt's code and message. */
export async function expectVirtError(promise: Promise<unknown>, code: ErrorCode, message: string): Promise<VirtError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(VirtError);
  expect({ code: (err as VirtError).code, message: (err as VirtError).message }).toEqual({ code, message });
  return err as VirtError;
}

/** Events are delivered asynchronously, after the call that caused them returns. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Collect lifecycle events as [domain name, event, detail]. */
export function lifecycleLog(events: DomainEvent[]): Array<[string, number, number]> {
  return events.flatMap((e) => ('event' in e ? [[e.domain.name, e.event, e.detail] as [string, number, number]] : []));
}
