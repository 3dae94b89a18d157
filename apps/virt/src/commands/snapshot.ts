import {
  ErrorCode,
  escapeXml,
  parseXml,
  SnapshotCreateFlags,
  SnapshotDeleteFlags,
  SnapshotListFlags,
  SnapshotRevertFlags,
  VirtError,
  type Domain,
  type DomainSnapshot,
} from '@virt/core-api';
import type { CommandHandler } from '../shell/command.js';
import { exclusive } from '../shell/checks.js';
import type { ParsedCommand } from '../shell/parsed.js';
import { formatTable } from '../shell/table.js';
import type { Session } from '../shell/session.js';
import { byNameCaseless, field, lookupDomain, readUserFile, splitCommaList } from './common.js';
import { printXML } from './xpath.js';

function createFlags(cmd: ParsedCommand): number {
  const F = SnapshotCreateFlags;
  const bits: Array<[string, number]> = [
    ['redefine', F.REDEFINE],
    ['current', F.CURRENT],
    ['no-metadata', F.NO_METADATA],
    ['halt', F.HALT],
    ['disk-only', F.DISK_ONLY],
    ['reuse-external', F.REUSE_EXT],
    ['quiesce', F.QUIESCE],
    ['atomic', F.ATOMIC],
    ['live', F.LIVE],
    ['validate', F.VALIDATE],
  ];
  return bits.reduce((flags, [name, bit]) => (cmd.def.options.some((o) => o.name === name) && cmd.bool(name) ? flags | bit : flags), 0);
}

/**
 * Create a snapshot (virshSnapshotCreate): retried without --validate for
 * a driver that does not know it, with --halt emulated by a destroy for
 * one that refuses it.
 */
async function createSnapshot(session: Session, dom: Domain, xml: string, flags: number, from?: string): Promise<boolean> {
  const F = SnapshotCreateFlags;
  let snap: DomainSnapshot | undefined;
  let halt = false;
  try {
    snap = await dom.snapshotCreateXML(xml, flags);
  } catch (err) {
    if (!(err instanceof VirtError)) throw err;
    let lastErr: VirtError = err;
    if (err.code === ErrorCode.NO_SUPPORT && from === undefined) {
      flags &= ~F.VALIDATE;
      try {
        snap = await dom.snapshotCreateXML(xml, flags);
      } catch (again) {
        if (!(again instanceof VirtError)) throw again;
        lastErr = again;
      }
    }
    if (!snap && lastErr.code === ErrorCode.INVALID_ARG && flags & F.HALT) {
      if (!(await dom.isPersistent())) return session.fail('cannot halt after snapshot of transient domain');
      halt = await dom.isActive();
      flags &= ~F.HALT;
      snap = await dom.snapshotCreateXML(xml, flags);
    } else if (!snap) {
      throw lastErr;
    }
  }
  if (halt) await dom.destroy();
  session.out.printExtra(from === undefined ? `Domain snapshot ${snap!.getName()} created` : `Domain snapshot ${snap!.getName()} created from '${from}'`);
  return true;
}

/** `--memspec`: [file=]name[,snapshot=type] as a `<memory>` element. */
function memspecXML(session: Session, spec: string): string {
  let snapshot: string | undefined;
  let file: string | undefined;
  for (const item of splitCommaList(spec)) {
    if (snapshot === undefined && item.startsWith('snapshot=')) snapshot = item.slice(9);
    else if (file === undefined && item.startsWith('file=')) file = item.slice(5);
    else if (file === undefined && item.startsWith('/')) file = item;
    else return session.fail(`unable to parse memspec: ${spec}`);
  }
  return `  <memory${snapshot === undefined ? '' : ` snapshot='${escapeXml(snapshot)}'`}${file === undefined ? '' : ` file='${escapeXml(file)}'`}/>\n`;
}

