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

/** The UUID of a definition: parsed from `<uuid>` or generated when absent. */
export function parseUUIDElement(text: string | undefined, domain: ErrorDomain): string {
  if (text === undefined) return generateUUID();
  const uuid = parseUUID(text);
  if (!uuid) throw VirtError.create(ErrorCode.INTERNAL_ERROR, domain, 'malformed uuid element');
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

/** Parse an unsigned decimal attribute or text; undefined when absent, an error when malformed. */
export function parseUnsigned(text: string | undefined, onError: () => VirtError): number | undefined {
  if (text === undefined) return undefined;
  const parsed = strToInt(text, 'uip');
  if (!parsed) throw onError();
  return Number(parsed.value);
}

/** libvirt's yes/no and on/off attribute values. */
export function parseTristate(value: string | undefined, yes: string, no: string, onError: () => VirtError): boolean | undefined {
  if (value === undefined) return undefined;
  if (value === yes) return true;
  if (value === no) return false;
  throw onError();
}
