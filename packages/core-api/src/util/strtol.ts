/**
 * C-style integer parsing with libvirt's virStrToLong_* rules, because
 * users' scripts depend on exactly what virsh and the XML parsers accept:
 * leading whitespace and a sign are allowed, base 0 means "0x" hex / "0"
 * octal / decimal, and the whole string must be a number unless the caller
 * takes the rest (`allowTrailing`, for a unit suffix).
 */

export type IntKind =
  /** int (virStrToLong_i) */
  | 'i'
  /** unsigned int, negative values wrap (virStrToLong_ui) */
  | 'ui'
  /** unsigned int, negative values rejected (virStrToLong_uip) */
  | 'uip'
  /** long (virStrToLong_l) */
  | 'l'
  /** unsigned long, wrapping (virStrToLong_ul) */
  | 'ul'
  /** unsigned long, no negatives (virStrToLong_ulp) */
  | 'ulp'
  /** long long (virStrToLong_ll) */
  | 'll'
  /** unsigned long long, wrapping (virStrToLong_ull) */
  | 'ull'
  /** unsigned long long, no negatives (virStrToLong_ullp) */
  | 'ullp';

const LIMITS: Record<IntKind, { signed: boolean; bits: 32 | 64; noNegative: boolean }> = {
  i: { signed: true, bits: 32, noNegative: false },
  ui: { signed: false, bits: 32, noNegative: false },
  uip: { signed: false, bits: 32, noNegative: true },
  l: { signed: true, bits: 64, noNegative: false },
  ul: { signed: false, bits: 64, noNegative: false },
  ulp: { signed: false, bits: 64, noNegative: true },
  ll: { signed: true, bits: 64, noNegative: false },
  ull: { signed: false, bits: 64, noNegative: false },
  ullp: { signed: false, bits: 64, noNegative: true },
};

export interface ParsedInt {
  value: bigint;
  /** Index of the first character not consumed. */
  end: number;
}

const SPACE = ' \t\n\v\f\r';

/** What C's strtol family reads before applying its limits. */
export interface ScannedInteger {
  negative: boolean;
  /** The digits' value, unbounded. */
  magnitude: bigint;
  /** Index of the first character not consumed. */
  end: number;
}

/**
 * The scan at the heart of C's strtol/strtoull from `from`: white space,
 * a sign, digits in `base` (16 also takes a "0x" prefix followed by a hex
 * digit; 0 picks 16, 8 or 10 from the prefix). Undefined when no digits
 * were read.
 */
export function scanInteger(text: string, from: number, base: number): ScannedInteger | undefined {
  let i = from;
  while (i < text.length && SPACE.includes(text[i]!)) i++;
  let negative = false;
  if (text[i] === '+' || text[i] === '-') {
    negative = text[i] === '-';
    i++;
  }
  let radix = base;
  if ((radix === 0 || radix === 16) && text[i] === '0' && (text[i + 1] === 'x' || text[i + 1] === 'X') && digitValue(text[i + 2] ?? '') < 16) {
    i += 2;
    radix = 16;
  } else if (radix === 0) {
    radix = text[i] === '0' ? 8 : 10;
  }
  const start = i;
  let magnitude = 0n;
  const big = BigInt(radix);
  while (i < text.length && digitValue(text[i]!) < radix) {
    magnitude = magnitude * big + BigInt(digitValue(text[i]!));
    i++;
  }
  return i === start ? undefined : { negative, magnitude, end: i };
}

function digitValue(ch: string): number {
  const c = ch.charCodeAt(0);
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 122) return c - 87;
  if (c >= 65 && c <= 90) return c - 55;
  return 99;
}

/**
 * Parse like strtol/strtoul(3) followed by libvirt's checks. Returns
 * undefined where libvirt's function fails (no digits, out of range,
 * trailing garbage, or a '-' for the "p" kinds).
 */
export function strToInt(text: string, kind: IntKind, base = 10, allowTrailing = false): ParsedInt | undefined {
  const lim = LIMITS[kind];
  const scanned = scanInteger(text, 0, base);
  if (!scanned) return undefined;
  const { negative, magnitude, end: i } = scanned;
  if (!allowTrailing && i !== text.length) return undefined;
  if (negative && lim.noNegative) return undefined;

  const width = BigInt(lim.bits);
  let value: bigint;
  if (lim.signed) {
    const max = (1n << (width - 1n)) - 1n;
    value = negative ? -magnitude : magnitude;
    if (value > max || value < -max - 1n) return undefined;
  } else {
    // strtoul: the magnitude must fit unsigned long; a '-' negates modulo 2^64
    if (magnitude > (1n << 64n) - 1n) return undefined;
    if (lim.bits === 32) {
      // virStrToLong_ui: the unsigned long result must fit in 32 bits, or
      // be a negated value that still fits ("-1" wraps to 4294967295)
      if (negative) {
        if (magnitude > 0xffffffffn) return undefined;
        value = magnitude === 0n ? 0n : (1n << 32n) - magnitude;
      } else {
        if (magnitude > 0xffffffffn) return undefined;
        value = magnitude;
      }
    } else {
      value = negative && magnitude !== 0n ? (1n << 64n) - magnitude : magnitude;
    }
  }
  return { value, end: i };
}
