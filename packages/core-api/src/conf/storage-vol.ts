import { ErrorDomain } from '../errors/codes.js';
import { strToInt } from '../util/strtol.js';
import { scaleInteger, ULLONG_MAX } from '../util/scale.js';
import { formatXml } from '../xml/format.js';
import { XmlElement } from '../xml/node.js';
import { ElementReader, writeExtras, type XmlExtras } from '../xml/reader.js';
import { elementString, nonEmpty, parseRoot, parseScaledValue, unsupportedConfig, xmlError } from './common.js';
import { checkEncryption } from './storage-checks.js';
import { formatPermissions, parsePermissions, volumeFormatsOf, type StoragePermissions, type StoragePoolType } from './storage-pool.js';

/** Volume types (virStorageVolType), indexed by their number. */
export const STORAGE_VOL_TYPES = ['file', 'block', 'dir', 'network', 'netdir', 'ploop'] as const;

/** qcow2 features libvirt knows (virStorageFileFeature). */
const VOLUME_FEATURES = ['lazy_refcounts', 'extended_l2'];

export interface StorageVolTargetDef {
  path?: string;
  format?: string;
  permissions?: StoragePermissions;
  compat?: string;
  clusterSize?: bigint;
  nocow?: boolean;
  features?: string[];
  encryption?: XmlElement;
  extras?: XmlExtras;
}

/** A storage volume definition (libvirt's volume XML). */
export interface StorageVolDef {
  type?: (typeof STORAGE_VOL_TYPES)[number];
  name: string;
  key?: string;
  /** Bytes. */
  capacity: bigint;
  /** Bytes; equal to the capacity when the XML gives none. */
  allocation: bigint;
  hasAllocation: boolean;
  target: StorageVolTargetDef;
  backingStore?: { path: string; format?: string; permissions?: StoragePermissions };
  extras?: XmlExtras;
}

const STORAGE = ErrorDomain.STORAGE;
const LLONG_MAX = (1n << 63n) - 1n;

/**
 * `<capacity>` or `<allocation>` in bytes (virStorageSize); absent or empty
 * gives undefined. libvirt says "capacity" for both. Files cannot be larger
 * than 2^63 bytes.
 */
function parseSize(el: XmlElement | undefined): bigint | undefined {
  const text = elementString(el);
  if (text === undefined) return undefined;
  const parsed = strToInt(text, 'ullp');
  if (!parsed) throw xmlError(STORAGE, 'malformed capacity element');
  return scaleInteger(parsed.value, nonEmpty(el!.attr('unit')) ?? '', 1n, LLONG_MAX, STORAGE);
}

function parseFormat(el: XmlElement | undefined, poolType: StoragePoolType): string | undefined {
  const formats = volumeFormatsOf(poolType);
  if (!formats) return undefined;
  const type = nonEmpty(el?.attr('type'));
  if (type === undefined) return formats[0];
  if (!formats.includes(type)) throw unsupportedConfig(STORAGE, `unknown volume format type ${type}`);
  return type;
}

/** qcow2 compatibility level: two unsigned numbers joined by a dot, such as 0.10 or 1.1 (virStorageCheckCompat). */
function checkCompat(compat: string): void {
  const dot = compat.indexOf('.');
  const valid = dot >= 0 && strToInt(compat.slice(0, dot), 'ui') && strToInt(compat.slice(dot + 1), 'ui');
  if (!valid) throw xmlError(STORAGE, "forbidden characters in 'compat' attribute");
}

function parseVolumeFeatures(el: XmlElement): string[] {
  return el.elements().map((f) => {
    if (!VOLUME_FEATURES.includes(f.name)) throw unsupportedConfig(STORAGE, `unsupported feature ${f.name}`);
    return f.name;
  });
}

function parseBackingStore(el: XmlElement | undefined, poolType: StoragePoolType): StorageVolDef['backingStore'] {
  const path = elementString(el?.child('path'));
  if (path === undefined) return undefined;
  return { path, format: parseFormat(el!.child('format'), poolType), permissions: parsePermissions(el!.child('permissions'), STORAGE) };
}

