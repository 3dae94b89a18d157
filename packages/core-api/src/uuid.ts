/**
 * Parse a UUID as liberally as libvirt: surrounding whitespace, and '-' or
 * ' ' between digit pairs, are allowed as long as exactly 32 hex digits
 * remain. Returns the canonical lower-case dashed form, or undefined.
 */
export function parseUUID(text: string): string | undefined {
  let i = 0;
  const isSpace = (c: string | undefined): boolean => c !== undefined && ' \t\n\v\f\r'.includes(c);
  while (isSpace(text[i])) i++;
  let hex = '';
  while (hex.length < 32) {
    const c = text[i];
    if (c === undefined) return undefined;
    if (c === '-' || c === ' ') {
      i++;
      continue;
    }
    const pair = text.slice(i, i + 2);
    if (!/^[0-9a-fA-F]{2}$/.test(pair)) return undefined;
    hex += pair.toLowerCase();
    i += 2;
  }
  while (i < text.length) if (!isSpace(text[i++])) return undefined;
  return formatUUID(hex);
}

function formatUUID(hex: string): string {
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A random (version 4) UUID, as libvirt generates for objects defined without one. */
export function generateUUID(): string {
  // randomUUID draws from a cached entropy pool (thousands of definitions do not cost thousands of
  // system calls), and the global Web Crypto object loads on first use, sparing start-ups that need none
  return globalThis.crypto.randomUUID();
}
