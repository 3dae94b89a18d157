import { ErrorCode, ErrorDomain } from '../errors/codes.js';
import { VirtError } from '../errors/virt-error.js';
import { strToInt } from '../util/strtol.js';
import { formatXml } from '../xml/format.js';
import { XmlElement } from '../xml/node.js';
import { ElementReader, writeExtras, type XmlExtras } from '../xml/reader.js';
import { parseRoot, parseUUIDElement, xmlError } from './common.js';

/** Pool types, in libvirt's order (virStoragePoolType). */
export const STORAGE_POOL_TYPES = [
  'dir', 'fs', 'netfs', 'logical', 'disk', 'iscsi', 'iscsi-direct', 'scsi', 'mpath', 'rbd', 'sheepdog', 'gluster', 'zfs', 'vstorage',
] as const;
export type StoragePoolType = (typeof STORAGE_POOL_TYPES)[number];

/** Which source elements a pool type uses, and its source formats (libvirt's per-type options). */
interface PoolTypeOptions {
  host?: boolean;
  device?: boolean;
  dir?: boolean;
  adapter?: boolean;
  name?: boolean;
  initiator?: boolean;
  /** The pool lives on the network: no target path. */
  network?: boolean;
  /** Source formats, the first being the default. */
  formats?: readonly string[];
  /** Volume formats, the first being the default; none means volumes have no format. */
  volumeFormats?: readonly string[];
}

const FILE_FORMATS = ['raw', 'dir', 'bochs', 'cloop', 'dmg', 'iso', 'vpc', 'vdi', 'fat', 'vhd', 'ploop', 'cow', 'qcow', 'qcow2', 'qed', 'vmdk'];

const POOL_OPTIONS: Record<StoragePoolType, PoolTypeOptions> = {
  dir: { volumeFormats: FILE_FORMATS },
  fs: { device: true, formats: ['auto', 'ext2', 'ext3', 'ext4', 'ufs', 'iso9660', 'udf', 'gfs', 'gfs2', 'vfat', 'hfs+', 'xfs', 'ocfs2', 'vmfs'], volumeFormats: FILE_FORMATS },
  netfs: { host: true, dir: true, formats: ['auto', 'nfs', 'glusterfs', 'cifs'], volumeFormats: FILE_FORMATS },
  logical: { name: true, device: true, formats: ['lvm2', 'unknown'] },
  disk: {
    device: true,
    formats: ['unknown', 'dos', 'dvh', 'gpt', 'mac', 'bsd', 'pc98', 'sun', 'lvm2'],
    volumeFormats: ['none', 'linux', 'fat16', 'fat32', 'linux-swap', 'linux-lvm', 'linux-raid', 'extended'],
  },
  iscsi: { host: true, device: true, initiator: true },
  'iscsi-direct': { host: true, device: true, network: true, initiator: true },
  scsi: { adapter: true },
  mpath: {},
  rbd: { host: true, network: true, name: true, volumeFormats: FILE_FORMATS },
  sheepdog: { host: true, network: true, name: true },
  gluster: { host: true, network: true, name: true, dir: true, volumeFormats: FILE_FORMATS },
  zfs: { name: true, device: true },
  vstorage: { name: true, volumeFormats: FILE_FORMATS },
};

/** The formats volumes of a pool type may have (the first is the default), or undefined. */
export function volumeFormatsOf(type: StoragePoolType): readonly string[] | undefined {
  return POOL_OPTIONS[type].volumeFormats;
}

export interface StoragePermissions {
  mode?: number;
  owner?: number;
  group?: number;
  label?: string;
}

export interface StoragePoolSourceDef {
  hosts: Array<{ name: string; port?: number }>;
  devices: Array<{ path: string; partSeparator?: string; extras?: XmlExtras }>;
  dir?: string;
  adapter?: XmlElement;
  name?: string;
  initiator?: XmlElement;
  format?: string;
  auth?: XmlElement;
  protocolVer?: string;
  vendor?: string;
  product?: string;
}

/** A storage pool definition (libvirt's pool XML). */
export interface StoragePoolDef {
  type: StoragePoolType;
  name: string;
  uuid: string;
  source: StoragePoolSourceDef;
  /** Undefined for network pools, which have no target. */
  target?: { path: string; permissions?: StoragePermissions };
  features?: XmlElement;
  refresh?: XmlElement;
  extras?: XmlExtras;
}

