import { escapeXml, scaleInteger, strToInt, StorageVolInfoFlags, ULLONG_MAX, VirtError, type StoragePool, type StorageVol, type StorageVolInfo } from '@virt/core-api';
import type { CommandHandler } from '../shell/command.js';
import { DebugLevel } from '../shell/output.js';
import type { ParsedCommand } from '../shell/parsed.js';
import { formatTable } from '../shell/table.js';
import type { Session } from '../shell/session.js';
import { byNameCaseless, field, formatCapacity, lookupPool, lookupVolume } from './common.js';
import { printJSON } from './json.js';
import { printXML } from './xpath.js';

const VOLUME_TYPES = ['file', 'block', 'dir', 'network', 'netdir', 'ploop'];

function volumeTypeName(type: number): string {
  return VOLUME_TYPES[type] ?? 'unknown';
}

/** A size with an optional unit, in bytes (virshVolSize); libvirt's suffix error is kept for the report. */
function volumeSize(session: Session, text: string): bigint {
  const parsed = strToInt(text, 'ullp', 10, true);
  if (parsed) {
    try {
      return scaleInteger(parsed.value, text.slice(parsed.end), 1n, ULLONG_MAX);
    } catch (err) {
      session.absorb(err);
    }
  }
  return session.fail(`Malformed size ${text}`);
}

export const volList: CommandHandler = async (session, cmd) => {
  const { pool } = await lookupPool(session, cmd);
  let vols: StorageVol[];
  try {
    vols = (await pool.listAllVolumes()).sort((a, b) => byNameCaseless(a.getName(), b.getName()));
  } catch (err) {
    return session.fail('Failed to list volumes', err);
  }
  const details = cmd.bool('details') || cmd.bool('json');
  const rows: Array<{ vol: StorageVol; path: string; info?: StorageVolInfo }> = [];
  for (const vol of vols) {
    const path = await vol.getPath().catch(() => 'unknown');
    const info = details ? await vol.getInfo().catch(() => undefined) : undefined;
    rows.push({ vol, path, info });
  }
  if (cmd.bool('json')) {
    printJSON(
      session,
      rows.map((r) => ({
        name: r.vol.getName(),
        path: r.path,
        type: r.info ? volumeTypeName(r.info.type) : null,
        capacity_bytes: r.info ? Number(r.info.capacity) : null,
        allocation_bytes: r.info ? Number(r.info.allocation) : null,
      })),
    );
    return true;
  }
  if (!details) {
    session.out.print(formatTable(['Name', 'Path'], rows.map((r) => [r.vol.getName(), r.path]), !session.out.quiet));
    return true;
  }
  const table = rows.map((r) => [
    r.vol.getName(),
    r.path,
    r.info ? volumeTypeName(r.info.type) : 'unknown',
    r.info ? formatCapacity(r.info.capacity) : 'unknown',
    r.info ? formatCapacity(r.info.allocation) : 'unknown',
  ]);
  session.out.print(formatTable(['Name', 'Path', 'Type', 'Capacity', 'Allocation'], table, !session.out.quiet));
  return true;
};

export const volInfo: CommandHandler = async (session, cmd) => {
  const { vol } = await lookupVolume(session, cmd);
  session.out.print(field('Name:', vol.getName()));
  const physical = cmd.bool('physical');
  const info = physical ? await vol.getInfoFlags(StorageVolInfoFlags.GET_PHYSICAL) : await vol.getInfo();
  const last = physical ? 'Physical:' : 'Allocation:';
  let out = field('Type:', volumeTypeName(info.type));
  if (cmd.bool('bytes')) {
    out += field('Capacity:', `${info.capacity} bytes`) + field(last, `${info.allocation} bytes`);
  } else {
    out += field('Capacity:', formatCapacity(info.capacity)) + field(last, formatCapacity(info.allocation));
  }
  session.out.print(out);
  return true;
};

