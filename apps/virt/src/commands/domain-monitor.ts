import { DomainMetadataType, DomainState, ErrorCode, DomainXMLFlags, ListDomainsFlags, parseXml, VirtError, type Domain, type XmlElement } from '@virt/core-api';
import type { CommandHandler } from '../shell/command.js';
import { exclusive } from '../shell/checks.js';
import { DebugLevel } from '../shell/output.js';
import { formatTable } from '../shell/table.js';
import type { Session } from '../shell/session.js';
import { byNameCaseless, domainReasonName, domainStateName, field, lookupDomain } from './common.js';
import { printJSON } from './json.js';

/** Active domains by ID, then inactive ones by name, case-insensitively (virshDomainSorter). */
function sortDomains(domains: Domain[]): Domain[] {
  return domains.sort((a, b) => {
    const ia = a.getID();
    const ib = b.getID();
    if (ia !== -1 && ib !== -1) return ia - ib;
    if (ia !== -1) return -1;
    if (ib !== -1) return 1;
    return byNameCaseless(a.getName(), b.getName());
  });
}

/** The title of a domain, empty when it has none (virshGetDomainDescription). */
async function titleOf(session: Session, dom: Domain): Promise<string> {
  try {
    return await dom.getMetadata(DomainMetadataType.TITLE);
  } catch (err) {
    if (err instanceof VirtError) return '';
    throw err;
  }
}

export const list: CommandHandler = async (session, cmd) => {
  const F = ListDomainsFlags;
  let flags: number = F.ACTIVE;
  if (cmd.bool('inactive') || cmd.bool('state-shutoff')) flags = F.INACTIVE;
  if (cmd.bool('all')) flags = F.INACTIVE | F.ACTIVE;
  const filters: Array<[string, number]> = [
    ['persistent', F.PERSISTENT],
    ['transient', F.TRANSIENT],
    ['with-managed-save', F.MANAGEDSAVE],
    ['without-managed-save', F.NO_MANAGEDSAVE],
    ['autostart', F.AUTOSTART],
    ['no-autostart', F.NO_AUTOSTART],
    ['with-snapshot', F.HAS_SNAPSHOT],
    ['without-snapshot', F.NO_SNAPSHOT],
    ['with-checkpoint', F.HAS_CHECKPOINT],
    ['without-checkpoint', F.NO_CHECKPOINT],
    ['state-running', F.RUNNING],
    ['state-paused', F.PAUSED],
    ['state-shutoff', F.SHUTOFF],
    ['state-other', F.OTHER],
  ];
  for (const [name, bit] of filters) if (cmd.bool(name)) flags |= bit;
  exclusive(session, cmd, 'table', 'name');
  exclusive(session, cmd, 'table', 'uuid');
  exclusive(session, cmd, 'table', 'id');
  const [optUUID, optName, optID] = [cmd.bool('uuid'), cmd.bool('name'), cmd.bool('id')];
  const optTable = cmd.bool('table') || (!optUUID && !optName && !optID);

  const conn = await session.connect();
  let domains: Domain[];
  try {
    domains = sortDomains(await conn.listAllDomains(flags));
  } catch (err) {
    return session.fail('Failed to list domains', err);
  }

  if (cmd.bool('json')) {
    const rows = [];
    for (const dom of domains) {
      const { state, reason } = await dom.getState();
      rows.push({
        id: dom.getID() === -1 ? null : dom.getID(),
        name: dom.getName(),
        uuid: dom.getUUIDString(),
        state: domainStateName(state),
        reason: domainReasonName(state, reason),
        persistent: await dom.isPersistent(),
        autostart: await dom.getAutostart(),
        managed_save: await dom.hasManagedSaveImage(),
        title: await titleOf(session, dom),
      });
    }
    printJSON(session, rows);
    return true;
  }

  if (!optTable) {
    let out = '';
    for (const dom of domains) {
      const id = dom.getID();
      const parts: string[] = [];
      if (optUUID) parts.push(dom.getUUIDString());
      if (optID) {
        if (id === -1 && !optUUID && !optName) continue;
        parts.push(id === -1 ? '-' : String(id));
      }
      if (optName) parts.push(dom.getName());
      out += parts.join(' ') + '\n';
    }
    session.out.print(out);
    return true;
  }

  const optTitle = cmd.bool('title');
  const rows: string[][] = [];
  for (const dom of domains) {
    let state: number;
    try {
      state = (await dom.getState()).state;
    } catch (err) {
      // the domain went away meanwhile
      if (err instanceof VirtError) continue;
      throw err;
    }
    const id = dom.getID();
    const saved = cmd.bool('managed-save') && state === DomainState.SHUTOFF && (await dom.hasManagedSaveImage());
    const row = [id === -1 ? '-' : String(id), dom.getName(), saved ? 'saved' : domainStateName(state)];
    if (optTitle) row.push(await titleOf(session, dom));
    rows.push(row);
  }
  const header = optTitle ? ['Id', 'Name', 'State', 'Title'] : ['Id', 'Name', 'State'];
  session.out.print(formatTable(header, rows, !session.out.quiet));
  return true;
};

