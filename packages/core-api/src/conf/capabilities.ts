import { formatXml } from '../xml/format.js';
import { XmlElement } from '../xml/node.js';

export interface NumaCellCPU {
  id: number;
  socketId: number;
  dieId: number;
  coreId: number;
  /** Sibling CPU list, e.g. "0" or "0,8". */
  siblings: string;
}

export interface NumaCell {
  id: number;
  /** KiB; omitted when unknown. */
  memory?: number;
  /** Page size (KiB) → pages available. */
  pages: Array<{ size: number; count: number }>;
  cpus: NumaCellCPU[];
}

export interface HostCapabilities {
  uuid?: string;
  arch: string;
  /** CPU feature flags listed under host/cpu/features (pae, vmx...). */
  cpuFeatures: string[];
  /** A `<model>`, `<vendor>`, `<topology>`... block describing the host CPU, when known. */
  cpuDetails?: XmlElement[];
  /** Page sizes in KiB. */
  pageSizes: number[];
  /** suspend_mem, suspend_disk, suspend_hybrid. */
  powerManagement: string[];
  iommu: boolean;
  migrationTransports?: string[];
  netprefix?: string;
  /** NUMA cells; undefined when the host has no NUMA information. */
  cells?: NumaCell[];
  secmodels: Array<{ model: string; doi: string; baselabels?: Array<{ type: string; label: string }> }>;
}

export interface GuestMachine {
  name: string;
  canonical?: string;
  maxCpus?: number;
  deprecated?: boolean;
}

export interface GuestDomain {
  type: string;
  emulator?: string;
  loader?: string;
  machines?: GuestMachine[];
}

export interface GuestCapabilities {
  osType: string;
  arch: string;
  wordsize: number;
  emulator?: string;
  loader?: string;
  machines?: GuestMachine[];
  domains: GuestDomain[];
  /** Feature name → its default/toggle attributes, in libvirt's feature order. */
  features: Array<{ name: string; default?: 'on' | 'off'; toggle?: 'yes' | 'no' }>;
}

export interface Capabilities {
  host: HostCapabilities;
  guests: GuestCapabilities[];
}

function machineElement(parent: XmlElement, m: GuestMachine, withDeprecated: boolean): void {
  parent.addText('machine', m.name, {
    canonical: m.canonical,
    maxCpus: m.maxCpus && m.maxCpus > 0 ? m.maxCpus : undefined,
    deprecated: withDeprecated && m.deprecated ? 'yes' : undefined,
  });
}

function hostElement(host: HostCapabilities): XmlElement {
  const el = new XmlElement('host');
  el.addText('uuid', host.uuid);
  const cpu = el.add('cpu');
  cpu.addText('arch', host.arch);
  if (host.cpuFeatures.length > 0) {
    const features = cpu.add('features');
    for (const f of host.cpuFeatures) features.add(f);
  }
  for (const detail of host.cpuDetails ?? []) cpu.append(detail.clone());
  for (const size of host.pageSizes) cpu.add('pages', { unit: 'KiB', size });
  const pm = el.add('power_management');
  for (const p of host.powerManagement) pm.add(p);
  el.add('iommu', { support: host.iommu ? 'yes' : 'no' });
  if (host.migrationTransports) {
    const mig = el.add('migration_features');
    mig.add('live');
    const transports = mig.add('uri_transports');
    for (const t of host.migrationTransports) transports.addText('uri_transport', t);
  }
  el.addText('netprefix', host.netprefix);
  if (host.cells) {
    const cells = el.add('topology').add('cells', { num: host.cells.length });
    cells.expanded = true;
    for (const c of host.cells) {
      const cell = cells.add('cell', { id: c.id });
      if (c.memory) cell.addText('memory', c.memory, { unit: 'KiB' });
      for (const p of c.pages) cell.addText('pages', p.count, { unit: 'KiB', size: p.size });
      const cpus = cell.add('cpus', { num: c.cpus.length });
      for (const u of c.cpus) {
        cpus.add('cpu', { id: u.id, socket_id: u.socketId, die_id: u.dieId, core_id: u.coreId, siblings: u.siblings });
      }
    }
  }
  for (const sm of host.secmodels) {
    const secmodel = el.add('secmodel');
    secmodel.addText('model', sm.model);
    secmodel.addText('doi', sm.doi);
    for (const b of sm.baselabels ?? []) secmodel.addText('baselabel', b.label, { type: b.type });
  }
  return el;
}

function guestElement(guest: GuestCapabilities): XmlElement {
  const el = new XmlElement('guest');
  el.addText('os_type', guest.osType);
  const arch = el.add('arch', { name: guest.arch });
  arch.addText('wordsize', guest.wordsize);
  arch.addText('emulator', guest.emulator);
  arch.addText('loader', guest.loader);
  for (const m of guest.machines ?? []) machineElement(arch, m, true);
  for (const d of guest.domains) {
    const dom = arch.add('domain', { type: d.type });
    dom.addText('emulator', d.emulator);
    dom.addText('loader', d.loader);
    for (const m of d.machines ?? []) machineElement(dom, m, false);
  }
  if (guest.features.length > 0) {
    const features = el.add('features');
    for (const f of guest.features) features.add(f.name, { default: f.default, toggle: f.toggle });
  }
  return el;
}

/**
 * Format capabilities XML in libvirt's layout: like other documents, but
 * with a blank line after the opening tag and after the host and each guest.
 */
export function formatCapabilitiesXML(caps: Capabilities): string {
  let out = '<capabilities>\n\n';
  out += formatXml(hostElement(caps.host), 2) + '\n';
  for (const guest of caps.guests) out += formatXml(guestElement(guest), 2) + '\n';
  return out + '</capabilities>\n';
}
