/** The prefix libvirt uses for MAC addresses it generates for KVM/QEMU guests. */
export const GENERATED_MAC_PREFIX = [0x52, 0x54, 0x00] as const;

/**
 * Parse a MAC address as libvirt does: six colon-separated groups of one or
 * two hex digits; anything from a control character or space on after the
 * last group is ignored. Returns the canonical lower-case form, or undefined.
 */
export function parseMAC(text: string): string | undefined {
  let end = 0;
  while (end < text.length && text.charCodeAt(end) > 0x20) end++;
  const parts = text.slice(0, end).split(':');
  if (parts.length !== 6) return undefined;
  const bytes: string[] = [];
  for (const p of parts) {
    if (!/^[0-9a-fA-F]{1,2}$/.test(p)) return undefined;
    bytes.push(p.toLowerCase().padStart(2, '0'));
  }
  return bytes.join(':');
}

/** True for a multicast MAC (lowest bit of the first byte set), which guests may not use. */
export function isMulticastMAC(mac: string): boolean {
  return (parseInt(mac.slice(0, 2), 16) & 1) === 1;
}

/** A random MAC address under `prefix` (default 52:54:00). */
export function generateMAC(prefix: readonly number[] = GENERATED_MAC_PREFIX): string {
  // the global Web Crypto object loads on first use, sparing every start-up the crypto module
  const rest = globalThis.crypto.getRandomValues(new Uint8Array(6 - prefix.length));
  return [...prefix, ...rest].map((b) => b.toString(16).padStart(2, '0')).join(':');
}
