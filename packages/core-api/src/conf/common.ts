import { ErrorCode, ErrorDomain } from '../errors/codes.js';
import { VirtError } from '../errors/virt-error.js';
import { strToInt } from '../util/strtol.js';
import { scaleInteger, ULLONG_MAX } from '../util/scale.js';
import { parseUUID, generateUUID } from '../uuid.js';
import type { XmlElement } from '../xml/node.js';
import { parseXml } from '../xml/parse.js';

/** "XML error: <detail>" (VIR_ERR_XML_ERROR), libvirt's error for invalid content. */
export function xmlError(domain: ErrorDomain, detail: string): VirtError {
  return VirtError.create(ErrorCode.XML_ERROR, domain, detail);
}

/** "unsupported configuration: <detail>" (VIR_ERR_CONFIG_UNSUPPORTED), for values libvirt does not know or settings that do not go together. */
export function unsupportedConfig(domain: ErrorDomain, detail: string): VirtError {
  return VirtError.create(ErrorCode.CONFIG_UNSUPPORTED, domain, detail);
}

/** A message shown as is, without a prefix (VIR_ERR_XML_DETAIL), libvirt's error for some malformed values. */
export function xmlDetail(domain: ErrorDomain, detail: string): VirtError {
  return VirtError.create(ErrorCode.XML_DETAIL, domain, detail);
}

/**
 * Parse a document and check its root element, as virXMLParse with an
 * expected root does: "expecting root element of 'network', not 'foo'".
 */
export function parseRoot(xml: string, documentName: string, root: string, domain: ErrorDomain): XmlElement {
  let el: XmlElement;
  try {
    el = parseXml(xml, documentName);
  } catch (err) {
    if (err instanceof VirtError) throw new VirtError(err.code, domain, err.message, err.level, err.extras);
    throw err;
  }
  if (el.name !== root) throw xmlError(ErrorDomain.XML, `expecting root element of '${root}', not '${el.name}'`);
  return el;
}

/**
 * The UUID of a definition: parsed from `<uuid>`, or generated when the
 * element is absent or empty. libvirt's parsers disagree on the error for a
 * malformed one (networks say "internal error", pools "XML error"), hence
 * `code`.
 */
export function parseUUIDElement(text: string | undefined, domain: ErrorDomain, code = ErrorCode.INTERNAL_ERROR): string {
  if (nonEmpty(text) === undefined) return generateUUID();
  const uuid = parseUUID(text!);
  if (!uuid) throw VirtError.create(code, domain, 'malformed uuid element');
  return uuid;
}

/**
 * A size element such as `<memory unit='MiB'>512</memory>` or
 * `<capacity unit='G'>1</capacity>`, in bytes. `defaultScale` applies when
 * there is no unit attribute. Errors name the element, as libvirt's
 * virDomainParseScaledValue does.
 */
export function parseScaledElement(el: XmlElement, what: string, defaultScale: bigint, domain: ErrorDomain, limit = ULLONG_MAX): bigint {
  const text = el.text().trim();
  const parsed = strToInt(text, 'ullp');
  if (!parsed) throw xmlError(domain, `could not parse ${what} value '${text}'`);
  const unit = el.attr('unit') ?? '';
  try {
    return scaleInteger(parsed.value, unit, defaultScale, limit, domain);
  } catch (err) {
    if (err instanceof VirtError && err.code === ErrorCode.INVALID_ARG) {
      throw VirtError.create(ErrorCode.INVALID_ARG, domain, `unknown suffix '${unit}'`);
    }
    throw err;
  }
}

/**
 * An optional size element read as virParseScaledValue does, in bytes:
 * undefined when absent or empty; `xpath` names it in messages.
 */
export function parseScaledValue(el: XmlElement | undefined, xpath: string, defaultScale: bigint, limit: bigint, domain: ErrorDomain): bigint | undefined {
  const text = elementString(el);
  if (text === undefined) return undefined;
  const parsed = strToInt(text, 'ullp');
  if (!parsed) throw xmlError(domain, `Invalid value '${text}' for element or attribute '${xpath}'`);
  return scaleInteger(parsed.value, nonEmpty(el!.attr('unit')) ?? '', defaultScale, limit, domain);
}

/** Parse an unsigned decimal attribute or text; undefined when absent, an error when malformed. */
export function parseUnsigned(text: string | undefined, onError: () => VirtError): number | undefined {
  if (text === undefined) return undefined;
  const parsed = strToInt(text, 'uip');
  if (!parsed) throw onError();
  return Number(parsed.value);
}

/*
 * Reading values the way libvirt's XML helpers do. Two families matter,
 * because they treat an empty value differently:
 *  - virXPathString("string(...)") reads text or an attribute through XPath
 *    and gives nothing for an empty string, so `<name></name>` or
 *    `mode=''` count as absent (see nonEmpty / elementString);
 *  - virXMLProp* read an attribute directly: an empty value is present, and
 *    is then usually invalid (see the *Attribute readers below).
 */

/** An XPath string value: empty counts as absent. */
export function nonEmpty(text: string | undefined): string | undefined {
  return text === '' ? undefined : text;
}

/** The XPath string value of an element (all the text inside it), undefined when absent or empty. */
export function elementString(el: XmlElement | undefined): string | undefined {
  if (!el) return undefined;
  const collect = (e: XmlElement): string => e.children.map((c) => (c.kind === 'text' ? c.text : collect(c))).join('');
  return nonEmpty(collect(el));
}

