import { ErrorCode, ErrorDomain } from '../errors/codes.js';
import { VirtError } from '../errors/virt-error.js';
import { strToInt } from '../util/strtol.js';
import { scaleInteger } from '../util/scale.js';
import { formatXml } from '../xml/format.js';
import { XmlElement } from '../xml/node.js';
import { ElementReader, writeExtras, type XmlExtras } from '../xml/reader.js';
import { parseRoot, xmlError } from './common.js';
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

function parseSize(el: XmlElement): bigint {
  const text = el.text();
  const parsed = strToInt(text, 'ullp');
  if (!parsed) throw xmlError(STORAGE, 'malformed capacity element');
  return scaleInteger(parsed.value, el.attr('unit') ?? '', 1n, LLONG_MAX, STORAGE);
}

function parseFormat(type: string | undefined, poolType: StoragePoolType): string | undefined {
  const formats = volumeFormatsOf(poolType);
  if (!formats) return undefined;
  if (type === undefined) return formats[0];
  if (!formats.includes(type)) throw VirtError.create(ErrorCode.CONFIG_UNSUPPORTED, STORAGE, `unknown volume format type ${type}`);
  return type;
}

/** Parse volume XML for a pool of the given type (virStorageVolDefParseString). */
export function parseStorageVolXML(xml: string, poolType: StoragePoolType): StorageVolDef {
  const root = parseRoot(xml, '(storage_volume_definition)', 'volume', STORAGE);
  const r = new ElementReader(root);
  const name = r.childText('name');
  if (name === undefined) throw xmlError(STORAGE, 'missing volume name element');
  const typeText = r.attr('type');
  if (typeText !== undefined && !(STORAGE_VOL_TYPES as readonly string[]).includes(typeText)) {
    throw VirtError.create(ErrorCode.CONFIG_UNSUPPORTED, STORAGE, `unknown volume type '${typeText}'`);
  }

  let backingStore: StorageVolDef['backingStore'];
  const backingEl = r.child('backingStore');
  const backingPath = backingEl?.child('path')?.text();
  if (backingEl && backingPath !== undefined) {
    backingStore = {
      path: backingPath,
      format: parseFormat(backingEl.child('format')?.attr('type'), poolType),
      permissions: parsePermissions(backingEl.child('permissions'), STORAGE),
    };
  }

  const capacityEl = r.child('capacity');
  if (!capacityEl) throw xmlError(STORAGE, 'missing capacity element');
  const capacity = parseSize(capacityEl);
  const allocationEl = r.child('allocation');
  const allocation = allocationEl ? parseSize(allocationEl) : capacity;

  const targetEl = r.child('target');
  const tr = targetEl ? new ElementReader(targetEl) : undefined;
  const target: StorageVolTargetDef = {
    path: tr?.childText('path'),
    format: parseFormat(tr?.child('format')?.attr('type'), poolType),
    permissions: parsePermissions(tr?.child('permissions'), STORAGE),
    encryption: tr?.child('encryption')?.clone(),
    compat: tr?.childText('compat'),
    nocow: tr?.child('nocow') !== undefined ? true : undefined,
  };
  if (target.compat !== undefined && !/^\d+\.\d+$/.test(target.compat)) {
    throw xmlError(STORAGE, `forbidden characters in 'compat' attribute`);
  }
  const clusterEl = tr?.child('clusterSize');
  if (clusterEl) target.clusterSize = parseSize(clusterEl);
  const featuresEl = tr?.child('features');
  if (featuresEl) {
    target.compat ??= '1.1';
    target.features = [];
    for (const f of featuresEl.elements()) {
      if (!VOLUME_FEATURES.includes(f.name)) throw VirtError.create(ErrorCode.CONFIG_UNSUPPORTED, STORAGE, `unsupported feature ${f.name}`);
      target.features.push(f.name);
    }
  }
  target.extras = tr?.extras();

  r.child('key');
  r.child('source');
  r.child('physical');
  return {
    type: typeText as StorageVolDef['type'],
    name,
    key: r.childText('key'),
    capacity,
    allocation,
    hasAllocation: allocationEl !== undefined,
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
