import {
  escapeXml,
  ListStoragePoolsFlags,
  StoragePoolBuildFlags,
  StoragePoolCreateFlags,
  StoragePoolState,
  StorageXMLFlags,
  type StoragePool,
  type StoragePoolInfo,
} from '@virt/core-api';
import type { CommandHandler } from '../shell/command.js';
import { exclusive } from '../shell/checks.js';
import { DebugLevel } from '../shell/output.js';
import type { ParsedCommand } from '../shell/parsed.js';
import { formatTable } from '../shell/table.js';
import type { Session } from '../shell/session.js';
import { byNameCaseless, field, formatCapacity, lookupPool, readUserFile, splitCommaList } from './common.js';
import { printJSON } from './json.js';
import { printXML } from './xpath.js';

const POOL_TYPE_FLAGS: Record<string, number> = {
  dir: ListStoragePoolsFlags.DIR,
  fs: ListStoragePoolsFlags.FS,
  netfs: ListStoragePoolsFlags.NETFS,
  logical: ListStoragePoolsFlags.LOGICAL,
  disk: ListStoragePoolsFlags.DISK,
  iscsi: ListStoragePoolsFlags.ISCSI,
  'iscsi-direct': ListStoragePoolsFlags.ISCSI_DIRECT,
  scsi: ListStoragePoolsFlags.SCSI,
  mpath: ListStoragePoolsFlags.MPATH,
  rbd: ListStoragePoolsFlags.RBD,
  sheepdog: ListStoragePoolsFlags.SHEEPDOG,
  gluster: ListStoragePoolsFlags.GLUSTER,
  zfs: ListStoragePoolsFlags.ZFS,
  vstorage: ListStoragePoolsFlags.VSTORAGE,
};

/** Pool state names as virsh prints them. */
function poolStateName(state: StoragePoolState): string {
  return ['inactive', 'building', 'running', 'degraded', 'inaccessible'][state] ?? 'unknown';
}

function hasSizes(info: StoragePoolInfo): boolean {
  return info.state === StoragePoolState.RUNNING || info.state === StoragePoolState.DEGRADED;
}

