import { ErrorCode, ErrorDomain } from '../errors/codes.js';
import { VirtError } from '../errors/virt-error.js';
import { formatXml } from '../xml/format.js';
import { XmlElement } from '../xml/node.js';
import { ElementReader, writeExtras, type XmlExtras } from '../xml/reader.js';
import { parseRoot, xmlError } from './common.js';
import { formatDomainXML } from './domain/format.js';
import { parseDomainElement } from './domain/parse.js';
import type { DomainDef, DomainParseOptions } from './domain/types.js';

const SNAP = ErrorDomain.DOMAIN_SNAPSHOT;
const LOCATIONS = ['default', 'no', 'internal', 'external', 'manual'];

export interface SnapshotDiskDef {
  name: string;
  snapshot?: string;
  type?: string;
  /** driver and source children, as written. */
  children: XmlElement[];
}

/** A domain snapshot definition (libvirt's domainsnapshot XML). */
export interface DomainSnapshotDef {
  name?: string;
  description?: string;
  /** running, paused, shutoff, disk-snapshot... */
  state?: string;
  parent?: string;
  /** Seconds since the epoch. */
  creationTime?: number;
  memory?: { snapshot: string; file?: string };
  disks: SnapshotDiskDef[];
  /** The domain definition the snapshot returns to. */
  domain?: DomainDef;
  extras?: XmlExtras;
}

/**
 * Parse snapshot XML (virDomainSnapshotDefParseString). With `redefine`,
 * the recorded state, parent, time and domain are kept; otherwise the
 * driver computes them and they are ignored here, as libvirt does.
 */
export function parseSnapshotXML(xml: string, redefine: boolean, domainOptions: DomainParseOptions = {}): DomainSnapshotDef {
  const root = parseRoot(xml, '(domain_snapshot)', 'domainsnapshot', SNAP);
  const r = new ElementReader(root);
  const def: DomainSnapshotDef = { disks: [] };
  def.name = textOf(r.childText('name'));
  if (redefine && def.name === undefined) throw xmlError(SNAP, 'a redefined snapshot must have a name');
  def.description = textOf(r.childText('description'));
  const state = r.childText('state');
  const parent = r.child('parent')?.child('name')?.text();
  const creation = r.childText('creationTime');
  const domainEl = r.child('domain');
  if (redefine) {
    def.state = state;
    def.parent = parent;
    if (creation !== undefined) {
      const t = Number(creation);
      if (!Number.isSafeInteger(t)) throw xmlError(SNAP, 'missing creationTime from existing snapshot');
      def.creationTime = t;
    }
    if (domainEl) def.domain = parseDomainElement(domainEl, domainOptions);
  }
  const memoryEl = r.child('memory');
  if (memoryEl) {
    const snapshot = memoryEl.attr('snapshot');
    const file = memoryEl.attr('file');
    if (snapshot !== undefined && !LOCATIONS.includes(snapshot)) {
      throw xmlError(SNAP, `Invalid value for attribute 'snapshot' in element 'memory': '${snapshot}'.`);
    }
    if (snapshot === 'external' && file === undefined) throw xmlError(SNAP, 'external memory snapshots require a filename');
    def.memory = { snapshot: snapshot ?? (file !== undefined ? 'external' : 'default'), file };
  }
  for (const disk of r.child('disks')?.childrenNamed('disk') ?? []) {
    const name = disk.attr('name');
    if (name === undefined) throw VirtError.create(ErrorCode.INTERNAL_ERROR, SNAP, 'missing name from disk snapshot element');
    const snapshot = disk.attr('snapshot');
    if (snapshot !== undefined && !LOCATIONS.includes(snapshot)) {
      throw xmlError(SNAP, `Invalid value for attribute 'snapshot' in element 'disk': '${snapshot}'.`);
    }
    def.disks.push({ name, snapshot, type: disk.attr('type'), children: disk.elements().map((c) => c.clone()) });
  }
  r.child('active');
  r.child('cookie');
  def.extras = r.extras();
  return def;
}

function textOf(text: string | undefined): string | undefined {
  return text === '' ? undefined : text;
}

/** Format snapshot XML in libvirt's layout; the embedded domain is its inactive form. */
export function formatSnapshotXML(def: DomainSnapshotDef): string {
  const root = new XmlElement('domainsnapshot');
  root.addText('name', def.name);
  root.addText('description', def.description);
  root.addText('state', def.state);
  if (def.parent !== undefined) root.add('parent').addText('name', def.parent);
  root.addText('creationTime', def.creationTime);
  if (def.memory) root.add('memory', { snapshot: def.memory.snapshot, file: def.memory.file });
  if (def.disks.length > 0) {
    const disks = root.add('disks');
    for (const d of def.disks) {
      const el = disks.add('disk', { name: d.name, snapshot: d.snapshot, type: d.type });
      for (const c of d.children) el.append(c.clone());
    }
  }
  const domain = def.domain;
  if (domain) {
    // the embedded definition is written by the domain formatter, indented
    const holder = root.add('domain');
    holder.formatter = (_el, indent) => formatDomainXML(domain, { indent });
  }
  writeExtras(root, def.extras);
  return formatXml(root);
}
