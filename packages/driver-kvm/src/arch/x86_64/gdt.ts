/**
 * The boot GDT. A descriptor is built from its flags word (access byte in
 * the low 8 bits, granularity/size nibble in bits 12-15), base and limit,
 * and the matching kvm_segment is derived from the same descriptor, so the
 * table in guest memory and the hidden segment state never disagree.
 */
import type { Segment } from './registers.js';

/** Flags words: 64-bit code, data, busy 64-bit TSS, at CPL0 and CPL3. */
export const CODE64_FLAGS = 0xa09b;
export const DATA_FLAGS = 0xc093;
export const TSS64_FLAGS = 0x808b;
export const USER_CODE64_FLAGS = 0xa0fb;
export const USER_DATA_FLAGS = 0xc0f3;

/** Selectors (index * 8 | RPL): the Linux boot protocol's __BOOT_CS and __BOOT_DS, then ours. */
export const BOOT_CS = 0x10;
export const BOOT_DS = 0x18;
export const BOOT_TSS = 0x20;
export const USER_CS = 0x30 | 3;
export const USER_DS = 0x38 | 3;

/** A segment descriptor's 8 bytes as a number. */
export function gdtEntry(flags: number, base: number, limit: number): bigint {
  const b = BigInt(base >>> 0);
  const l = BigInt(limit >>> 0);
  const f = BigInt(flags);
  return (
    ((b & 0xff00_0000n) << 32n) |
    ((f & 0xf0ffn) << 40n) |
    ((l & 0xf_0000n) << 32n) |
    ((b & 0x00ff_ffffn) << 16n) |
    (l & 0xffffn)
  );
}

/** The kvm_segment a descriptor loads into a segment register. */
export function segmentFromEntry(entry: bigint, selector: number): Segment {
  const bits = (shift: bigint, width: bigint) => Number((entry >> shift) & ((1n << width) - 1n));
  const g = bits(55n, 1n);
  const rawLimit = bits(0n, 16n) | (bits(48n, 4n) << 16);
  return {
    base: BigInt(bits(16n, 24n)) | (BigInt(bits(56n, 8n)) << 24n),
    // with 4 KiB granularity the limit counts pages: the last byte is at (limit << 12) | 0xfff
    limit: g ? ((rawLimit << 12) | 0xfff) >>> 0 : rawLimit,
    selector,
    type: bits(40n, 4n),
    s: bits(44n, 1n),
    dpl: bits(45n, 2n),
    present: bits(47n, 1n),
    avl: bits(52n, 1n),
    l: bits(53n, 1n),
    db: bits(54n, 1n),
    g,
    unusable: bits(47n, 1n) ? 0 : 1,
  };
}

/** The boot GDT's descriptors, indexed by selector / 8 (the TSS takes two slots in long mode). */
export function bootGdt(): bigint[] {
  return [
    0n,
    0n,
    gdtEntry(CODE64_FLAGS, 0, 0xfffff),
    gdtEntry(DATA_FLAGS, 0, 0xfffff),
    gdtEntry(TSS64_FLAGS, 0, 0xfffff),
    0n,
    gdtEntry(USER_CODE64_FLAGS, 0, 0xfffff),
    gdtEntry(USER_DATA_FLAGS, 0, 0xfffff),
  ];
}

/** The table as the bytes written to guest memory. */
export function encodeGdt(entries: bigint[]): Buffer {
  const buf = Buffer.alloc(entries.length * 8);
  entries.forEach((entry, i) => buf.writeBigUInt64LE(entry, i * 8));
  return buf;
}
