/**
 * Identity-mapped boot page tables for long mode: one PML4 entry, one PDPT
 * entry per GiB, and 2 MiB pages. A kernel replaces them at once; a
 * user-mode program runs on them, so they can be made user-accessible.
 */
import { BOOT_IDENTITY_MAP_SIZE, LARGE_PAGE_SIZE, PAGE_SIZE, PD_START, PDPT_START, PML4_START } from './layout.js';

const PRESENT = 1n << 0n;
const WRITABLE = 1n << 1n;
const USER = 1n << 2n;
const LARGE = 1n << 7n;
const ENTRIES_PER_TABLE = 512;

export interface PageTableWrite {
  guestAddress: number;
  bytes: Buffer;
}

/** The tables' pages, each as the bytes to write at its guest address; CR3 is PML4_START. */
export function identityPageTables(options: { user: boolean }): PageTableWrite[] {
  const flags = PRESENT | WRITABLE | (options.user ? USER : 0n);
  const gibs = BOOT_IDENTITY_MAP_SIZE / (ENTRIES_PER_TABLE * LARGE_PAGE_SIZE);
  const pml4 = Buffer.alloc(PAGE_SIZE);
  pml4.writeBigUInt64LE(BigInt(PDPT_START) | flags, 0);
  const pdpt = Buffer.alloc(PAGE_SIZE);
  const writes: PageTableWrite[] = [
    { guestAddress: PML4_START, bytes: pml4 },
    { guestAddress: PDPT_START, bytes: pdpt },
  ];
  for (let gib = 0; gib < gibs; gib++) {
    const pdAddress = PD_START + gib * PAGE_SIZE;
    pdpt.writeBigUInt64LE(BigInt(pdAddress) | flags, gib * 8);
    const pd = Buffer.alloc(PAGE_SIZE);
    for (let i = 0; i < ENTRIES_PER_TABLE; i++) {
      const address = BigInt((gib * ENTRIES_PER_TABLE + i) * LARGE_PAGE_SIZE);
      pd.writeBigUInt64LE(address | flags | LARGE, i * 8);
    }
    writes.push({ guestAddress: pdAddress, bytes: pd });
  }
  return writes;
}
