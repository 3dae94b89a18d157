/*
 * C printf's %f and %g for the numbers qemu-img prints. glibc rounds the
 * exact binary value of a double to the requested digits, ties to even
 * (192.5 with %.3g is "192", 3.125 with %.2f is "3.12"), where JavaScript's
 * toFixed and toPrecision round differently; so the digits are worked out
 * here with exact integer arithmetic.
 */

/** A finite non-negative double as an exact fraction numerator / 2^shift. */
function exactParts(x: number): { numerator: bigint; shift: bigint } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const exponent = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & ((1n << 52n) - 1n);
  const mantissa = exponent === 0 ? fraction : fraction | (1n << 52n);
  const power = (exponent === 0 ? 1 : exponent) - 1075;
  return power >= 0 ? { numerator: mantissa << BigInt(power), shift: 0n } : { numerator: mantissa, shift: BigInt(-power) };
}

/** round(x × 10^decimals) to an integer, ties to even, on the exact value of x (x ≥ 0). */
function scaledRound(x: number, decimals: number): bigint {
  const { numerator, shift } = exactParts(x);
  const scaled = decimals >= 0 ? numerator * 10n ** BigInt(decimals) : numerator;
  const denominator = (1n << shift) * (decimals < 0 ? 10n ** BigInt(-decimals) : 1n);
  const quotient = scaled / denominator;
  const twice = (scaled % denominator) * 2n;
  if (twice > denominator || (twice === denominator && quotient % 2n === 1n)) return quotient + 1n;
  return quotient;
}

/** `%.<decimals>f`, padded on the left with spaces to `width`. */
export function formatFixed(x: number, decimals: number, width = 0): string {
  const negative = x < 0 || Object.is(x, -0);
  const digits = scaledRound(Math.abs(x), decimals).toString().padStart(decimals + 1, '0');
  const whole = digits.slice(0, digits.length - decimals);
  const text = (negative ? '-' : '') + (decimals > 0 ? `${whole}.${digits.slice(-decimals)}` : whole);
  return text.padStart(width, ' ');
}

/** `%.<precision>g` for x ≥ 0: trailing zeros dropped, exponent form below 1e-4 and from 10^precision. */
export function formatGeneral(x: number, precision: number): string {
  if (x === 0) return '0';
  let exponent = Math.floor(Math.log10(x));
  let digits = scaledRound(x, precision - 1 - exponent);
  // log10 may be one off near powers of ten, and rounding may carry into a new digit
  if (digits >= 10n ** BigInt(precision)) {
    exponent++;
    digits = scaledRound(x, precision - 1 - exponent);
  } else if (digits < 10n ** BigInt(precision - 1)) {
    exponent--;
    digits = scaledRound(x, precision - 1 - exponent);
  }
  const text = digits.toString();
  if (exponent < -4 || exponent >= precision) {
    const mantissa = trimZeros(`${text[0]}.${text.slice(1)}`);
    const sign = exponent < 0 ? '-' : '+';
    return `${mantissa}e${sign}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  const decimals = precision - 1 - exponent;
  if (decimals <= 0) return text + '0'.repeat(-decimals);
  const padded = text.padStart(decimals + 1, '0');
  return trimZeros(`${padded.slice(0, padded.length - decimals)}.${padded.slice(-decimals)}`);
}

function trimZeros(text: string): string {
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}

/** C's "%-<width>s": `text` padded on the right to `width` bytes (UTF-8), never cut. */
export function padRight(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - Buffer.byteLength(text)));
}

/** C's "%<width>s": `text` padded on the left to `width` bytes (UTF-8), never cut. */
export function padLeft(text: string, width: number): string {
  return ' '.repeat(Math.max(0, width - Buffer.byteLength(text))) + text;
}
