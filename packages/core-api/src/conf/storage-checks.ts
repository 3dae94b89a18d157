import { ErrorCode, ErrorDomain } from '../errors/codes.js';
import { VirtError } from '../errors/virt-error.js';
import { strToInt } from '../util/strtol.js';
import { parseUUID } from '../uuid.js';
import type { XmlElement } from '../xml/node.js';
import { enumAttribute, intAttribute, nonEmpty, parsePCIAddress, unsupportedConfig, xmlError, yesNoAttribute } from './common.js';

/*
 * Checks on the parts of pool and volume XML that are kept as written
 * (a pool's <adapter> and <auth>, a volume's <encryption>): libvirt refuses
 * documents where these are wrong, so we must too.
 */

const STORAGE = ErrorDomain.STORAGE;

/** What libvirt learns from an `<adapter>`; the element itself is kept as written. */
export interface AdapterSummary {
  type?: 'scsi_host' | 'fc_host';
  name?: string;
  /** scsi_host: given by its parent's PCI address instead of by name. */
  hasParent?: boolean;
  wwnn?: string;
  wwpn?: string;
  parentWwnn?: string;
  parentWwpn?: string;
  parentFabricWwn?: string;
}

const ADAPTER_TYPES = ['default', 'scsi_host', 'fc_host'] as const;

/** Read an `<adapter>` (virStorageAdapterParseXML); any pool type may have one. */
export function parseAdapter(el: XmlElement | undefined): AdapterSummary {
  if (!el) return {};
  const type = enumAttribute(el, 'type', ADAPTER_TYPES, STORAGE, { nonZero: true });
  if (type === undefined) return parseLegacyAdapter(el);
  if (type === 'fc_host') {
    yesNoAttribute(el, 'managed', STORAGE);
    return {
      type,
      wwnn: el.attr('wwnn'),
      wwpn: el.attr('wwpn'),
      parentWwnn: el.attr('parent_wwnn'),
      parentWwpn: el.attr('parent_wwpn'),
      parentFabricWwn: el.attr('parent_fabric_wwn'),
    };
  }
  // scsi_host ('default' was refused above)
  const parentaddr = el.child('parentaddr');
  if (parentaddr) checkParentAddress(parentaddr);
  return { type: 'scsi_host', name: el.attr('name'), hasParent: parentaddr !== undefined };
}

/** Before adapters had a type, only a scsi_host name could be given. */
function parseLegacyAdapter(el: XmlElement): AdapterSummary {
  if (el.attr('wwnn') !== undefined || el.attr('wwpn') !== undefined || el.attr('parent') !== undefined) {
    throw xmlError(STORAGE, "Use of 'wwnn', 'wwpn', and 'parent' attributes requires use of the adapter 'type'");
  }
  if (el.child('parentaddr')) throw xmlError(STORAGE, "Use of 'parentaddr' element requires use of the adapter 'type'");
  const name = el.attr('name');
  return name === undefined ? {} : { type: 'scsi_host', name };
}

function checkParentAddress(parentaddr: XmlElement): void {
  const address = parentaddr.child('address');
  if (!address) throw xmlError(STORAGE, 'Missing scsi_host PCI address element');
  parsePCIAddress(address, STORAGE);
  const uniqueId = strToInt(parentaddr.attr('unique_id') ?? '', 'i');
  if (!uniqueId || uniqueId.value < 0n) throw xmlError(STORAGE, "Missing or invalid scsi adapter 'unique_id' value");
}

/** A SCSI pool needs an adapter, named by its host name, parent address or FC world wide names. */
export function validateAdapter(adapter: AdapterSummary): void {
  if (!adapter.type) throw xmlError(STORAGE, 'missing storage pool source adapter');
  if (adapter.type === 'scsi_host') {
    if (adapter.name === undefined && !adapter.hasParent) {
      throw xmlError(STORAGE, "Either 'name' or 'parent' must be specified for the 'scsi_host' adapter");
    }
    if (adapter.name !== undefined && adapter.hasParent) {
      throw xmlError(STORAGE, "Both 'name' and 'parent' cannot be specified for the 'scsi_host' adapter");
    }
    return;
  }
  if (adapter.wwnn === undefined || adapter.wwpn === undefined) {
    throw xmlError(STORAGE, "'wwnn' and 'wwpn' must be specified for adapter type 'fchost'");
  }
  checkWWN(adapter.wwnn);
  checkWWN(adapter.wwpn);
  if (adapter.parentWwnn !== undefined && adapter.parentWwpn === undefined) {
    throw xmlError(STORAGE, `when providing parent_wwnn='${adapter.parentWwnn}', the parent_wwpn must also be provided`);
  }
  if (adapter.parentWwnn === undefined && adapter.parentWwpn !== undefined) {
    throw xmlError(STORAGE, `when providing parent_wwpn='${adapter.parentWwpn}', the parent_wwnn must also be provided`);
  }
  for (const wwn of [adapter.parentWwnn, adapter.parentWwpn, adapter.parentFabricWwn]) if (wwn !== undefined) checkWWN(wwn);
}