/** An element to read attributes from: an XmlElement, or an ElementReader (which then counts them as understood). */
export interface AttributeSource {
  readonly name: string;
  attr(name: string): string | undefined;
}

/** "Missing required attribute 'a' in element 'e'" (virXMLPropStringRequired and friends). */
export function missingAttribute(domain: ErrorDomain, el: AttributeSource, attr: string): VirtError {
  return xmlError(domain, `Missing required attribute '${attr}' in element '${el.name}'`);
}

/** "Invalid value for attribute 'a' in element 'e': 'v'." plus what was expected, if anything. */
export function invalidAttribute(domain: ErrorDomain, el: AttributeSource, attr: string, value: string, expected?: string): VirtError {
  const tail = expected === undefined ? '' : ` Expected ${expected}`;
  return xmlError(domain, `Invalid value for attribute '${attr}' in element '${el.name}': '${value}'.${tail}`);
}

export interface AttributeOptions {
  required?: boolean;
  /** Reject the enum's first value (its "default") or a numeric zero. */
  nonZero?: boolean;
}

/**
 * An attribute that must be one of `values` (virXMLPropEnum). `values[0]`
 * is the enum's zero, refused with `nonZero`.
 */
export function enumAttribute<T extends string>(
  el: AttributeSource | undefined,
  attr: string,
  values: readonly T[],
  domain: ErrorDomain,
  options: AttributeOptions = {},
): T | undefined {
  const value = el?.attr(attr);
  if (value === undefined) {
    if (el && options.required) throw missingAttribute(domain, el, attr);
    return undefined;
  }
  const index = values.indexOf(value as T);
  if (index < 0 || (options.nonZero && index === 0)) throw invalidAttribute(domain, el!, attr, value);
  return value as T;
}

/** A yes/no attribute (virXMLPropTristateBool): 'default' and anything else are refused. */
export function yesNoAttribute(el: AttributeSource | undefined, attr: string, domain: ErrorDomain): boolean | undefined {
  const value = enumAttribute(el, attr, ['default', 'yes', 'no'], domain, { nonZero: true });
  return value === undefined ? undefined : value === 'yes';
}

/** An on/off attribute (virXMLPropTristateSwitch). */
export function onOffAttribute(el: AttributeSource | undefined, attr: string, domain: ErrorDomain): boolean | undefined {
  const value = enumAttribute(el, attr, ['default', 'on', 'off'], domain, { nonZero: true });
  return value === undefined ? undefined : value === 'on';
}

/**
 * A numeric attribute read as virXMLPropInt ('i'), virXMLPropUInt ('uip')
 * or virXMLPropULongLong ('ullp') do, with their messages. `base` 0 accepts
 * 0x hex and 0 octal. Values past 2^53 lose precision, which is fine for
 * the range checks these are used for.
 */
export function intAttribute(
  el: AttributeSource | undefined,
  attr: string,
  kind: 'i' | 'uip' | 'ullp',
  domain: ErrorDomain,
  options: AttributeOptions & { base?: number } = {},
): number | undefined {
  const text = el?.attr(attr);
  if (text === undefined) {
    if (el && options.required) throw missingAttribute(domain, el, attr);
    return undefined;
  }
  const parsed = strToInt(text, kind, options.base ?? 10);
  if (!parsed) throw invalidAttribute(domain, el!, attr, text, kind === 'i' ? 'integer value' : 'non-negative integer value');
  if (options.nonZero && parsed.value === 0n) {
    throw xmlError(domain, `Invalid value for attribute '${attr}' in element '${el!.name}': Zero is not permitted`);
  }
  return Number(parsed.value);
}

export interface PCIAddress {
  domain: number;
  bus: number;
  slot: number;
  function: number;
}

/**
 * A PCI `<address>` as virPCIDeviceAddressParseXML reads it: numbers in any
 * base, range-checked unless domain, bus and slot are all zero (which
 * stands for "no address").
 */
export function parsePCIAddress(el: XmlElement, domain: ErrorDomain): PCIAddress {
  const field = (name: string): number => intAttribute(el, name, 'uip', domain, { base: 0 }) ?? 0;
  const addr = { domain: field('domain'), bus: field('bus'), slot: field('slot'), function: field('function') };
  onOffAttribute(el, 'multifunction', domain);
  if (addr.domain === 0 && addr.bus === 0 && addr.slot === 0) return addr;
  if (addr.bus > 0xff) throw xmlError(domain, `Invalid PCI address bus='0x${addr.bus.toString(16)}', must be <= 0xFF`);
  if (addr.slot > 0x1f) throw xmlError(domain, `Invalid PCI address slot='0x${addr.slot.toString(16)}', must be <= 0x1F`);
  if (addr.function > 7) throw xmlError(domain, `Invalid PCI address function=0x${addr.function.toString(16)}, must be <= 7`);
  return addr;
}

/** dddd:bb:ss.f, as libvirt names a PCI device in messages. */
export function formatPCIAddress(a: PCIAddress): string {
  const hex = (n: number, width: number): string => n.toString(16).padStart(width, '0');
  return `${hex(a.domain, 4)}:${hex(a.bus, 2)}:${hex(a.slot, 2)}.${hex(a.function, 1)}`;
}
