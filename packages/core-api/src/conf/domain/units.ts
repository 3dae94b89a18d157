import { ErrorCode, ErrorDomain } from '../../errors/codes.js';
import { VirtError } from '../../errors/virt-error.js';
import { strToInt } from '../../util/strtol.js';
import { scaleInteger } from '../../util/scale.js';
import type { XmlElement } from '../../xml/node.js';
import { xmlError } from '../common.js';

const DOM = ErrorDomain.DOMAIN;
const LLONG_MAX = (1n << 63n) - 1n;

/**
 * A memory size element (`<memory unit='MiB'>512</memory>`) in KiB, as
 * virDomainParseMemory: the unit defaults to KiB, bytes round up to whole
 * KiB, and the result must stay below 2^53 KiB. `xpath` names the element
 * in error messages ("./memory[1]"). Undefined when the element is absent
 * or empty.
 */
export function parseMemoryKiB(el: XmlElement | undefined, xpath: string): number | undefined {
  if (!el) return undefined;
  const text = el.text();
  if (text === '') return undefined;
  const parsed = strToInt(text, 'ullp');
  if (!parsed) throw xmlError(DOM, `Invalid value '${text}' for element or attribute '${xpath}'`);
  const bytes = scaleInteger(parsed.value, el.attr('unit') ?? '', 1024n, LLONG_MAX, DOM);
  const kib = (bytes + 1023n) / 1024n;
  if (kib >= (LLONG_MAX + 1023n) / 1024n) throw VirtError.create(ErrorCode.OVERFLOW, DOM, 'size value too large');
  return Number(kib);
}