const STORAGE = ErrorDomain.STORAGE;

/** Remove duplicate and trailing slashes, as virFileSanitizePath. */
export function sanitizePath(path: string): string {
  let out = path.replace(/\/{2,}/g, '/');
  if (out.length > 1 && out.endsWith('/')) out = out.slice(0, -1);
  return out;
}

export function parsePermissions(el: XmlElement | undefined, domain: ErrorDomain): StoragePermissions | undefined {
  if (!el) return undefined;
  const perms: StoragePermissions = {};
  const mode = el.child('mode')?.text().trim();
  if (mode !== undefined) {
    const m = strToInt(mode, 'i', 8);
    if (!m || m.value < 0n || m.value > 0o777n) throw xmlError(domain, 'malformed octal mode');
    perms.mode = Number(m.value);
  }
  for (const key of ['owner', 'group'] as const) {
    const text = el.child(key)?.text().trim();
    if (text !== undefined) {
      const v = strToInt(text, 'i');
      if (!v) throw xmlError(domain, `malformed ${key} element`);
      perms[key] = Number(v.value);
    }
  }
  perms.label = el.child('label')?.text();
  return perms;
}

export function formatPermissions(parent: XmlElement, perms: StoragePermissions | undefined): void {
  if (!perms || (perms.mode === undefined && perms.owner === undefined && perms.group === undefined && perms.label === undefined)) return;
  const el = parent.add('permissions');
  if (perms.mode !== undefined) el.addText('mode', `0${perms.mode.toString(8)}`);
  el.addText('owner', perms.owner);
  el.addText('group', perms.group);
  el.addText('label', perms.label);
}

function parseSource(el: XmlElement | undefined, type: StoragePoolType): StoragePoolSourceDef {
  const options = POOL_OPTIONS[type];
  const source: StoragePoolSourceDef = { hosts: [], devices: [] };
  if (options.formats) source.format = options.formats[0];
  if (!el) return source;
  source.name = el.child('name')?.text();
  if (type === 'rbd' && source.name === undefined) throw xmlError(STORAGE, "element 'name' is mandatory for RBD pool");
  const format = el.child('format')?.attr('type');
  if (options.formats && format !== undefined) {
    if (!options.formats.includes(format)) throw VirtError.create(ErrorCode.CONFIG_UNSUPPORTED, STORAGE, `unknown pool format type ${format}`);
    source.format = format;
  }
  for (const host of el.childrenNamed('host')) {
    const name = host.attr('name');
    if (name === undefined) throw xmlError(STORAGE, 'missing storage pool host name');
    const portText = host.attr('port');
    let port: number | undefined;
    if (portText !== undefined) {
      const p = strToInt(portText, 'i');
      if (!p) throw xmlError(STORAGE, `Invalid value for attribute 'port' in element 'host': '${portText}'. Expected integer value`);
      port = Number(p.value);
    }
    source.hosts.push({ name, port });
  }
  for (const dev of el.childrenNamed('device')) {
    const r = new ElementReader(dev);
    const path = r.attr('path');
    if (path === undefined) throw xmlError(STORAGE, 'missing storage pool source device path');
    source.devices.push({ path, partSeparator: r.attr('part_separator'), extras: r.extras() });
  }
  const dir = el.child('dir')?.attr('path');
  if (dir !== undefined) source.dir = sanitizePath(dir);
  if (source.dir === undefined && type === 'gluster') source.dir = '/';
  source.adapter = el.child('adapter')?.clone();
  source.initiator = el.child('initiator')?.clone();
  source.auth = el.child('auth')?.clone();
  source.protocolVer = el.child('protocol')?.attr('ver');
  if (source.protocolVer !== undefined) {
    if (source.format !== 'nfs' && source.format !== 'auto') {
      throw VirtError.create(ErrorCode.CONFIG_UNSUPPORTED, STORAGE, `storage pool protocol ver unsupported for pool type '${source.format ?? ''}'`);
    }
  }
  source.vendor = el.child('vendor')?.attr('name');
  source.product = el.child('product')?.attr('name');
  return source;
}

