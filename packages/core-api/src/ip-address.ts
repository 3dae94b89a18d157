import { networkInterfaces } from 'node:os';

/**
 * Numeric IP addresses as libvirt reads them (virSocketAddrParse, which asks
 * getaddrinfo for a numeric host) and writes them (virSocketAddrFormat).
 * Users' XML relies on what glibc accepts there, including the old inet_aton
 * shorthands ("10.1" is 10.0.0.1, "0x0a.1.2.3" is 10.1.2.3), so the rules are
 * glibc's rather than those of node:net.
 */
export interface IPAddress {
  readonly family: 'ipv4' | 'ipv6';
  /** Network byte order: 4 bytes for IPv4, 16 for IPv6. */
  readonly bytes: Uint8Array;
  /** The zone after '%' in an IPv6 address (fe80::1%eth0), as written. */
  readonly scope?: string;
}

const UINT32_MAX = 0xffffffff;

/** Parse a numeric IPv4 or IPv6 address; undefined where getaddrinfo would fail. */
export function parseIPAddress(text: string): IPAddress | undefined {
  const v4 = parseIPv4(text);
  if (v4) return { family: 'ipv4', bytes: v4 };
  return parseIPv6WithScope(text);
}

/** One part of an inet_aton address: decimal, 0-prefixed octal or 0x-prefixed hex. */
function parseAtonPart(part: string): number | undefined {
  let digits = part;
  let base = 10;
  if (/^0[xX]/.test(part)) {
    digits = part.slice(2);
    base = 16;
  } else if (part.length > 1 && part.startsWith('0')) {
    digits = part.slice(1);
    base = 8;
  }
  const valid = base === 16 ? /^[0-9a-fA-F]+$/ : base === 8 ? /^[0-7]+$/ : /^[0-9]+$/;
  if (!valid.test(digits)) return undefined;
  const value = parseInt(digits, base);
  return value <= UINT32_MAX ? value : undefined;
}

/**
 * inet_aton's forms, with nothing after the address: a.b.c.d, a.b.c (c
 * fills 16 bits), a.b (b fills 24 bits) or a single 32-bit number.
 */
function parseIPv4(text: string): Uint8Array | undefined {
  const parts = text.split('.');
  if (parts.length > 4) return undefined;
  const values = parts.map(parseAtonPart);
  if (values.some((v) => v === undefined)) return undefined;
  const numbers = values as number[];
  const last = numbers.pop()!;
  if (numbers.some((v) => v > 0xff)) return undefined;
  const lastBits = 8 * (4 - numbers.length);
  if (lastBits < 32 && last >= 2 ** lastBits) return undefined;
  const bytes = new Uint8Array(4);
  numbers.forEach((v, i) => (bytes[i] = v));
  for (let i = 3, rest = last; i >= numbers.length; i--, rest = Math.floor(rest / 256)) bytes[i] = rest % 256;
  return bytes;
}

/** Strict dotted quad as inet_pton wants it inside an IPv6 address (no leading zeros). */
function parseDottedQuad(text: string): number[] | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const bytes: number[] = [];
  for (const p of parts) {
    if (!/^(0|[1-9][0-9]{0,2})$/.test(p) || Number(p) > 255) return undefined;
    bytes.push(Number(p));
  }
  return bytes;
}

/** inet_pton(AF_INET6): hex groups, at most one "::", an optional dotted quad at the end. */
function parseIPv6(text: string): Uint8Array | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groupsOf = (half: string): number[] | undefined => {
    if (half === '') return [];
    const out: number[] = [];
    const pieces = half.split(':');
    for (let i = 0; i < pieces.length; i++) {
      const piece = pieces[i]!;
      if (i === pieces.length - 1 && piece.includes('.')) {
        const quad = parseDottedQuad(piece);
        if (!quad) return undefined;
        out.push((quad[0]! << 8) | quad[1]!, (quad[2]! << 8) | quad[3]!);
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(piece)) return undefined;
        out.push(parseInt(piece, 16));
      }
    }
    return out;
  };
  const head = groupsOf(halves[0]!);
  const tail = halves.length === 2 ? groupsOf(halves[1]!) : [];
  if (!head || !tail) return undefined;
  // a dotted quad may only end the address
  if (halves.length === 2 && halves[0]!.includes('.')) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const groups = [...head, ...new Array<number>(missing).fill(0), ...tail];
  const bytes = new Uint8Array(16);
  groups.forEach((g, i) => {
    bytes[2 * i] = g >> 8;
    bytes[2 * i + 1] = g & 0xff;
  });
  return bytes;
}

/**
 * getaddrinfo takes a zone after '%': a number for any address, or the
 * name of an interface of this host for link-local ones.
 */
