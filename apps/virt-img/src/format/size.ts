import { formatGeneral } from './printf.js';

const PREFIXES = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];

/** The binary exponent e of x = m × 2^e with 0.5 ≤ m < 1 (C's frexp), for x ≥ 0; 0 for 0. */
function frexpExponent(x: number): number {
  if (x === 0) return 0;
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const biased = (view.getUint16(0) >> 4) & 0x7ff;
  if (biased === 0) return frexpExponent(x * 2 ** 64) - 64; // subnormal
  return biased - 1022;
}

/**
 * A byte count as qemu-img prints sizes ("1 GiB", "196 KiB", "2.33 MiB",
 * "1e+03 KiB"): three significant digits, the unit switching up once the
 * value reaches 1000 of the smaller one.
 */
export function humanSize(bytes: number): string {
  const exponent = frexpExponent(bytes / (1000 / 1024));
  const power = Math.trunc((exponent - 1) / 10) * 10;
  return `${formatGeneral(bytes / 2 ** power, 3)} ${PREFIXES[power / 10]}B`;
}