export const poolList: CommandHandler = async (session, cmd) => {
  const F = ListStoragePoolsFlags;
  exclusive(session, cmd, 'all', 'inactive');
  let flags: number = F.ACTIVE;
  if (cmd.bool('inactive')) flags = F.INACTIVE;
  if (cmd.bool('all')) flags = F.ACTIVE | F.INACTIVE;
  if (cmd.bool('autostart')) flags |= F.AUTOSTART;
  if (cmd.bool('no-autostart')) flags |= F.NO_AUTOSTART;
  if (cmd.bool('persistent')) flags |= F.PERSISTENT;
  if (cmd.bool('transient')) flags |= F.TRANSIENT;
  const type = cmd.string('type');
  exclusive(session, cmd, 'details', 'uuid');
  exclusive(session, cmd, 'details', 'name');
  if (type !== undefined) {
    for (const t of splitCommaList(type)) {
      const bit = POOL_TYPE_FLAGS[t];
      if (bit === undefined) return session.fail(`Invalid pool type '${t}'`);
      flags |= bit;
    }
  }
  const conn = await session.connect();
  let pools: StoragePool[];
  try {
    pools = (await conn.listAllStoragePools(flags)).sort((a, b) => byNameCaseless(a.getName(), b.getName()));
  } catch (err) {
    return session.fail('Failed to list pools', err);
  }
  const details = cmd.bool('details');
  const rows: Array<{ pool: StoragePool; autostart: string; persistent?: string; info?: StoragePoolInfo }> = [];
  for (const pool of pools) {
    const autostart = await pool.getAutostart().then(
      (a) => (a ? 'yes' : 'no'),
      () => 'no autostart',
    );
    let persistent: string | undefined;
    if (details) {
      const flag = await pool.isPersistent().then(Number, () => -1);
      session.debug(DebugLevel.DEBUG, `Persistent flag value: ${flag}`);
      persistent = flag < 0 ? 'unknown' : flag ? 'yes' : 'no';
    }
    let info: StoragePoolInfo | undefined;
    try {
      info = await pool.getInfo();
    } catch {
      session.error('Could not retrieve pool information');
    }
    rows.push({ pool, autostart, persistent, info });
  }

  if (cmd.bool('json')) {
    printJSON(
      session,
      rows.map((r) => ({
        name: r.pool.getName(),
        uuid: r.pool.getUUIDString(),
        state: r.info ? poolStateName(r.info.state) : null,
        autostart: r.autostart === 'yes',
        capacity_bytes: r.info && hasSizes(r.info) ? Number(r.info.capacity) : null,
        allocation_bytes: r.info && hasSizes(r.info) ? Number(r.info.allocation) : null,
        available_bytes: r.info && hasSizes(r.info) ? Number(r.info.available) : null,
      })),
    );
    return true;
  }
  if (!details) {
    const [uuid, name] = [cmd.bool('uuid'), cmd.bool('name')];
    if (uuid || name) {
      let out = '';
      for (const { pool } of rows) {
        if (uuid) out += pool.getUUIDString().padEnd(36) + (name ? ' ' : '\n');
        if (name) out += `${pool.getName().padEnd(20)}\n`;
      }
      session.out.print(out);
      return true;
    }
    const table = rows.map((r) => [r.pool.getName(), r.info ? (r.info.state !== StoragePoolState.INACTIVE ? 'active' : 'inactive') : 'unknown', r.autostart]);
    session.out.print(formatTable(['Name', 'State', 'Autostart'], table, !session.out.quiet));
    return true;
  }
  const sizes = (info: StoragePoolInfo | undefined, pick: (i: StoragePoolInfo) => bigint): string =>
    !info ? 'unknown' : hasSizes(info) ? formatCapacity(pick(info)) : '-';
  const table = rows.map((r) => [
    r.pool.getName(),
    r.info ? poolStateName(r.info.state) : 'unknown',
    r.autostart,
    r.persistent ?? 'unknown',
    sizes(r.info, (i) => i.capacity),
    sizes(r.info, (i) => i.allocation),
    sizes(r.info, (i) => i.available),
  ]);
  session.out.print(formatTable(['Name', 'State', 'Autostart', 'Persistent', 'Capacity', 'Allocation', 'Available'], table, !session.out.quiet));
  return true;
};

export const poolInfo: CommandHandler = async (session, cmd) => {
  const { pool } = await lookupPool(session, cmd);
  const bytes = cmd.bool('bytes');
  let out = field('Name:', pool.getName()) + field('UUID:', pool.getUUIDString());
  let info: StoragePoolInfo;
  try {
    info = await pool.getInfo();
  } catch (err) {
    session.out.print(out);
    session.absorb(err);
    return false;
  }
  out += field('State:', poolStateName(info.state));
  const persistent = await pool.isPersistent().then(Number, () => -1);
  // virsh shows the flag at debug level right before its line: print what comes before first
  session.out.print(out);
  session.debug(DebugLevel.DEBUG, `Pool persistent flag value: ${persistent}`);
  out = field('Persistent:', persistent < 0 ? 'unknown' : persistent ? 'yes' : 'no');
  out += field(
    'Autostart:',
    await pool.getAutostart().then(
      (a) => (a ? 'yes' : 'no'),
      () => 'no autostart',
    ),
  );
  if (hasSizes(info)) {
    const show = (v: bigint): string => (bytes ? String(v) : formatCapacity(v));
    out += field('Capacity:', show(info.capacity)) + field('Allocation:', show(info.allocation)) + field('Available:', show(info.available));
  }
  session.out.print(out);
  return true;
};

export const poolDumpxml: CommandHandler = async (session, cmd) => {
  const { pool } = await lookupPool(session, cmd);
  const xpath = cmd.stringQuiet('xpath');
  if (xpath === undefined && cmd.bool('xpath')) return false;
  return printXML(session, await pool.getXMLDesc(cmd.bool('inactive') ? StorageXMLFlags.INACTIVE : 0), xpath, cmd.bool('wrap'));
};

