import { closeSync, openSync, readSync } from 'node:fs';
import { DomainState, ErrorDomain, strToInt, VirtError, type Connect, type Domain, type Network, type StoragePool, type StorageVol } from '@virt/core-api';
import { DebugLevel } from '../shell/output.js';
import type { ParsedCommand } from '../shell/parsed.js';
import type { Session } from '../shell/session.js';

/** Which kinds of identifier a domain argument may be (virsh's VIRSH_BYID/BYUUID/BYNAME). */
export interface LookupKinds {
  id?: boolean;
  uuid?: boolean;
  name?: boolean;
}

const ALL: LookupKinds = { id: true, uuid: true, name: true };

async function attempt<T>(fn: () => Promise<T>): Promise<T | undefined> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof VirtError) return undefined;
    throw err;
  }
}

/** Read the option a lookup starts from, reporting it at `level` (virsh's "found option" line). */
function lookupOption(session: Session, cmd: ParsedCommand, option: string, level = DebugLevel.INFO): string {
  const text = cmd.required(option);
  session.debug(level, `${cmd.def.name}: found option <${option}>: ${text}`);
  return text;
}

/**
 * Find the domain a command names, trying it as an ID, a UUID (when it has
 * a UUID's length) and a name, in that order; on failure virsh prints only
 * "failed to get domain".
 */
export async function lookupDomain(session: Session, cmd: ParsedCommand, kinds: LookupKinds = ALL): Promise<{ dom: Domain; name: string }> {
  const name = lookupOption(session, cmd, 'domain');
  const trying = (what: string): void => session.debug(DebugLevel.DEBUG, `${cmd.def.name}: <domain> ${what}`);
  const conn = await session.connect();
  let dom: Domain | undefined;
  if (kinds.id) {
    const id = strToInt(name, 'i');
    if (id && id.value >= 0n) {
      trying('looks like ID');
      dom = await attempt(() => conn.lookupDomainByID(Number(id.value)));
    }
  }
  if (!dom && kinds.uuid && name.length === 36) {
    trying('trying as domain UUID');
    dom = await attempt(() => conn.lookupDomainByUUID(name));
  }
  if (!dom && kinds.name) {
    trying('trying as domain NAME');
    dom = await attempt(() => conn.lookupDomainByName(name));
  }
  session.resetError();
  if (!dom) return session.fail(`failed to get domain '${name}'`);
  return { dom, name };
}

/**
 * Look up what an option names by UUID (when the text has a UUID's
 * length), then by name; the last lookup's error is kept.
 */
async function byUUIDThenName<T>(
  session: Session,
  cmd: ParsedCommand,
  option: string,
  what: 'network' | 'pool',
  kinds: LookupKinds,
  byUUID: (conn: Connect, text: string) => Promise<T>,
  byName: (conn: Connect, text: string) => Promise<T>,
): Promise<{ found: T; name: string }> {
  const text = lookupOption(session, cmd, option);
  const conn = await session.connect();
  let found: T | undefined;
  const tryOne = async (how: 'UUID' | 'NAME', fn: typeof byName): Promise<void> => {
    session.debug(DebugLevel.DEBUG, `${cmd.def.name}: <${option}> trying as ${what} ${how}`);
    try {
      found = await fn(conn, text);
    } catch (err) {
      session.absorb(err);
    }
  };
  if (kinds.uuid && text.length === 36) await tryOne('UUID', byUUID);
  if (found === undefined && kinds.name) await tryOne('NAME', byName);
  if (found === undefined) return session.fail(`failed to get ${what} '${text}'`);
  session.resetError();
  return { found, name: text };
}

export async function lookupNetwork(session: Session, cmd: ParsedCommand, kinds: LookupKinds = ALL): Promise<{ net: Network; name: string }> {
  const { found, name } = await byUUIDThenName(
    session,
    cmd,
    'network',
    'network',
    kinds,
    (conn, text) => conn.lookupNetworkByUUID(text),
    (conn, text) => conn.lookupNetworkByName(text),
  );
  return { net: found, name };
}

export async function lookupPool(session: Session, cmd: ParsedCommand, kinds: LookupKinds = ALL, option = 'pool'): Promise<{ pool: StoragePool; name: string }> {
  const { found, name } = await byUUIDThenName(
    session,
    cmd,
    option,
    'pool',
    kinds,
    (conn, text) => conn.lookupStoragePoolByUUID(text),
    (conn, text) => conn.lookupStoragePoolByName(text),
  );
  return { pool: found, name };
}

/**
 * Find a volume (virshCommandOptVolBy): by name in `--pool` when given
 * (which must be active), else by key, then by path; a volume found in
 * another pool than the one named is refused.
 */