/** Parse storage pool XML (virStoragePoolDefParseString). */
export function parseStoragePoolXML(xml: string): StoragePoolDef {
  const root = parseRoot(xml, '(storage_pool_definition)', 'pool', STORAGE);
  const r = new ElementReader(root);
  const typeText = r.attr('type');
  if (typeText === undefined) throw xmlError(STORAGE, "Missing required attribute 'type' in element 'pool'");
  if (!(STORAGE_POOL_TYPES as readonly string[]).includes(typeText)) {
    throw xmlError(STORAGE, `Invalid value for attribute 'type' in element 'pool': '${typeText}'.`);
  }
  const type = typeText as StoragePoolType;
  const options = POOL_OPTIONS[type];
  const source = parseSource(r.child('source'), type);

  let name = r.childText('name');
  if (name === undefined && options.name) name = source.name;
  if (name === undefined) throw xmlError(STORAGE, 'missing pool source name element');
  if (name.includes('/')) throw xmlError(STORAGE, `name ${name} cannot contain '/'`);
  const uuidText = r.childText('uuid');
  let uuid: string;
  try {
    uuid = parseUUIDElement(uuidText, STORAGE);
  } catch {
    throw xmlError(STORAGE, 'malformed uuid element');
  }

  if (options.host && source.hosts.length === 0) throw xmlError(STORAGE, 'missing storage pool source host name');
  if (options.dir && source.dir === undefined) throw xmlError(STORAGE, 'missing storage pool source path');
  if (options.name && source.name === undefined) source.name = name;
  const onlyDevice = options.device && !options.host && !options.dir && !options.adapter && !options.name && !options.initiator;
  if (onlyDevice && source.devices.length === 0) throw xmlError(STORAGE, 'missing storage pool source device name');

  const def: StoragePoolDef = { type, name, uuid, source };
  const targetEl = r.child('target');
  if (!options.network) {
    let path: string | undefined;
    if (type === 'logical') path = `/dev/${source.name}`;
    else if (type === 'zfs') path = `/dev/zvol/${source.name}`;
    else path = targetEl?.child('path')?.text();
    if (path === undefined) throw xmlError(STORAGE, 'missing storage pool target path');
    def.target = { path: sanitizePath(path), permissions: parsePermissions(targetEl?.child('permissions'), STORAGE) };
  }
  if (type === 'iscsi-direct' && !source.initiator) {
    throw VirtError.create(ErrorCode.CONFIG_UNSUPPORTED, STORAGE, 'missing initiator IQN');
  }
  def.features = r.child('features')?.clone();
  def.refresh = r.child('refresh')?.clone();
  // capacity, allocation and available are output only
  r.child('capacity');
  r.child('allocation');
  r.child('available');
  def.extras = r.extras();
  return def;
}

export interface StoragePoolSizes {
  capacity: bigint;
  allocation: bigint;
  available: bigint;
}

/** Format storage pool XML in libvirt's layout, with the pool's current sizes. */
export function formatStoragePoolXML(def: StoragePoolDef, sizes: StoragePoolSizes): string {
  const options = POOL_OPTIONS[def.type];
  const root = new XmlElement('pool', { type: def.type });
  root.addText('name', def.name);
  root.addText('uuid', def.uuid);
  root.addText('capacity', String(sizes.capacity), { unit: 'bytes' });
  root.addText('allocation', String(sizes.allocation), { unit: 'bytes' });
  root.addText('available', String(sizes.available), { unit: 'bytes' });
  if (def.features) root.append(def.features.clone());

  const src = root.add('source');
  src.expanded = true;
  const s = def.source;
  if (options.host) for (const h of s.hosts) src.add('host', { name: h.name, port: h.port || undefined });
  if (options.device) {
    for (const d of s.devices) writeExtras(src.add('device', { path: d.path, part_separator: d.partSeparator }), d.extras);
  }
  if (options.dir && s.dir !== undefined) src.add('dir', { path: s.dir });
  if (options.adapter && s.adapter) src.append(s.adapter.clone());
  if (options.name) src.addText('name', s.name);
  if (options.initiator && s.initiator) src.append(s.initiator.clone());
  if (options.formats) src.add('format', { type: s.format ?? options.formats[0] });
  if (s.auth) src.append(s.auth.clone());
  if (s.protocolVer !== undefined) src.add('protocol', { ver: s.protocolVer });
  if (s.vendor !== undefined) src.add('vendor', { name: s.vendor });
  if (s.product !== undefined) src.add('product', { name: s.product });

  if (def.target) {
    const target = root.add('target');
    target.addText('path', def.target.path);
    formatPermissions(target, def.target.permissions);
  }
  if (def.refresh) root.append(def.refresh.clone());
  writeExtras(root, def.extras);
  return formatXml(root);
}