/** `--diskspec`: disk[,snapshot=type][,driver=type][,stype=type][,file=name] as a `<disk>` element. */
function diskspecXML(session: Session, spec: string): string {
  const [name, ...rest] = splitCommaList(spec);
  const fields: Record<string, string | undefined> = {};
  for (const item of rest) {
    const key = ['snapshot', 'driver', 'stype', 'file'].find((k) => fields[k] === undefined && item.startsWith(`${k}=`));
    if (!key) return session.fail(`unable to parse diskspec: ${spec}`);
    fields[key] = item.slice(key.length + 1);
  }
  const { snapshot, driver, stype, file } = fields;
  if (stype !== undefined && stype !== 'block' && stype !== 'file') {
    session.error(`Unknown storage type: '${stype}'`);
    return session.fail(`unable to parse diskspec: ${spec}`);
  }
  let xml = `    <disk name='${escapeXml(name ?? '')}'`;
  if (snapshot !== undefined) xml += ` snapshot='${snapshot}'`;
  if (stype !== undefined) xml += ` type='${stype}'`;
  if (driver === undefined && file === undefined) return `${xml}/>\n`;
  xml += '>\n';
  if (driver !== undefined) xml += `      <driver type='${driver}'/>\n`;
  if (file !== undefined) xml += stype === 'block' ? `      <source dev='${escapeXml(file)}'/>\n` : `      <source file='${escapeXml(file)}'/>\n`;
  return `${xml}    </disk>\n`;
}

export const snapshotCreateAs: CommandHandler = async (session, cmd) => {
  const flags = createFlags(cmd);
  const { dom } = await lookupDomain(session, cmd);
  const name = cmd.string('name');
  const desc = cmd.string('description');
  let xml = '<domainsnapshot>\n';
  if (name !== undefined) xml += `  <name>${escapeXml(name)}</name>\n`;
  if (desc !== undefined) xml += `  <description>${escapeXml(desc)}</description>\n`;
  const memspec = cmd.string('memspec');
  if (memspec !== undefined) xml += memspecXML(session, memspec);
  if (cmd.bool('diskspec')) {
    xml += '  <disks>\n';
    for (const spec of cmd.argv()) xml += diskspecXML(session, spec);
    xml += '  </disks>\n';
  }
  xml += '</domainsnapshot>\n';
  if (cmd.bool('print-xml')) {
    session.out.print(`${xml}\n`);
    return true;
  }
  return createSnapshot(session, dom, xml, flags);
};

export const snapshotCreate: CommandHandler = async (session, cmd) => {
  const flags = createFlags(cmd);
  const { dom } = await lookupDomain(session, cmd);
  const from = cmd.string('xmlfile');
  const xml = from === undefined ? '<domainsnapshot/>' : await readUserFile(session, from);
  return createSnapshot(session, dom, xml, flags, from);
};

/** The snapshot a command names: by name, or the current one (virshLookupSnapshot). */
async function lookupSnapshot(session: Session, cmd: ParsedCommand, dom: Domain, option: string): Promise<DomainSnapshot> {
  const current = cmd.bool('current');
  const name = cmd.string(option);
  if (current && name !== undefined) return session.fail(`--${option} and --current are mutually exclusive`);
  if (name !== undefined) return dom.snapshotLookupByName(name);
  if (current) return dom.snapshotCurrent();
  return session.fail(`--${option} or --current is required`);
}

/** The parent's name, undefined for a root (virshGetSnapshotParent). */
async function parentOf(snap: DomainSnapshot): Promise<string | undefined> {
  try {
    return (await snap.getParent()).getName();
  } catch (err) {
    if (err instanceof VirtError && err.code === ErrorCode.NO_DOMAIN_SNAPSHOT) return undefined;
    throw err;
  }
}

/** "YYYY-MM-DD HH:MM:SS +ZZZZ" in local time (g_date_time_format "%Y-%m-%d %H:%M:%S %z"). */
function localTime(seconds: number): string {
  const d = new Date(seconds * 1000);
  const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
  const offset = -d.getTimezoneOffset();
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return (
    `${pad(d.getFullYear(), 4)}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ` +
    `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())} ${sign}${pad(Math.floor(abs / 60))}${pad(abs % 60)}`
  );
}

interface Listed {
  snap: DomainSnapshot;
  parent?: string;
}

/** Print a tree of snapshots, as vshTreePrint draws it. */
function printTree(list: readonly Listed[], root: number): string {
  let out = '';
  const walk = (index: number, lastIndex: number, isRoot: boolean, indent: string): void => {
    const name = list[index]!.snap.getName();
    out += `${indent}${isRoot ? '' : '+- '}${name}\n`;
    let childIndent = indent;
    if (!isRoot) childIndent += (index === lastIndex ? ' ' : '|') + ' ';
    let lastChild = -1;
    list.forEach((l, i) => {
      if (l.parent === name) lastChild = i;
    });
    if (lastChild !== -1) out += `${childIndent}  |\n`;
    list.forEach((l, i) => {
      if (l.parent === name) walk(i, lastChild, false, `${childIndent}  `);
    });
    if (lastChild === -1 && index === lastIndex) out += `${childIndent}\n`;
  };
  walk(root, root, true, '');
  return out;
}