function parseTarget(el: XmlElement | undefined, poolType: StoragePoolType): StorageVolTargetDef {
  const tr = el ? new ElementReader(el) : undefined;
  const target: StorageVolTargetDef = {
    path: elementString(tr?.child('path')),
    format: parseFormat(tr?.child('format'), poolType),
    permissions: parsePermissions(tr?.child('permissions'), STORAGE),
    encryption: tr?.child('encryption')?.clone(),
  };
  if (target.encryption) checkEncryption(target.encryption);
  target.compat = elementString(tr?.child('compat'));
  if (target.compat !== undefined) checkCompat(target.compat);
  if (tr?.child('nocow')) target.nocow = true;
  const clusterSize = parseScaledValue(tr?.child('clusterSize'), './target/clusterSize', 1n, ULLONG_MAX, STORAGE);
  // libvirt writes it back only when above zero
  if (clusterSize) target.clusterSize = clusterSize;
  const features = tr?.child('features');
  if (features) {
    target.compat ??= '1.1';
    target.features = parseVolumeFeatures(features);
  }
  target.extras = tr?.extras();
  return target;
}

/** Parse volume XML for a pool of the given type (virStorageVolDefParseString), with libvirt's checks in its order. */
export function parseStorageVolXML(xml: string, poolType: StoragePoolType): StorageVolDef {
  const root = parseRoot(xml, '(storage_volume_definition)', 'volume', STORAGE);
  const r = new ElementReader(root);
  const name = elementString(r.child('name'));
  if (name === undefined) throw xmlError(STORAGE, 'missing volume name element');
  const key = elementString(r.child('key'));
  const typeText = nonEmpty(r.attr('type'));
  const type = STORAGE_VOL_TYPES.find((t) => t === typeText);
  if (typeText !== undefined && !type) throw unsupportedConfig(STORAGE, `unknown volume type '${typeText}'`);
  const backingStore = parseBackingStore(r.child('backingStore'), poolType);

  const capacity = parseSize(r.child('capacity'));
  if (capacity === undefined) throw xmlError(STORAGE, 'missing capacity element');
  const allocation = parseSize(r.child('allocation'));
  const target = parseTarget(r.child('target'), poolType);

  // output only
  r.child('source');
  r.child('physical');
  return {
    type,
    name,
    key,
    capacity,
    allocation: allocation ?? capacity,
    hasAllocation: allocation !== undefined,
    target,
    backingStore,
    extras: r.extras(),
  };
}

/** Format volume XML in libvirt's layout (virStorageVolDefFormat). */
export function formatStorageVolXML(def: StorageVolDef, poolType: StoragePoolType): string {
  const formats = volumeFormatsOf(poolType);
  const root = new XmlElement('volume', { type: def.type ?? 'file' });
  root.addText('name', def.name);
  root.addText('key', def.key);
  root.addText('capacity', String(def.capacity), { unit: 'bytes' });
  root.addText('allocation', String(def.allocation), { unit: 'bytes' });

  const target = root.add('target');
  target.addText('path', def.target.path);
  if (formats) target.add('format', { type: def.target.format ?? formats[0] });
  formatPermissions(target, def.target.permissions);
  if (def.target.encryption) target.append(def.target.encryption.clone());
  target.addText('compat', def.target.compat);
  if (def.target.clusterSize !== undefined) target.addText('clusterSize', String(def.target.clusterSize), { unit: 'B' });
  if (def.target.features) {
    const features = target.add('features');
    for (const f of VOLUME_FEATURES) if (def.target.features.includes(f)) features.add(f);
  }
  writeExtras(target, def.target.extras);

  if (def.backingStore) {
    const backing = root.add('backingStore');
    backing.addText('path', def.backingStore.path);
    if (formats) backing.add('format', { type: def.backingStore.format ?? formats[0] });
    formatPermissions(backing, def.backingStore.permissions);
  }
  writeExtras(root, def.extras);
  return formatXml(root);
}