/** The backing volume of vol-create-as: by name in the pool, then by key, then by path. */
async function backingVolume(session: Session, cmd: ParsedCommand, pool: StoragePool, name: string): Promise<StorageVol> {
  const conn = await session.connect();
  const attempts = [
    ['name', () => pool.lookupVolumeByName(name)],
    ['key', () => conn.lookupStorageVolByKey(name)],
    ['path', () => conn.lookupStorageVolByPath(name)],
  ] as const;
  for (const [how, attempt] of attempts) {
    session.debug(DebugLevel.DEBUG, `${cmd.def.name}: Look up backing store volume '${name}' as ${how}`);
    try {
      const vol = await attempt();
      session.debug(DebugLevel.DEBUG, `${cmd.def.name}: Backing store volume found using '${name}' as ${how}`);
      return vol;
    } catch (err) {
      if (!(err instanceof VirtError)) throw err;
      session.absorb(err);
    }
  }
  return session.fail(`failed to get vol '${name}'`);
}

export const volCreateAs: CommandHandler = async (session, cmd) => {
  const { pool } = await lookupPool(session, cmd);
  const name = cmd.required('name');
  const capacity = volumeSize(session, cmd.required('capacity'));
  const allocationText = cmd.stringQuiet('allocation');
  const allocation = allocationText === undefined ? undefined : volumeSize(session, allocationText);
  const format = cmd.string('format');
  const backing = cmd.string('backing-vol');
  const backingFormat = cmd.string('backing-vol-format');

  let xml = `<volume>\n  <name>${escapeXml(name)}</name>\n  <capacity>${capacity}</capacity>\n`;
  if (allocation !== undefined) xml += `  <allocation>${allocation}</allocation>\n`;
  if (format !== undefined) xml += `  <target>\n    <format type='${escapeXml(format)}'/>\n  </target>\n`;
  if (backing !== undefined) {
    const path = await (await backingVolume(session, cmd, pool, backing)).getPath();
    xml += `  <backingStore>\n    <path>${escapeXml(path)}</path>\n`;
    if (backingFormat !== undefined) xml += `    <format type='${escapeXml(backingFormat)}'/>\n`;
    xml += '  </backingStore>\n';
  }
  xml += '</volume>\n';
  if (cmd.bool('print-xml')) {
    session.out.print(xml);
    return true;
  }
  try {
    await pool.createVolumeXML(xml, cmd.bool('prealloc-metadata') ? 1 : 0);
  } catch (err) {
    return session.fail(`Failed to create vol ${name}`, err);
  }
  session.out.printExtra(`Vol ${name} created\n`);
  return true;
};

export const volDelete: CommandHandler = async (session, cmd) => {
  const { vol, name } = await lookupVolume(session, cmd);
  try {
    await vol.delete(cmd.bool('delete-snapshots') ? 2 : 0);
  } catch (err) {
    return session.fail(`Failed to delete vol ${name}`, err);
  }
  session.out.printExtra(`Vol ${name} deleted\n`);
  return true;
};

export const volDumpxml: CommandHandler = async (session, cmd) => {
  const { vol } = await lookupVolume(session, cmd);
  const xpath = cmd.stringQuiet('xpath');
  if (xpath === undefined && cmd.bool('xpath')) return false;
  return printXML(session, await vol.getXMLDesc(), xpath, cmd.bool('wrap'));
};

export const volKey: CommandHandler = async (session, cmd) => {
  const { vol } = await lookupVolume(session, cmd);
  session.out.print(`${vol.getKey()}\n`);
  return true;
};

export const volPath: CommandHandler = async (session, cmd) => {
  const { vol } = await lookupVolume(session, cmd);
  session.out.print(`${await vol.getPath()}\n`);
  return true;
};

export const volName: CommandHandler = async (session, cmd) => {
  const { vol } = await lookupVolume(session, cmd, { byName: false });
  session.out.print(`${vol.getName()}\n`);
  return true;
};

export const volPool: CommandHandler = async (session, cmd) => {
  const { vol } = await lookupVolume(session, cmd, { byName: false });
  let pool: StoragePool;
  try {
    pool = await vol.getPool();
  } catch (err) {
    return session.fail('failed to get parent pool', err);
  }
  session.out.print(`${cmd.bool('uuid') ? pool.getUUIDString() : pool.getName()}\n`);
  return true;
};