function parseIPv6WithScope(text: string): IPAddress | undefined {
  const cut = text.indexOf('%');
  const bytes = parseIPv6(cut < 0 ? text : text.slice(0, cut));
  if (!bytes) return undefined;
  if (cut < 0) return { family: 'ipv6', bytes };
  const scope = text.slice(cut + 1);
  const numeric = /^[0-9]+$/.test(scope) && Number(scope) <= UINT32_MAX;
  const namedLinkLocal = isLinkLocalScoped(bytes) && scope in networkInterfaces();
  return numeric || namedLinkLocal ? { family: 'ipv6', bytes, scope } : undefined;
}

/** fe80::/10 and the node- and link-local multicast ranges, where glibc looks zones up by interface name. */
function isLinkLocalScoped(bytes: Uint8Array): boolean {
  const linkLocal = bytes[0] === 0xfe && (bytes[1]! & 0xc0) === 0x80;
  const multicastLocal = bytes[0] === 0xff && ((bytes[1]! & 0x0f) === 1 || (bytes[1]! & 0x0f) === 2);
  return linkLocal || multicastLocal;
}

/** Print an address as glibc's inet_ntop does (what libvirt writes back). */
export function formatIPAddress(addr: IPAddress): string {
  if (addr.family === 'ipv4') return [...addr.bytes].join('.');
  const text = formatIPv6(addr.bytes);
  return addr.scope === undefined ? text : `${text}%${addr.scope}`;
}

function formatIPv6(bytes: Uint8Array): string {
  const groups = Array.from({ length: 8 }, (_, i) => (bytes[2 * i]! << 8) | bytes[2 * i + 1]!);
  // the longest run of two or more zero groups (the first of equals) becomes "::"
  let best = { start: -1, length: 0 };
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > best.length) best = { start: i, length: j - i };
    i = j;
  }
  if (best.length < 2) best = { start: -1, length: 0 };
  // ::a.b.c.d and ::ffff:a.b.c.d keep their IPv4 tail
  const embedsIPv4 = best.start === 0 && (best.length === 6 || (best.length === 5 && groups[5] === 0xffff));
  const hex = (from: number, to: number): string[] => groups.slice(from, to).map((g) => g.toString(16));
  if (best.start < 0) return hex(0, 8).join(':');
  const before = hex(0, best.start).join(':');
  if (embedsIPv4) {
    const prefix = best.length === 5 ? 'ffff:' : '';
    return `::${prefix}${[...bytes.slice(12)].join('.')}`;
  }
  const after = hex(best.start + best.length, 8).join(':');
  return `${before}::${after}`;
}

export function sameIPAddress(a: IPAddress, b: IPAddress): boolean {
  return a.family === b.family && a.bytes.every((v, i) => v === b.bytes[i]);
}

/** The address with only its first `prefix` bits kept. */
export function maskIPAddress(addr: IPAddress, prefix: number): IPAddress {
  const bytes = addr.bytes.map((b, i) => {
    const keep = Math.max(0, Math.min(8, prefix - 8 * i));
    return b & ((0xff << (8 - keep)) & 0xff);
  });
  return { family: addr.family, bytes };
}

/** The address with every bit after the first `prefix` set (IPv4 broadcast). */
export function broadcastIPAddress(addr: IPAddress, prefix: number): IPAddress {
  const bytes = addr.bytes.map((b, i) => {
    const keep = Math.max(0, Math.min(8, prefix - 8 * i));
    return b | (0xff >> keep);
  });
  return { family: addr.family, bytes };
}

/** How many leading one bits a netmask has; undefined when the ones are not contiguous. */
export function netmaskPrefix(netmask: IPAddress): number | undefined {
  const bits = [...netmask.bytes].map((b) => b.toString(2).padStart(8, '0')).join('');
  const ones = bits.indexOf('0') < 0 ? bits.length : bits.indexOf('0');
  return bits.slice(ones).includes('1') ? undefined : ones;
}

/**
 * The prefix length of a network (virSocketAddrGetIPPrefix): the prefix
 * given, else the netmask's, else the classful default of an IPv4 address
 * (0 for 0.0.0.0, undefined for class D/E) or /64 for IPv6 (0 for ::).
 */
export function networkPrefix(address: IPAddress | undefined, netmask: IPAddress | undefined, prefix: number): number | undefined {
  if (prefix > 0) return prefix;
  if (netmask) return netmaskPrefix(netmask);
  if (!address) return 0;
  const unspecified = address.bytes.every((b) => b === 0);
  if (unspecified) return 0;
  if (address.family === 'ipv6') return 64;
  const first = address.bytes[0]!;
  if ((first & 0x80) === 0) return 8;
  if ((first & 0xc0) === 0x80) return 16;
  if ((first & 0xe0) === 0xc0) return 24;
  return undefined;
}

/** The 16-bit groups of an IPv6 address or the bytes of an IPv4 one, as numbers. */
export function addressUnits(addr: IPAddress): number[] {
  if (addr.family === 'ipv4') return [...addr.bytes];
  return Array.from({ length: 8 }, (_, i) => (addr.bytes[2 * i]! << 8) | addr.bytes[2 * i + 1]!);
}