export const snapshotList: CommandHandler = async (session, cmd) => {
  const F = SnapshotListFlags;
  const [tree, name, from, parent, roots, current] = ['tree', 'name', 'from', 'parent', 'roots', 'current'].map((o) => cmd.bool(o));
  exclusive(session, cmd, 'tree', 'name');
  exclusive(session, cmd, 'parent', 'roots');
  exclusive(session, cmd, 'parent', 'tree');
  exclusive(session, cmd, 'roots', 'tree');
  exclusive(session, cmd, 'roots', 'from');
  exclusive(session, cmd, 'roots', 'current');
  let flags = 0;
  const filters: Array<[string, number]> = [
    ['leaves', F.LEAVES],
    ['no-leaves', F.NO_LEAVES],
    ['inactive', F.INACTIVE],
    ['active', F.ACTIVE],
    ['disk-only', F.DISK_ONLY],
    ['internal', F.INTERNAL],
    ['external', F.EXTERNAL],
  ];
  for (const [option, bit] of filters) {
    if (!cmd.bool(option)) continue;
    if (tree) return session.fail(`--${option} and --tree are mutually exclusive`);
    flags |= bit;
  }
  if (cmd.bool('topological')) flags |= F.TOPOLOGICAL;
  if (roots) flags |= F.ROOTS;
  if (cmd.bool('metadata')) flags |= F.METADATA;
  if (cmd.bool('no-metadata')) flags |= F.NO_METADATA;
  if (cmd.bool('descendants')) {
    if (!from && !current) return session.fail('--descendants requires either --from or --current');
    flags |= F.DESCENDANTS;
  }
  const { dom } = await lookupDomain(session, cmd);
  const start = from || current ? await lookupSnapshot(session, cmd, dom, 'from') : undefined;
  const snaps = start ? await start.listAllChildren(flags) : await dom.listAllSnapshots(flags);
  const list: Listed[] = [];
  for (const snap of snaps) list.push({ snap, parent: tree ? await parentOf(snap) : undefined });
  if (tree && start) list.push({ snap: start });
  if (!(flags & F.TOPOLOGICAL)) list.sort((a, b) => byNameCaseless(a.snap.getName(), b.snap.getName()));

  if (tree) {
    session.out.print(list.map((l, i) => (l.parent === undefined ? printTree(list, i) : '')).join(''));
    return true;
  }
  if (name) {
    session.out.print(list.map((l) => `${l.snap.getName()}\n`).join(''));
    return true;
  }
  const rows: string[][] = [];
  for (const { snap } of list) {
    const doc = parseXml(await snap.getXMLDesc(), '(domain_snapshot)');
    const state = doc.child('state')?.text();
    const created = Number(doc.child('creationTime')?.text());
    if (state === undefined || !Number.isFinite(created)) continue;
    const row = [snap.getName(), localTime(created), state];
    if (parent) row.push(doc.child('parent')?.child('name')?.text() ?? '');
    rows.push(row);
  }
  const header = parent ? ['Name', 'Creation Time', 'State', 'Parent'] : ['Name', 'Creation Time', 'State'];
  session.out.print(formatTable(header, rows, !session.out.quiet));
  return true;
};

export const snapshotCurrent: CommandHandler = async (session, cmd) => {
  exclusive(session, cmd, 'name', 'snapshotname');
  const { dom, name: domName } = await lookupDomain(session, cmd);
  const wanted = cmd.string('snapshotname');
  if (wanted !== undefined) {
    const snap = await dom.snapshotLookupByName(wanted);
    const xml = await snap.getXMLDesc(1);
    let flags = SnapshotCreateFlags.REDEFINE | SnapshotCreateFlags.CURRENT;
    if (xml.includes('<state>disk-snapshot</state>')) flags |= SnapshotCreateFlags.DISK_ONLY;
    await dom.snapshotCreateXML(xml, flags);
    session.out.printExtra(`Snapshot ${wanted} set as current`);
    return true;
  }
  if (!(await dom.hasCurrentSnapshot())) return session.fail(`domain '${domName}' has no current snapshot`);
  const snap = await dom.snapshotCurrent();
  session.out.print(cmd.bool('name') ? snap.getName() : await snap.getXMLDesc(cmd.bool('security-info') ? 1 : 0));
  return true;
};