export async function lookupVolume(
  session: Session,
  cmd: ParsedCommand,
  options: { byName?: boolean; byKeyOrPath?: boolean; poolOption?: string } = {},
): Promise<{ vol: StorageVol; name: string }> {
  const { byName = true, byKeyOrPath = true, poolOption = 'pool' } = options;
  const name = cmd.required('vol');
  const hasPoolOption = cmd.def.options.some((o) => o.name === poolOption);
  const poolName = hasPoolOption ? cmd.string(poolOption) : undefined;
  const conn = await session.connect();
  let pool: StoragePool | undefined;
  if (poolName !== undefined) {
    pool = (await lookupPool(session, cmd, ALL, poolOption)).pool;
    if (!(await pool.isActive())) return session.fail(`pool '${poolName}' is not active`);
  }
  // unlike the other lookups, virsh reports the volume option at DEBUG level
  session.debug(DebugLevel.DEBUG, `${cmd.def.name}: found option <vol>: ${name}`);
  let vol: StorageVol | undefined;
  const tryOne = async (how: 'name' | 'key' | 'path', fn: () => Promise<StorageVol>): Promise<void> => {
    session.debug(DebugLevel.DEBUG, `${cmd.def.name}: <vol> trying as vol ${how}`);
    try {
      vol = await fn();
    } catch (err) {
      session.absorb(err);
    }
  };
  if (pool && byName) await tryOne('name', () => pool!.lookupVolumeByName(name));
  if (!vol && byKeyOrPath) await tryOne('key', () => conn.lookupStorageVolByKey(name));
  if (!vol && byKeyOrPath) await tryOne('path', () => conn.lookupStorageVolByPath(name));
  if (!vol) {
    return session.fail(pool || !hasPoolOption ? `failed to get vol '${name}'` : `failed to get vol '${name}', specifying --${poolOption} might help`);
  }
  session.resetError();
  if (pool && vol.ref.pool !== pool.getName()) return session.fail(`Requested volume '${name}' is not in pool '${pool.getName()}'`);
  return { vol, name };
}

/** The largest XML file virsh reads (VSH_MAX_XML_FILE). */
const MAX_XML_FILE = 10 * 1024 * 1024;

/**
 * Read a file a command names, as virsh's virFileReadAll: "Failed to open
 * file" or "Failed to read file" (reported as a libvirt error, at the end
 * of the command); files over 10 MiB are refused. The reads are synchronous:
 * the CLI has nothing else to do meanwhile, and a thread-pool round trip per
 * read costs more than the read when a script defines thousands of domains.
 */
export async function readUserFile(session: Session, path: string): Promise<string> {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    throw VirtError.system(ErrorDomain.NONE, `Failed to open file '${path}'`, err as NodeJS.ErrnoException);
  }
  try {
    // read in chunks: the limit bounds memory without paying for it up front
    const chunks: Buffer[] = [];
    let length = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(64 * 1024);
      const bytesRead = readSync(fd, chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      chunks.push(chunk.subarray(0, bytesRead));
      length += bytesRead;
      if (length > MAX_XML_FILE) throw VirtError.system(ErrorDomain.NONE, `Failed to read file '${path}'`, 'Value too large for defined data type');
    }
    return Buffer.concat(chunks, length).toString('utf8');
  } catch (err) {
    if (err instanceof VirtError) throw err;
    throw VirtError.system(ErrorDomain.NONE, `Failed to read file '${path}'`, err as NodeJS.ErrnoException);
  } finally {
    closeSync(fd);
  }
}

/** State names as virsh prints them (virshDomainStateToString). */
export function domainStateName(state: number): string {
  switch (state) {
    case DomainState.RUNNING:
      return 'running';
    case DomainState.BLOCKED:
      return 'idle';
    case DomainState.PAUSED:
      return 'paused';
    case DomainState.SHUTDOWN:
      return 'in shutdown';
    case DomainState.SHUTOFF:
      return 'shut off';
    case DomainState.CRASHED:
      return 'crashed';
    case DomainState.PMSUSPENDED:
      return 'pmsuspended';
    default:
      return 'no state';
  }
}

const REASONS: Record<number, readonly string[]> = {
  [DomainState.RUNNING]: ['unknown', 'booted', 'migrated', 'restored', 'from snapshot', 'unpaused', 'migration canceled', 'save canceled', 'event wakeup', 'crashed', 'post-copy', 'post-copy failed'],
  [DomainState.PAUSED]: [
    'unknown', 'user', 'migrating', 'saving', 'dumping', 'I/O error', 'watchdog', 'from snapshot', 'shutting down', 'creating snapshot', 'crashed',
    'starting up', 'post-copy', 'post-copy failed',
  ],
  [DomainState.SHUTDOWN]: ['unknown', 'user'],
  [DomainState.SHUTOFF]: ['unknown', 'shutdown', 'destroyed', 'crashed', 'migrated', 'saved', 'failed', 'from snapshot', 'daemon'],
  [DomainState.CRASHED]: ['unknown', 'panicked'],
};

/** Reason names as virsh prints them (virshDomainStateReasonToString). */
export function domainReasonName(state: number, reason: number): string {
  return REASONS[state]?.[reason] ?? 'unknown';
}

/** Sizes as virsh prints them (vshPrettyCapacity): value and unit, dividing by 1024. */
export function prettyCapacity(bytes: bigint): [number, string] {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];
  let unit = 0;
  let limit = 1024n;
  while (unit < units.length - 1 && bytes >= limit) {
    unit++;
    limit *= 1024n;
  }
  return [Number(bytes) / Number(limit / 1024n), units[unit]!];
}

/** "%.2lf %s" of a capacity. */
export function formatCapacity(bytes: bigint): string {
  const [value, unit] = prettyCapacity(bytes);
  return `${value.toFixed(2)} ${unit}`;
}

/** A `printf("%-15s %s\n")` line, the layout of dominfo, net-info, pool-info... */
export function field(label: string, value: string, width = 15): string {
  return `${label.padEnd(width)} ${value}\n`;
}

/** Compare names case-insensitively, as virsh sorts its lists (vshNameSorter). */
export function byNameCaseless(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
}

/** virsh's comma lists (vshStringToArray): "," separates, ",," is a literal comma. */
export function splitCommaList(text: string): string[] {
  const parts: string[] = [];
  let cur = '';
  for (let i = 0; i < text.length; i++) {
    if (text[i] === ',' && text[i + 1] === ',') {
      cur += ',';
      i++;
    } else if (text[i] === ',') {
      parts.push(cur);
      cur = '';
    } else {
      cur += text[i];
    }
  }
  parts.push(cur);
  return parts;
}