/** A world wide name: 16 hex digits, optionally after "0x". */
function checkWWN(wwn: string): void {
  if (!/^(0x)?[0-9a-fA-F]{16}$/.test(wwn)) throw VirtError.create(ErrorCode.INTERNAL_ERROR, STORAGE, `Malformed wwn: ${wwn}`);
}

const AUTH_TYPES = ['none', 'chap', 'ceph'];

/**
 * Check an `<auth>` (virStorageAuthDefParse): a user name, a known type and
 * a `<secret>` found by exactly one of uuid or usage. A pool's auth must
 * also say which type it is.
 */
export function checkPoolAuth(el: XmlElement): void {
  if (nonEmpty(el.attr('username')) === undefined) throw xmlError(STORAGE, 'missing username for auth');
  const type = nonEmpty(el.attr('type'));
  if (type !== undefined && !AUTH_TYPES.includes(type)) {
    throw unsupportedConfig(STORAGE, `unknown auth type '${type}'`);
  }
  const secret = el.child('secret');
  if (!secret) throw xmlError(STORAGE, 'Missing <secret> element in auth');
  checkSecretLookup(secret);
  if (type === undefined || type === 'none') {
    throw unsupportedConfig(STORAGE, 'storage pool missing auth type');
  }
}

/** A `<secret>` names its secret by exactly one of uuid or usage (virSecretLookupParseSecret). */
function checkSecretLookup(secret: XmlElement): void {
  const uuid = secret.attr('uuid');
  const usage = secret.attr('usage');
  if (uuid === undefined && usage === undefined) throw xmlError(STORAGE, 'missing secret uuid or usage attribute');
  if (uuid !== undefined && usage !== undefined) throw xmlError(STORAGE, 'either secret uuid or usage expected');
  if (uuid !== undefined && !parseUUID(uuid)) throw xmlError(STORAGE, `invalid secret uuid '${uuid}'`);
}

const ENCRYPTION_FORMATS = ['default', 'qcow', 'luks', 'luks2'];
const ENCRYPTION_ENGINES = ['default', 'qemu', 'librbd'] as const;
const ENCRYPTION_SECRET_TYPES = ['passphrase'];

/**
 * Check a volume's `<encryption>` (virStorageEncryptionParseNode): a known
 * format and engine, well-formed secrets and, for LUKS, cipher before ivgen.
 */
export function checkEncryption(el: XmlElement): void {
  const format = nonEmpty(el.attr('format'));
  if (format === undefined) throw xmlError(STORAGE, 'unknown volume encryption format');
  if (!ENCRYPTION_FORMATS.includes(format)) {
    throw unsupportedConfig(STORAGE, `unknown volume encryption format type ${format}`);
  }
  enumAttribute(el, 'engine', ENCRYPTION_ENGINES, STORAGE, { nonZero: true });
  for (const secret of el.childrenNamed('secret')) {
    const type = nonEmpty(secret.attr('type'));
    if (type === undefined) throw xmlError(STORAGE, 'unknown volume encryption secret type');
    if (!ENCRYPTION_SECRET_TYPES.includes(type)) {
      throw unsupportedConfig(STORAGE, `unknown volume encryption secret type ${type}`);
    }
    checkSecretLookup(secret);
  }
  if (format === 'luks') checkLuksInfo(el);
}

function checkLuksInfo(el: XmlElement): void {
  const cipher = el.child('cipher');
  if (cipher) {
    if (cipher.attr('name') === undefined) throw xmlError(STORAGE, "cipher info missing 'name' attribute");
    intAttribute(cipher, 'size', 'uip', STORAGE, { required: true });
  }
  const ivgen = el.child('ivgen');
  if (!ivgen) return;
  if (cipher?.attr('name') === undefined) throw xmlError(STORAGE, 'ivgen element found, but cipher is missing');
  if (ivgen.attr('name') === undefined) throw xmlError(STORAGE, 'missing ivgen info name string');
}
