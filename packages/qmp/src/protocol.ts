/**
 * QMP's wire format: one JSON object per line in each direction. The
 * server greets, the client negotiates with qmp_capabilities, then sends
 * commands ({"execute", "arguments", "id"}) and receives replies
 * ({"return"} or {"error": {"class", "desc"}}, echoing "id") and events
 * ({"event", "data", "timestamp"}).
 */

export interface QmpGreeting {
  QMP: {
    version: { qemu: { major: number; minor: number; micro: number }; package: string };
    capabilities: string[];
  };
}

export interface QmpCommand {
  execute: string;
  arguments?: Record<string, unknown>;
  id?: unknown;
}

/** QMP's error classes (QapiErrorClass). */
export type QmpErrorClass = 'GenericError' | 'CommandNotFound' | 'DeviceNotActive' | 'DeviceNotFound' | 'KVMMissingCap';

export interface QmpErrorReply {
  error: { class: QmpErrorClass; desc: string };
  id?: unknown;
}

export interface QmpReturnReply {
  return: unknown;
  id?: unknown;
}

export interface QmpEvent {
  event: string;
  data?: Record<string, unknown>;
  timestamp: { seconds: number; microseconds: number };
}

export type QmpServerMessage = QmpGreeting | QmpReturnReply | QmpErrorReply | QmpEvent;

/** An event's timestamp as QEMU stamps it: wall-clock seconds and microseconds. */
export function qmpTimestamp(now = Date.now()): QmpEvent['timestamp'] {
  const micros = Math.round(now * 1000);
  return { seconds: Math.floor(micros / 1_000_000), microseconds: micros % 1_000_000 };
}

/** The longest line either side accepts: a bound on what a peer can make us buffer. */
export const MAX_LINE_LENGTH = 16 << 20;

/**
 * Split a byte stream into lines, refusing one longer than MAX_LINE_LENGTH.
 * Returns a function to feed chunks to.
 */
export function lineSplitter(onLine: (line: string) => void, onOverflow: () => void): (chunk: Buffer) => void {
  let pending = '';
  return (chunk) => {
    pending += chunk.toString('utf8');
    let newline: number;
    while ((newline = pending.indexOf('\n')) >= 0) {
      const line = pending.slice(0, newline).trim();
      pending = pending.slice(newline + 1);
      if (line) onLine(line);
    }
    if (pending.length > MAX_LINE_LENGTH) {
      pending = '';
      onOverflow();
    }
  };
}