export const snapshotInfo: CommandHandler = async (session, cmd) => {
  const { dom } = await lookupDomain(session, cmd);
  const snap = await lookupSnapshot(session, cmd, dom, 'snapshotname');
  let out = field('Name:', snap.getName()) + field('Domain:', dom.getName());
  const current = await snap.isCurrent().catch(() => false);
  out += field('Current:', current ? 'yes' : 'no');
  const doc = parseXml(await snap.getXMLDesc(), '(domain_snapshot)');
  const state = doc.child('state')?.text();
  if (state === undefined) {
    session.out.print(out);
    return session.fail('unexpected problem reading snapshot xml');
  }
  out += field('State:', state);
  const memory = doc.child('memory');
  const external = memory
    ? memory.attr('snapshot') === 'external' || (doc.child('disks')?.childrenNamed('disk') ?? []).some((d) => d.attr('snapshot') === 'external')
    : state === 'disk-snapshot';
  out += field('Location:', external ? 'external' : 'internal');
  out += field('Parent:', doc.child('parent')?.child('name')?.text() ?? '-');
  out += field('Children:', String(await snap.numChildren(0)));
  out += field('Descendants:', String(await snap.numChildren(SnapshotListFlags.DESCENDANTS)));
  out += field('Metadata:', (await snap.hasMetadata()) ? 'yes' : 'no');
  session.out.print(out);
  return true;
};

export const snapshotDumpxml: CommandHandler = async (session, cmd) => {
  const name = cmd.required('snapshotname');
  const { dom } = await lookupDomain(session, cmd);
  const snap = await dom.snapshotLookupByName(name);
  const xpath = cmd.stringQuiet('xpath');
  if (xpath === undefined && cmd.bool('xpath')) return false;
  return printXML(session, await snap.getXMLDesc(cmd.bool('security-info') ? 1 : 0), xpath, cmd.bool('wrap'));
};

export const snapshotParent: CommandHandler = async (session, cmd) => {
  const { dom } = await lookupDomain(session, cmd);
  const snap = await lookupSnapshot(session, cmd, dom, 'snapshotname');
  const parent = await parentOf(snap);
  if (parent === undefined) return session.fail(`snapshot '${snap.getName()}' has no parent`);
  session.out.print(parent);
  return true;
};

export const snapshotRevert: CommandHandler = async (session, cmd) => {
  const F = SnapshotRevertFlags;
  let flags = 0;
  if (cmd.bool('running')) flags |= F.RUNNING;
  if (cmd.bool('paused')) flags |= F.PAUSED;
  if (cmd.bool('reset-nvram')) flags |= F.RESET_NVRAM;
  const { dom } = await lookupDomain(session, cmd);
  const snap = await lookupSnapshot(session, cmd, dom, 'snapshotname');
  try {
    try {
      await dom.revertToSnapshot(snap, flags);
    } catch (err) {
      // --force only when the driver says the revert is risky
      if (!cmd.bool('force') || !(err instanceof VirtError) || err.code !== ErrorCode.SNAPSHOT_REVERT_RISKY) throw err;
      await dom.revertToSnapshot(snap, flags | F.FORCE);
    }
  } catch (err) {
    return session.fail(`Failed to revert snapshot ${snap.getName()}`, err);
  }
  session.out.printExtra(`Domain snapshot ${snap.getName()} reverted\n`);
  return true;
};

export const snapshotDelete: CommandHandler = async (session, cmd) => {
  const { dom } = await lookupDomain(session, cmd);
  const snap = await lookupSnapshot(session, cmd, dom, 'snapshotname');
  let flags = 0;
  if (cmd.bool('children')) flags |= SnapshotDeleteFlags.CHILDREN;
  if (cmd.bool('children-only')) flags |= SnapshotDeleteFlags.CHILDREN_ONLY;
  if (cmd.bool('metadata')) flags |= SnapshotDeleteFlags.METADATA_ONLY;
  try {
    await snap.delete(flags);
  } catch (err) {
    return session.fail(`Failed to delete snapshot ${snap.getName()}`, err);
  }
  session.out.printExtra(flags & SnapshotDeleteFlags.CHILDREN_ONLY ? `Domain snapshot ${snap.getName()} children deleted\n` : `Domain snapshot ${snap.getName()} deleted\n`);
  return true;
};
