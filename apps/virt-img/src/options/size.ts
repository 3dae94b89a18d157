/*
 * Sizes as qemu-img reads them (qemu_strtosz): a decimal integer, or 0x
 * hex, an optional fraction, and one optional suffix B, K, M, G, T, P or E
 * (powers of 1024). The fraction is kept as a 64-bit binary fixed-point
 * number and the product is rounded half-up, so that "1.0005k" is 1025
 * exactly as in qemu-img.
 */
import { scanInteger } from '@virt/core-api';

export type SizeParse = ({ ok: true; value: bigint } | { ok: false; error: 'invalid' | 'range' }) & {
  /** A hex number took a suffix (qemu-img warns that this is deprecated, whether or not the rest parses). */
  hexWithSuffix?: boolean;
};

const MAX_U64 = (1n << 64n) - 1n;
const SUFFIXES = 'BKMGTPE';

interface Scanned {
  value: bigint;
  /** Where the number ended. */
  end: number;
  overflow: boolean;
  /** Characters of `text` the scan consumed held a '-'. */
  negative: boolean;
}

/**
 * C's strtoull: the strtol scan, then the magnitude clamped to 64 bits
 * (overflow) and a '-' negating modulo 2^64. Undefined when no digits
 * were read.
 */
export function scanUnsigned(text: string, from: number, base: 0 | 10 | 16): Scanned | undefined {
  const scanned = scanInteger(text, from, base);
  if (!scanned) return undefined;
  const { negative, magnitude, end } = scanned;
  const overflow = magnitude > MAX_U64;
  let value = overflow ? MAX_U64 : magnitude;
  if (!overflow && negative && value !== 0n) value = (1n << 64n) - value;
  return { value, end, overflow, negative };
}

/** The decimal fraction starting at the '.' at `from` (C's strtod on ".ddd"): its value and end. */
function scanFraction(text: string, from: number): { value: number; end: number; exponent: boolean } | undefined {
  const match = /^\.(\d*)(?:[eE][+-]?\d+)?/.exec(text.slice(from));
  if (!match || (match[1] === '' && match[0].length === 1)) return undefined;
  if (match[1] === '') return undefined; // ".e5" is not a number either
  return { value: Number(match[0]), end: from + match[0].length, exponent: /[eE]/.test(match[0]) };
}

/** Parse a whole string as a size; trailing characters make it invalid. */
export function parseSize(text: string): SizeParse {
  const integer = scanUnsigned(text, 0, 10);
  if (!integer) return { ok: false, error: 'invalid' };
  let end = integer.end;
  if (integer.overflow) return text.length > end ? { ok: false, error: 'invalid' } : { ok: false, error: 'range' };
  if (integer.negative) return { ok: false, error: 'invalid' };
  let value = integer.value;
  let hex = false;
  let fixedFraction = 0n;
  if (value === 0n && (text[end] === 'x' || text[end] === 'X')) {
    const reparsed = scanUnsigned(text, 0, 16)!;
    if (reparsed.overflow) return text.length > reparsed.end ? { ok: false, error: 'invalid' } : { ok: false, error: 'range' };
    end = reparsed.end;
    value = reparsed.value;
    if (text[end] === '.') return { ok: false, error: 'invalid' };
    hex = true;
  } else if (text[end] === '.') {
    const fraction = scanFraction(text, end);
    if (!fraction) {
      end++; // "1." and "1.k": no fraction digits, the point is skipped
    } else {
      if (fraction.exponent) return { ok: false, error: 'invalid' };
      end = fraction.end;
      fixedFraction = BigInt(Math.min(Math.floor(fraction.value * 2 ** 64), 2 ** 64 - 1));
    }
  }
  const power = end < text.length ? SUFFIXES.indexOf(text[end]!.toUpperCase()) : -1;
  if (power >= 0) end++;
  const hexWithSuffix = hex && power >= 0;
  if (end < text.length) return { ok: false, error: 'invalid', hexWithSuffix };
  const multiplier = 1n << BigInt(10 * Math.max(power, 0));
  if (multiplier === 1n) {
    if (fixedFraction !== 0n) return { ok: false, error: 'invalid', hexWithSuffix };
    return { ok: true, value, hexWithSuffix };
  }
  const scaledFraction = fixedFraction * multiplier;
  // the fraction's bits below the integer: round half up
  const result = value * multiplier + (scaledFraction >> 64n) + ((scaledFraction >> 63n) & 1n);
  if (result > MAX_U64) return { ok: false, error: 'range', hexWithSuffix };
  return { ok: true, value: result, hexWithSuffix };
}
