import { ErrorCode, ErrorDomain } from '../errors/codes.js';
import { VirtError } from '../errors/virt-error.js';
import { strToInt } from '../util/strtol.js';
import { formatXml } from '../xml/format.js';
import { XmlElement } from '../xml/node.js';
import { ElementReader, writeExtras, type XmlExtras } from '../xml/reader.js';
import { elementString, enumAttribute, intAttribute, nonEmpty, parseRoot, parseUUIDElement, unsupportedConfig, xmlDetail, xmlError, yesNoAttribute } from './common.js';
import { checkPoolAuth, parseAdapter, validateAdapter, type AdapterSummary } from './storage-checks.js';

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
  /** Source formats, in libvirt's enum order (which some messages depend on). */
  formats?: readonly string[];
  /** The source format when none is given; the first of `formats` unless said otherwise. */
  defaultFormat?: string;
  /** Volume formats, the first being the default; none means volumes have no format. */
  volumeFormats?: readonly string[];
}

const FILE_FORMATS = ['raw', 'dir', 'bochs', 'cloop', 'dmg', 'iso', 'vpc', 'vdi', 'fat', 'vhd', 'ploop', 'cow', 'qcow', 'qcow2', 'qed', 'vmdk'];
/** Formats of a netfs pool; libvirt also names other pools' formats with this list in one message. */
const NETFS_FORMATS = ['auto', 'nfs', 'glusterfs', 'cifs'];

