import { DomainAffect, DomainState, DomainVcpuFlags, DomainXMLFlags, ErrorCode, formatCpuSet, parseXml, VcpuState, VirtError, type Connect } from '@virt/core-api';
import type { CommandHandler } from '../shell/command.js';
import { exclusive, requireOption } from '../shell/checks.js';
import type { Session } from '../shell/session.js';
import { field, lookupDomain } from './common.js';
import { printXML } from './xpath.js';

export const domid: CommandHandler = async (session, cmd) => {
  const { dom } = await lookupDomain(session, cmd, { uuid: true, name: true });
  const id = dom.getID();
  session.out.print(id === -1 ? '-\n' : `${id}\n`);
  return true;
};

export const domname: CommandHandler = async (session, cmd) => {
  const { dom } = await lookupDomain(session, cmd, { id: true, uuid: true });
  session.out.print(`${dom.getName()}\n`);
  return true;
};

export const domuuid: CommandHandler = async (session, cmd) => {
  const { dom } = await lookupDomain(session, cmd, { id: true, name: true });
  session.out.print(`${dom.getUUIDString()}\n`);
  return true;
};

export const dumpxml: CommandHandler = async (session, cmd) => {
  let flags = 0;
  if (cmd.bool('inactive')) flags |= DomainXMLFlags.INACTIVE;
  if (cmd.bool('security-info')) flags |= DomainXMLFlags.SECURE;
  if (cmd.bool('update-cpu')) flags |= DomainXMLFlags.UPDATE_CPU;
  if (cmd.bool('migratable')) flags |= DomainXMLFlags.MIGRATABLE;
  const { dom } = await lookupDomain(session, cmd);
  const xpath = cmd.stringQuiet('xpath');
  if (xpath === undefined && cmd.bool('xpath')) return false;
  return printXML(session, await dom.getXMLDesc(flags), xpath, cmd.bool('wrap'));
};

export const setmem: CommandHandler = async (session, cmd) => {
  exclusive(session, cmd, 'current', 'live');
  exclusive(session, cmd, 'current', 'config');
  const [config, live, current] = [cmd.bool('config'), cmd.bool('live'), cmd.bool('current')];
  let flags: number = DomainAffect.LIVE;
  if (config || live || current) {
    flags = DomainAffect.CURRENT;
    if (config) flags |= DomainAffect.CONFIG;
    if (live) flags |= DomainAffect.LIVE;
  }
  const { dom } = await lookupDomain(session, cmd);
  // the API takes an unsigned long of KiB
  const bytes = cmd.scaled('size', 1024n, (1n << 64n) - 1n)!;
  await dom.setMemoryFlags(Number((bytes + 1023n) / 1024n), flags);
  return true;
};

export const setvcpus: CommandHandler = async (session, cmd) => {
  exclusive(session, cmd, 'current', 'live');
  exclusive(session, cmd, 'current', 'config');
  exclusive(session, cmd, 'guest', 'config');
  requireOption(session, cmd, 'maximum', 'config');
  let flags = 0;
  if (cmd.bool('config')) flags |= DomainAffect.CONFIG;
  if (cmd.bool('live')) flags |= DomainAffect.LIVE;
  if (cmd.bool('guest')) flags |= DomainVcpuFlags.GUEST;
  if (cmd.bool('maximum')) flags |= DomainVcpuFlags.MAXIMUM;
  if (cmd.bool('hotpluggable')) flags |= DomainVcpuFlags.HOTPLUGGABLE;
  const { dom } = await lookupDomain(session, cmd);
  const count = cmd.int('count', 'uip')!;
  if (count === 0) return session.fail("Can't set 0 processors for a VM");
  if (!cmd.bool('current') && flags === 0) await dom.setVcpus(count);
  else await dom.setVcpusFlags(count, flags);
  return true;
};

/** How many CPUs the host has, for affinity maps (virshNodeGetCPUCount). */
async function hostCpuCount(conn: Connect): Promise<number> {
  try {
    return (await conn.nodeGetCPUMap()).length;
  } catch (err) {
    if (!(err instanceof VirtError) || err.code !== ErrorCode.NO_SUPPORT) throw err;
    return (await conn.nodeGetInfo()).cpus;
  }
}

function affinityLine(map: readonly boolean[], maxcpu: number, pretty: boolean): string {
  const used = map.slice(0, maxcpu);
  const text = pretty
    ? `${formatCpuSet(used.flatMap((on, i) => (on ? [i] : [])))} (out of ${maxcpu})`
    : used.map((on) => (on ? 'y' : '-')).join('') + '-'.repeat(Math.max(0, maxcpu - used.length));
  return field('CPU Affinity:', text);
}

function vcpuStateName(state: number): string {
  return ['offline', 'running', 'blocked'][state] ?? 'no state';
}

/** Which vCPUs are online in the persistent configuration (virshDomainGetVcpuBitmap). */
async function onlineVcpus(session: Session, xml: string): Promise<number[]> {
  const doc = parseXml(xml, '(domain_definition)');
  const vcpu = doc.child('vcpu');
  const max = Number(vcpu?.text() ?? NaN);
  if (!Number.isInteger(max)) return session.fail('Failed to retrieve maximum vcpu count');
  const current = Number(vcpu?.attr('current') ?? 0) || max;
  const states = doc.child('vcpus')?.childrenNamed('vcpu') ?? [];
  if (states.length === 0) return Array.from({ length: current }, (_, i) => i);
  const online = states.filter((v) => v.attr('enabled') === 'yes').map((v) => Number(v.attr('id')));
  if (online.length !== current) return session.fail('Failed to retrieve vcpu state bitmap');
  return online.sort((a, b) => a - b);
}

export const vcpuinfo: CommandHandler = async (session, cmd) => {
  const { dom } = await lookupDomain(session, cmd);
  const conn = await session.connect();
  const pretty = cmd.bool('pretty');
  const maxcpu = await hostCpuCount(conn);
  const info = await dom.getInfo();
  let vcpus;
  try {
    vcpus = await dom.getVcpus();
  } catch (err) {
    if (info.state !== DomainState.SHUTOFF) throw err;
    // an inactive domain has no running vCPUs: show its pinning instead
    const online = await onlineVcpus(session, await dom.getXMLDesc(DomainXMLFlags.INACTIVE));
    const pins = await dom.getVcpuPinInfo(maxcpu, DomainAffect.CONFIG);
    session.out.print(
      online
        .map((n) => field('VCPU:', String(n)) + field('CPU:', 'N/A') + field('State:', 'N/A') + field('CPU time', 'N/A') + affinityLine(pins[n] ?? [], maxcpu, pretty))
        .join('\n'),
    );
    return true;
  }
  const blocks = vcpus.map((v) => {
    let text = field('VCPU:', String(v.number)) + field('CPU:', String(v.cpu)) + field('State:', vcpuStateName(v.state === VcpuState.OFFLINE ? 0 : v.state));
    if (v.cpuTime !== 0n) text += field('CPU time:', `${(Number(v.cpuTime) / 1e9).toFixed(1)}s`);
    return text + affinityLine(v.affinity, maxcpu, pretty);
  });
  session.out.print(blocks.join('\n'));
  return true;
};