export const dominfo: CommandHandler = async (session, cmd) => {
  const { dom } = await lookupDomain(session, cmd);
  const conn = await session.connect();
  const id = dom.getID();
  const osType = await dom.getOSType().catch((e: unknown) => void session.absorb(e));
  let info;
  try {
    info = await dom.getInfo();
  } catch (err) {
    session.absorb(err);
  }
  const persistent = await dom.isPersistent().catch((e: unknown) => void session.absorb(e));
  const autostart = await dom.getAutostart().catch((e: unknown) => void session.absorb(e));
  const managedSave = await dom.hasManagedSaveImage().catch((e: unknown) => void session.absorb(e));
  let secmodel;
  try {
    secmodel = await conn.nodeGetSecurityModel();
  } catch (err) {
    if (!(err instanceof VirtError) || err.code !== ErrorCode.NO_SUPPORT) throw err;
  }
  const label = secmodel?.model ? await dom.getSecurityLabel() : undefined;

  if (cmd.bool('json')) {
    printJSON(session, {
      id: id === -1 ? null : id,
      name: dom.getName(),
      uuid: dom.getUUIDString(),
      os_type: osType ?? null,
      state: info ? domainStateName(info.state) : null,
      cpus: info?.nrVirtCpu ?? null,
      cpu_time_ns: info ? Number(info.cpuTime) : null,
      max_memory_kib: info?.maxMem ?? null,
      used_memory_kib: info?.memory ?? null,
      persistent: persistent ?? null,
      autostart: autostart ?? null,
      managed_save: managedSave ?? null,
      security_model: secmodel?.model || null,
      security_doi: secmodel?.model ? secmodel.doi : null,
      security_label: label?.label || null,
      security_enforcing: label?.label ? label.enforcing : null,
    });
    return info !== undefined;
  }

  let out = field('Id:', id === -1 ? '-' : String(id));
  out += field('Name:', dom.getName());
  out += field('UUID:', dom.getUUIDString());
  if (osType !== undefined) out += field('OS Type:', osType);
  if (info) {
    out += field('State:', domainStateName(info.state));
    out += field('CPU(s):', String(info.nrVirtCpu));
    if (info.cpuTime !== 0n) out += field('CPU time:', `${(Number(info.cpuTime) / 1e9).toFixed(1)}s`);
    out += field('Max memory:', info.maxMem === 0xffffffff ? 'no limit' : `${info.maxMem} KiB`);
    out += field('Used memory:', `${info.memory} KiB`);
  }
  // virsh shows the flag at debug level right before its line: print what comes before first
  session.out.print(out);
  session.debug(DebugLevel.DEBUG, `Domain persistent flag value: ${persistent === undefined ? -1 : Number(persistent)}`);
  out = field('Persistent:', persistent === undefined ? 'unknown' : persistent ? 'yes' : 'no');
  if (autostart !== undefined) out += field('Autostart:', autostart ? 'enable' : 'disable');
  out += field('Managed save:', managedSave === undefined ? 'unknown' : managedSave ? 'yes' : 'no');
  if (secmodel?.model) {
    out += field('Security model:', secmodel.model);
    out += field('Security DOI:', secmodel.doi);
    if (label?.label) out += field('Security label:', `${label.label} (${label.enforcing ? 'enforcing' : 'permissive'})`);
  }
  session.out.print(out);
  return info !== undefined;
};

export const domstate: CommandHandler = async (session, cmd) => {
  const { dom } = await lookupDomain(session, cmd);
  const { state, reason } = await dom.getState();
  session.out.print(cmd.bool('reason') ? `${domainStateName(state)} (${domainReasonName(state, reason)})\n` : `${domainStateName(state)}\n`);
  return true;
};

/** The domain's XML as a tree, live or persistent. */
async function domainXml(session: Session, dom: Domain, inactive: boolean): Promise<XmlElement> {
  return parseXml(await dom.getXMLDesc(inactive ? DomainXMLFlags.INACTIVE : 0), '(domain_definition)');
}

/** The first of several source attributes that is set, else "-". */
function sourceOf(el: XmlElement | undefined, keys: readonly string[]): string {
  for (const key of keys) {
    const v = el?.attr(key);
    if (v !== undefined) return v;
  }
  return '-';
}

export const domblklist: CommandHandler = async (session, cmd) => {
  const { dom } = await lookupDomain(session, cmd);
  const xml = await domainXml(session, dom, cmd.bool('inactive'));
  const details = cmd.bool('details');
  const rows: string[][] = [];
  for (const disk of xml.child('devices')?.childrenNamed('disk') ?? []) {
    const target = disk.child('target')?.attr('dev') ?? '-';
    const src = disk.child('source');
    let source = sourceOf(src, ['file', 'dev', 'dir', 'name', 'volume', 'path']);
    if (disk.attr('type') === 'nvme' && src) {
      const addr = src.child('address');
      source = `nvme://${addr?.attr('domain') ?? ''}:${addr?.attr('bus') ?? ''}:${addr?.attr('slot') ?? ''}.${addr?.attr('function') ?? ''}/${src.attr('namespace') ?? ''}`;
    }
    rows.push(details ? [disk.attr('type') ?? '-', disk.attr('device') ?? '-', target, source] : [target, source]);
  }
  const header = details ? ['Type', 'Device', 'Target', 'Source'] : ['Target', 'Source'];
  session.out.print(formatTable(header, rows, !session.out.quiet));
  return true;
};

export const domiflist: CommandHandler = async (session, cmd) => {
  const { dom } = await lookupDomain(session, cmd);
  const xml = await domainXml(session, dom, cmd.bool('inactive'));
  const rows: string[][] = [];
  for (const net of xml.child('devices')?.childrenNamed('interface') ?? []) {
    rows.push([
      net.child('target')?.attr('dev') ?? '-',
      net.attr('type') ?? '-',
      sourceOf(net.child('source'), ['bridge', 'dev', 'network', 'name', 'path']),
      net.child('model')?.attr('type') ?? '-',
      net.child('mac')?.attr('address') ?? '-',
    ]);
  }
  session.out.print(formatTable(['Interface', 'Type', 'Source', 'Model', 'MAC'], rows, !session.out.quiet));
  return true;
};