const POOL_OPTIONS: Record<StoragePoolType, PoolTypeOptions> = {
  dir: { volumeFormats: FILE_FORMATS },
  fs: { device: true, formats: ['auto', 'ext2', 'ext3', 'ext4', 'ufs', 'iso9660', 'udf', 'gfs', 'gfs2', 'vfat', 'hfs+', 'xfs', 'ocfs2', 'vmfs'], volumeFormats: FILE_FORMATS },
  netfs: { host: true, dir: true, formats: NETFS_FORMATS, volumeFormats: FILE_FORMATS },
  logical: { name: true, device: true, formats: ['unknown', 'lvm2'], defaultFormat: 'lvm2' },
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

function defaultFormatOf(options: PoolTypeOptions): string | undefined {
  return options.defaultFormat ?? options.formats?.[0];
}

/** The formats volumes of a pool type may have (the first is the default), or undefined. */
export function volumeFormatsOf(type: StoragePoolType): readonly string[] | undefined {
  return POOL_OPTIONS[type].volumeFormats;
}

export interface StoragePermissions {
  mode?: number;
  /** 0 to 2^32-2; libvirt keeps -1 (and 2^32-1, the same uid_t) as "not set". */
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
  /** `<features><cow state='yes|no'/></features>` (fs and dir pools only). */
  cow?: boolean;
  /** `<refresh><volume allocation='…'/></refresh>`. */
  refreshAllocation?: 'default' | 'capacity';
  extras?: XmlExtras;
}

const STORAGE = ErrorDomain.STORAGE;

/**
 * Remove repeated and trailing slashes, as virFileSanitizePath: a leading
 * "//" is kept (POSIX lets it mean something else than "/"), and URIs are
 * left alone.
 */
export function sanitizePath(path: string): string {
  const scheme = path.indexOf('://');
  if (scheme >= 0 && path.indexOf('/') > scheme) return path;
  const prefix = path.startsWith('//') && path[2] !== '/' ? '//' : '';
  let rest = path.slice(prefix.length).replace(/\/+/g, '/');
  // a trailing slash goes, unless it is all there is
  if (rest.endsWith('/') && prefix.length + rest.length > 1) rest = rest.slice(0, -1);
  return prefix + rest;
}

/** A uid or gid as virStorageDefParsePerms takes it: any 32-bit unsigned value, or -1 for "not set". */
function parseOwnerId(el: XmlElement, domain: ErrorDomain): number | undefined {
  const parsed = strToInt(elementString(el) ?? '', 'll');
  const value = parsed?.value;
  const valid = value !== undefined && (value === -1n || (value >= 0n && value <= 0xffffffffn));
  if (!valid) throw xmlError(domain, `malformed ${el.name} element`);
  return value === -1n || value === 0xffffffffn ? undefined : Number(value);
}

/** `<permissions>` of a pool target or a volume (virStorageDefParsePerms). */
export function parsePermissions(el: XmlElement | undefined, domain: ErrorDomain): StoragePermissions | undefined {
  if (!el) return undefined;
  const perms: StoragePermissions = {};
  const mode = elementString(el.child('mode'));
  if (mode !== undefined) {
    const m = strToInt(mode, 'i', 8);
    if (!m || m.value < 0n || m.value > 0o777n) throw xmlError(domain, 'malformed octal mode');
    perms.mode = Number(m.value);
  }
  for (const key of ['owner', 'group'] as const) {
    const idEl = el.child(key);
    if (idEl) perms[key] = parseOwnerId(idEl, domain);
  }
  perms.label = elementString(el.child('label'));
  return perms;
}

export function formatPermissions(parent: XmlElement, perms: StoragePermissions | undefined): void {
  if (!perms || (perms.mode === undefined && perms.owner === undefined && perms.group === undefined && perms.label === undefined)) return;
  const el = parent.add('permissions');
  if (perms.mode !== undefined) el.addText('mode', `0${perms.mode.toString(8)}`);
  // libvirt prints ids as signed ints
  el.addText('owner', perms.owner === undefined ? undefined : perms.owner | 0);
  el.addText('group', perms.group === undefined ? undefined : perms.group | 0);
  el.addText('label', perms.label);
}

/** A pool's source, and what its `<adapter>` (kept as written) says, for the checks that need it. */
interface ParsedSource {
  source: StoragePoolSourceDef;
  adapter: AdapterSummary;
}

/** Parse a pool's `<source>` (virStoragePoolDefParseSource), checking what libvirt checks. */
function parseSource(el: XmlElement | undefined, type: StoragePoolType): ParsedSource {
  const options = POOL_OPTIONS[type];
  const source: StoragePoolSourceDef = { hosts: [], devices: [], format: defaultFormatOf(options) };
  if (!el) return { source, adapter: {} };
  source.name = elementString(el.child('name'));
  if (type === 'rbd' && source.name === undefined) throw xmlError(STORAGE, "element 'name' is mandatory for RBD pool");
  const format = nonEmpty(el.child('format')?.attr('type'));
  if (options.formats && format !== undefined) {
    if (!options.formats.includes(format)) throw unsupportedConfig(STORAGE, `unknown pool format type ${format}`);
    source.format = format;
  }
  source.hosts = el.childrenNamed('host').map(parseHost);
  source.initiator = el.child('initiator')?.clone();
  source.devices = el.childrenNamed('device').map(parseDevice);
  const dir = nonEmpty(el.child('dir')?.attr('path'));
  if (dir !== undefined) source.dir = sanitizePath(dir);
  if (source.dir === undefined && type === 'gluster') source.dir = '/';
  source.adapter = el.child('adapter')?.clone();
  const adapter = parseAdapter(source.adapter);
  source.auth = el.child('auth')?.clone();
  if (source.auth) checkPoolAuth(source.auth);
  source.protocolVer = nonEmpty(el.child('protocol')?.attr('ver'));
  if (source.protocolVer !== undefined) checkProtocolVersion(source.protocolVer, options, source.format);
  source.vendor = nonEmpty(el.child('vendor')?.attr('name'));
  source.product = nonEmpty(el.child('product')?.attr('name'));
  return { source, adapter };
}

function parseHost(el: XmlElement): { name: string; port?: number } {
  const name = el.attr('name');
  if (name === undefined) throw xmlError(STORAGE, 'missing storage pool host name');
  return { name, port: intAttribute(el, 'port', 'i', STORAGE) };
}

function parseDevice(el: XmlElement): StoragePoolSourceDef['devices'][number] {
  const r = new ElementReader(el);
  const path = r.attr('path');
  if (path === undefined) throw xmlError(STORAGE, 'missing storage pool source device path');
  const partSeparator = yesNoAttribute(r, 'part_separator', STORAGE);
  return { path, partSeparator: partSeparator === undefined ? undefined : partSeparator ? 'yes' : 'no', extras: r.extras() };
}

/**
 * The NFS protocol version: for NFS (or auto-detected) netfs pools only.
 * libvirt compares the format's number with those of netfs' "auto" and
 * "nfs" whatever the pool type, so e.g. a dir pool (format 0) passes and an
 * ext3 fs pool is refused under the netfs name of number 2, "glusterfs".
 */
function checkProtocolVersion(ver: string, options: PoolTypeOptions, format: string | undefined): void {
  const formatNumber = options.formats && format !== undefined ? options.formats.indexOf(format) : 0;
  if (formatNumber !== 0 && formatNumber !== 1) {
    throw unsupportedConfig(STORAGE, `storage pool protocol ver unsupported for pool type '${NETFS_FORMATS[formatNumber] ?? '(null)'}'`);
  }
  if (ver.includes(',')) throw xmlDetail(STORAGE, `storage pool protocol ver '${ver}' must not contain ','`);
}

/** `<features><cow state='…'/>`: only fs and dir pools can turn copy-on-write off or on. */
function parseCowFeature(features: XmlElement | undefined, type: StoragePoolType): boolean | undefined {
  const cow = yesNoAttribute(features?.child('cow'), 'state', STORAGE);
  if (cow !== undefined && type !== 'fs' && type !== 'dir') {
    throw VirtError.create(ErrorCode.NO_SUPPORT, STORAGE, "cow feature may only be used for 'fs' and 'dir' pools");
  }
  return cow;
}

const REFRESH_ALLOCATIONS = ['default', 'capacity'] as const;

function parseRefreshAllocation(refresh: XmlElement | undefined): StoragePoolDef['refreshAllocation'] {
  const allocation = nonEmpty(refresh?.child('volume')?.attr('allocation'));
  if (allocation === undefined) return undefined;
  const known = REFRESH_ALLOCATIONS.find((a) => a === allocation);
  if (!known) throw unsupportedConfig(STORAGE, `unknown storage pool volume refresh allocation type ${allocation}`);
  return known;
}

/** Check that the source has what the pool type needs (the middle of virStoragePoolDefParseXML). */
function checkRequiredSource({ source, adapter }: ParsedSource, options: PoolTypeOptions): void {
  if (options.host && source.hosts.length === 0) throw xmlError(STORAGE, 'missing storage pool source host name');
  if (options.dir && source.dir === undefined) throw xmlError(STORAGE, 'missing storage pool source path');
  if (options.adapter) validateAdapter(adapter);
  const onlyDevice = options.device && !options.host && !options.dir && !options.adapter && !options.name && !options.initiator && !options.network;
  if (onlyDevice && source.devices.length === 0) throw xmlError(STORAGE, 'missing storage pool source device name');
}

/** Parse storage pool XML (virStoragePoolDefParseString), with libvirt's checks in libvirt's order. */
export function parseStoragePoolXML(xml: string): StoragePoolDef {
  const root = parseRoot(xml, '(storage_pool_definition)', 'pool', STORAGE);
  const r = new ElementReader(root);
  const type = enumAttribute(r, 'type', STORAGE_POOL_TYPES, STORAGE, { required: true })!;
  const options = POOL_OPTIONS[type];
  const parsedSource = parseSource(r.child('source'), type);
  const { source } = parsedSource;

  let name = elementString(r.child('name'));
  if (name === undefined && options.name) name = source.name;
  if (name === undefined) throw xmlError(STORAGE, 'missing pool source name element');
  if (name.includes('/')) throw xmlError(STORAGE, `name ${name} cannot contain '/'`);
  const uuid = parseUUIDElement(elementString(r.child('uuid')), STORAGE, ErrorCode.XML_ERROR);
  const cow = parseCowFeature(r.child('features'), type);

  checkRequiredSource(parsedSource, options);
  if (options.name) source.name ??= name;

  const def: StoragePoolDef = { type, name, uuid, source, cow };
  const targetEl = r.child('target');
  if (!options.network) {
    let path: string | undefined;
    if (type === 'logical') path = `/dev/${source.name}`;
    else if (type === 'zfs') path = `/dev/zvol/${source.name}`;
    else path = elementString(targetEl?.child('path'));
    if (path === undefined) throw xmlError(STORAGE, 'missing storage pool target path');
    def.target = { path: sanitizePath(path), permissions: parsePermissions(targetEl?.child('permissions'), STORAGE) };
  }
  const iqn = nonEmpty(source.initiator?.child('iqn')?.attr('name'));
  if (type === 'iscsi-direct' && iqn === undefined) throw unsupportedConfig(STORAGE, 'missing initiator IQN');
  def.refreshAllocation = parseRefreshAllocation(r.child('refresh'));
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
  if (def.cow !== undefined) root.add('features').add('cow', { state: def.cow ? 'yes' : 'no' });

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
  if (options.formats) src.add('format', { type: s.format ?? defaultFormatOf(options) });
  if (s.auth) src.append(s.auth.clone());
  if (s.protocolVer !== undefined) src.add('protocol', { ver: s.protocolVer });
  if (s.vendor !== undefined) src.add('vendor', { name: s.vendor });
  if (s.product !== undefined) src.add('product', { name: s.product });

  if (def.target) {
    const target = root.add('target');
    target.addText('path', def.target.path);
    formatPermissions(target, def.target.permissions);
  }
  if (def.refreshAllocation) root.add('refresh').add('volume', { allocation: def.refreshAllocation });
  writeExtras(root, def.extras);
  return formatXml(root);
}
