import { DomainEventID, DomainEventType, strToInt, type Domain, type DomainEvent } from '@virt/core-api';
import type { CommandHandler } from '../shell/command.js';
import { exclusive } from '../shell/checks.js';
import { lookupDomain } from './common.js';

/** Event names in virsh's order; the index is the event ID. */
const EVENT_NAMES = [
  'lifecycle', 'reboot', 'rtc-change', 'watchdog', 'io-error', 'graphics', 'io-error-reason', 'control-error', 'block-job', 'disk-change',
  'tray-change', 'pm-wakeup', 'pm-suspend', 'balloon-change', 'pm-suspend-disk', 'device-removed', 'block-job-2', 'tunable', 'agent-lifecycle',
  'device-added', 'migration-iteration', 'job-completed', 'device-removal-failed', 'metadata-change', 'block-threshold', 'memory-failure',
  'memory-device-size-change',
];

const LIFECYCLE_NAMES = ['Defined', 'Undefined', 'Started', 'Suspended', 'Resumed', 'Stopped', 'Shutdown', 'PMSuspended', 'Crashed'];

const DETAIL_NAMES: Record<number, readonly string[]> = {
  [DomainEventType.DEFINED]: ['Added', 'Updated', 'Renamed', 'Snapshot'],
  [DomainEventType.UNDEFINED]: ['Removed', 'Renamed'],
  [DomainEventType.STARTED]: ['Booted', 'Migrated', 'Restored', 'Snapshot', 'Event wakeup'],
  [DomainEventType.SUSPENDED]: ['Paused', 'Migrated', 'I/O Error', 'Watchdog', 'Restored', 'Snapshot', 'API error', 'Post-copy', 'Post-copy Error'],
  [DomainEventType.RESUMED]: ['Unpaused', 'Migrated', 'Snapshot', 'Post-copy', 'Post-copy Error'],
  [DomainEventType.STOPPED]: ['Shutdown', 'Destroyed', 'Crashed', 'Migrated', 'Saved', 'Failed', 'Snapshot'],
  [DomainEventType.SHUTDOWN]: ['Finished', 'Finished after guest request', 'Finished after host request'],
  [DomainEventType.PMSUSPENDED]: ['Memory', 'Disk'],
  [DomainEventType.CRASHED]: ['Panicked', 'Crashloaded'],
};

/** The line virsh prints for an event. */
function describe(event: DomainEvent): string {
  const name = event.domain.name;
  switch (event.id) {
    case DomainEventID.LIFECYCLE:
      return `event 'lifecycle' for domain '${name}': ${LIFECYCLE_NAMES[event.event] ?? 'unknown'} ${DETAIL_NAMES[event.event]?.[event.detail] ?? 'unknown'}\n`;
    case DomainEventID.BALLOON_CHANGE:
      return `event 'balloon-change' for domain '${name}': ${event.actual}KiB\n`;
    default:
      return `event '${EVENT_NAMES[event.id] ?? 'unknown'}' for domain '${name}'\n`;
  }
}

/** "YYYY-MM-DD HH:MM:SS.mmm+0000", always UTC (virTimeStringNowRaw). */
function timestamp(): string {
  return `${new Date().toISOString().replace('T', ' ').replace('Z', '')}+0000`;
}

export const event: CommandHandler = async (session, cmd) => {
  exclusive(session, cmd, 'all', 'event');
  exclusive(session, cmd, 'list', 'all');
  exclusive(session, cmd, 'list', 'event');
  if (cmd.bool('list')) {
    session.out.print(EVENT_NAMES.map((n) => `${n}\n`).join(''));
    return true;
  }
  const eventName = cmd.string('event');
  if (eventName === undefined && !cmd.bool('all')) return session.fail('one of --list, --all, or --event <type> is required');
  const ids = EVENT_NAMES.flatMap((n, id) => (eventName === undefined || n === eventName ? [id] : []));
  if (ids.length === 0) return session.fail(`unknown event type ${eventName}`);

  let timeoutMs = 0;
  const timeoutText = cmd.bool('timeout') ? cmd.string('timeout') : undefined;
  if (timeoutText !== undefined) {
    const t = strToInt(timeoutText, 'i');
    if (!t || t.value <= 0n || t.value > 2147483n) {
      return session.fail(`Numeric value '${timeoutText}' for <timeout> option is malformed or out of range`);
    }
    timeoutMs = Number(t.value) * 1000;
  }
  let dom: Domain | undefined;
  if (cmd.bool('domain')) dom = (await lookupDomain(session, cmd)).dom;

  const conn = await session.connect();
  const loop = cmd.bool('loop');
  const stamp = cmd.bool('timestamp');
  let count = 0;
  let finish: (outcome: 'done' | 'timeout' | 'interrupt') => void = () => undefined;
  const waited = new Promise<'done' | 'timeout' | 'interrupt'>((resolve) => (finish = resolve));
  const onEvent = (ev: DomainEvent): void => {
    if (!loop && count > 0) return;
    session.out.print(stamp ? `${timestamp()}: ${describe(ev)}` : describe(ev));
    count++;
    if (!loop) finish('done');
  };
  const callbacks: number[] = [];
  for (const [i, id] of ids.entries()) {
    try {
      callbacks.push(await conn.domainEventRegisterAny(dom ?? null, id, onEvent));
    } catch (err) {
      // a server that knows fewer events: only the first registration must work
      if (i === 0) throw err;
    }
  }
  const timer = timeoutMs > 0 ? setTimeout(() => finish('timeout'), timeoutMs) : undefined;
  const onSigint = (): void => finish('interrupt');
  process.once('SIGINT', onSigint);
  const outcome = await waited;
  if (timer) clearTimeout(timer);
  process.off('SIGINT', onSigint);
  if (outcome === 'interrupt') session.out.print('event loop interrupted\n');
  if (outcome === 'timeout') session.out.print('event loop timed out\n');
  session.out.print(`events received: ${count}\n`);
  let ok = count > 0;
  for (const id of callbacks) {
    try {
      await conn.domainEventDeregisterAny(id);
    } catch (err) {
      session.absorb(err);
      ok = false;
    }
  }
  return ok;
};