/** Build pool XML from pool-define-as / pool-create-as options (virshBuildPoolXML), escaping values. */
function buildPoolXML(session: Session, cmd: ParsedCommand): { name: string; xml: string } {
  exclusive(session, cmd, 'secret-usage', 'secret-uuid');
  const name = cmd.required('name');
  const type = cmd.required('type');
  const opt = (key: string): string | undefined => {
    const v = cmd.string(key);
    return v === undefined ? undefined : escapeXml(v);
  };
  const [host, path, dev, srcName, format, target] = ['source-host', 'source-path', 'source-dev', 'source-name', 'source-format', 'target'].map(opt);
  const [authType, authUser, usage, secretUUID] = ['auth-type', 'auth-username', 'secret-usage', 'secret-uuid'].map(opt);
  const [adapterName, wwnn, wwpn, parent, parentWwnn, parentWwpn, fabric] = [
    'adapter-name', 'adapter-wwnn', 'adapter-wwpn', 'adapter-parent', 'adapter-parent-wwnn', 'adapter-parent-wwpn', 'adapter-parent-fabric-wwn',
  ].map(opt);
  const [protocol, initiator] = ['source-protocol-ver', 'source-initiator'].map(opt);

  let xml = `<pool type='${escapeXml(type)}'>\n  <name>${escapeXml(name)}</name>\n`;
  if (host || path || dev || initiator || format || srcName || (wwnn && wwpn) || adapterName) {
    xml += '  <source>\n';
    if (host) xml += `    <host name='${host}'/>\n`;
    if (path) xml += `    <dir path='${path}'/>\n`;
    if (dev) xml += `    <device path='${dev}'/>\n`;
    if (initiator) xml += `    <initiator>\n      <iqn name='${initiator}'/>\n    </initiator>\n`;
    if (wwnn && wwpn) {
      let parentAttrs = '';
      if (parent) parentAttrs = ` parent='${parent}'`;
      else if (parentWwnn && parentWwpn) parentAttrs = ` parent_wwnn='${parentWwnn}' parent_wwpn='${parentWwpn}'`;
      else if (fabric) parentAttrs = ` parent_fabric_wwn='${fabric}'`;
      xml += `    <adapter type='fc_host'${parentAttrs} wwnn='${wwnn}' wwpn='${wwpn}'/>\n`;
    } else if (adapterName) {
      xml += `    <adapter type='scsi_host' name='${adapterName}'/>\n`;
    }
    if (authType && authUser && (usage || secretUUID)) {
      xml += `    <auth type='${authType}' username='${authUser}'>\n`;
      xml += usage ? `      <secret usage='${usage}'/>\n` : `      <secret uuid='${secretUUID}'/>\n`;
      xml += '    </auth>\n';
    }
    if (format) xml += `    <format type='${format}'/>\n`;
    if (srcName) xml += `    <name>${srcName}</name>\n`;
    if (protocol) xml += `    <protocol ver='${protocol}'/>\n`;
    xml += '  </source>\n';
  }
  if (target) xml += `  <target>\n    <path>${target}</path>\n  </target>\n`;
  return { name, xml: `${xml}</pool>\n` };
}

/** The build flags of pool-start / pool-create(-as). */
function createFlags(session: Session, cmd: ParsedCommand): number {
  exclusive(session, cmd, 'overwrite', 'no-overwrite');
  let flags = 0;
  if (cmd.bool('build')) flags |= StoragePoolCreateFlags.WITH_BUILD;
  if (cmd.bool('overwrite')) flags |= StoragePoolCreateFlags.WITH_BUILD_OVERWRITE;
  if (cmd.bool('no-overwrite')) flags |= StoragePoolCreateFlags.WITH_BUILD_NO_OVERWRITE;
  return flags;
}

export const poolDefineAs: CommandHandler = async (session, cmd) => {
  const { name, xml } = buildPoolXML(session, cmd);
  if (cmd.bool('print-xml')) {
    session.out.print(xml);
    return true;
  }
  const conn = await session.connect();
  try {
    await conn.defineStoragePoolXML(xml);
  } catch (err) {
    return session.fail(`Failed to define pool ${name}`, err);
  }
  session.out.printExtra(`Pool ${name} defined\n`);
  return true;
};

