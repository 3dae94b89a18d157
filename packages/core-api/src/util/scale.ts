import { ErrorCode, ErrorDomain } from '../errors/codes.js';
import { VirtError } from '../errors/virt-error.js';

/**
 * Multiply a value by the unit its suffix names, as libvirt's
 * virScaleInteger: no suffix means `defaultScale`; b/byte/bytes = 1;
 * k, m, g, t, p, e alone or with "iB" are powers of 1024, with "B" powers
 * of 1000 (case-insensitive). Throws VIR_ERR_INVALID_ARG for an unknown
 * suffix and VIR_ERR_OVERFLOW when the result would exceed `limit`.
 */
export function scaleInteger(value: bigint, suffix: string, defaultScale: bigint, limit: bigint, domain = ErrorDomain.NONE): bigint {
  let scale: bigint;
  if (suffix === '') {
    scale = defaultScale;
  } else if (['b', 'byte', 'bytes'].includes(suffix.toLowerCase())) {
    scale = 1n;
  } else {
    let base: bigint;
    if (suffix.length === 1 || suffix.slice(1).toLowerCase() === 'ib') base = 1024n;
    else if (suffix.length === 2 && suffix[1]!.toLowerCase() === 'b') base = 1000n;
    else throw VirtError.create(ErrorCode.INVALID_ARG, domain, `unknown suffix '${suffix}'`);
    const power = 'kmgtpe'.indexOf(suffix[0]!.toLowerCase()) + 1;
    if (power === 0) throw VirtError.create(ErrorCode.INVALID_ARG, domain, `unknown suffix '${suffix}'`);
    scale = base ** BigInt(power);
  }
  if (value !== 0n && value > limit / scale) {
    throw VirtError.create(ErrorCode.OVERFLOW, domain, `value too large: ${value}${suffix}`);
  }
  return value * scale;
}

/** The largest unsigned long long. */
export const ULLONG_MAX = (1n << 64n) - 1n;
