import { Exit } from '../command.js';
import type { Output } from '../output.js';
import { parseSize } from './size.js';

export const INT64_MAX = (1n << 63n) - 1n;

/**
 * A size argument as qemu-img checks it (cvtnum): on error, the two-line
 * "Invalid <what> specified..." message and exit status 1.
 */
export function cvtnum(out: Output, what: string, text: string, min = 0n, max = INT64_MAX): bigint {
  const parsed = parseSize(text);
  if (parsed.hexWithSuffix) out.warn(`Using a multiplier suffix on hex numbers is deprecated: ${text}`);
  if (!parsed.ok && parsed.error === 'invalid') {
    out.error(`Invalid ${what} specified. You may use k, M, G, T, P or E suffixes for`);
    out.error('kilobytes, megabytes, gigabytes, terabytes, petabytes and exabytes.');
    throw new Exit(1);
  }
  if (!parsed.ok || parsed.value > max || parsed.value < min) {
    out.error(`Invalid ${what} specified. Must be between ${min} and ${max}.`);
    throw new Exit(1);
  }
  return parsed.value;
}