export const poolCreateAs: CommandHandler = async (session, cmd) => {
  const flags = createFlags(session, cmd);
  const { name, xml } = buildPoolXML(session, cmd);
  if (cmd.bool('print-xml')) {
    session.out.print(xml);
    return true;
  }
  const conn = await session.connect();
  try {
    await conn.createStoragePoolXML(xml, flags);
  } catch (err) {
    return session.fail(`Failed to create pool ${name}`, err);
  }
  session.out.printExtra(`Pool ${name} created\n`);
  return true;
};

export const poolDefine: CommandHandler = async (session, cmd) => {
  const file = cmd.required('file');
  const xml = await readUserFile(session, file);
  const conn = await session.connect();
  let pool: StoragePool;
  try {
    pool = await conn.defineStoragePoolXML(xml, cmd.bool('validate') ? 1 : 0);
  } catch (err) {
    return session.fail(`Failed to define pool from ${file}`, err);
  }
  session.out.printExtra(`Pool ${pool.getName()} defined from ${file}\n`);
  return true;
};

export const poolCreate: CommandHandler = async (session, cmd) => {
  const file = cmd.required('file');
  const flags = createFlags(session, cmd);
  const xml = await readUserFile(session, file);
  const conn = await session.connect();
  let pool: StoragePool;
  try {
    pool = await conn.createStoragePoolXML(xml, flags);
  } catch (err) {
    return session.fail(`Failed to create pool from ${file}`, err);
  }
  session.out.printExtra(`Pool ${pool.getName()} created from ${file}\n`);
  return true;
};

/** A pool operation that reports "Pool X <done>" or "Failed to <verb> pool X". */
function poolAction(verb: string, done: string, run: (pool: StoragePool, session: Session, cmd: ParsedCommand) => Promise<void>): CommandHandler {
  return async (session, cmd) => {
    const { pool, name } = await lookupPool(session, cmd);
    try {
      await run(pool, session, cmd);
    } catch (err) {
      return session.fail(`Failed to ${verb} pool ${name}`, err);
    }
    session.out.printExtra(`Pool ${name} ${done}\n`);
    return true;
  };
}

export const poolStart: CommandHandler = async (session, cmd) => {
  const { pool, name } = await lookupPool(session, cmd);
  const flags = createFlags(session, cmd);
  try {
    await pool.create(flags);
  } catch (err) {
    return session.fail(`Failed to start pool ${name}`, err);
  }
  session.out.printExtra(`Pool ${name} started\n`);
  return true;
};

export const poolBuild = poolAction('build', 'built', (pool, _session, cmd) => {
  let flags = 0;
  if (cmd.bool('no-overwrite')) flags |= StoragePoolBuildFlags.NO_OVERWRITE;
  if (cmd.bool('overwrite')) flags |= StoragePoolBuildFlags.OVERWRITE;
  return pool.build(flags);
});
export const poolDestroy = poolAction('destroy', 'destroyed', (pool) => pool.destroy());
export const poolDelete = poolAction('delete', 'deleted', (pool) => pool.delete());
export const poolRefresh = poolAction('refresh', 'refreshed', (pool) => pool.refresh());
export const poolUndefine = poolAction('undefine', 'has been undefined', (pool) => pool.undefine());

export const poolAutostart: CommandHandler = async (session, cmd) => {
  const { pool, name } = await lookupPool(session, cmd);
  const disable = cmd.bool('disable');
  try {
    await pool.setAutostart(!disable);
  } catch (err) {
    return session.fail(disable ? `failed to unmark pool ${name} as autostarted` : `failed to mark pool ${name} as autostarted`, err);
  }
  session.out.printExtra(disable ? `Pool ${name} unmarked as autostarted\n` : `Pool ${name} marked as autostarted\n`);
  return true;
};

export const poolName: CommandHandler = async (session, cmd) => {
  const { pool } = await lookupPool(session, cmd, { uuid: true });
  session.out.print(`${pool.getName()}\n`);
  return true;
};

export const poolUuid: CommandHandler = async (session, cmd) => {
  const { pool } = await lookupPool(session, cmd, { name: true });
  session.out.print(`${pool.getUUIDString()}\n`);
  return true;
};

