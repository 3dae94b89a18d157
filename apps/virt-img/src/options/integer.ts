import { scanUnsigned } from './size.js';

/** A whole number in any C base (0x.., 0.., decimal) from 0 to `max`, or undefined (qemu's qemu_strtoul checks). */
export function parseInteger(text: string, max: number): number | undefined {
  const scanned = scanUnsigned(text, 0, 0);
  if (!scanned || scanned.end !== text.length || scanned.overflow || scanned.negative || scanned.value > BigInt(max)) return undefined;
  return Number(scanned.value);
}
