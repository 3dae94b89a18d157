/**
 * Long mode from the first instruction: the boot GDT and identity page
 * tables in guest memory, and the special registers that use them (paging,
 * PAE, long mode, segments loaded from the same descriptors).
 */
import { BOOT_CS, BOOT_DS, BOOT_TSS, bootGdt, encodeGdt, segmentFromEntry, USER_CS, USER_DS } from '../arch/x86_64/gdt.js';
import { GDT_START, IDT_SIZE, IDT_START, PML4_START } from '../arch/x86_64/layout.js';
import { identityPageTables } from '../arch/x86_64/page-tables.js';
import type { Sregs } from '../arch/x86_64/registers.js';
import type { Machine } from '../vmm/machine.js';

const CR0_PE = 1n << 0n;
const CR0_ET = 1n << 4n;
const CR0_PG = 1n << 31n;
const CR4_PAE = 1n << 5n;
const CR4_OSFXSR = 1n << 9n;
const CR4_OSXMMEXCPT = 1n << 10n;
const EFER_LME = 1n << 8n;
const EFER_LMA = 1n << 10n;

export type PrivilegeLevel = 0 | 3;

/** Write the GDT and page tables; the page tables are user-accessible for a CPL3 start. */
export function writeLongModeTables(machine: Machine, cpl: PrivilegeLevel): void {
  machine.writeMemory(GDT_START, encodeGdt(bootGdt()));
  for (const { guestAddress, bytes } of identityPageTables({ user: cpl === 3 })) machine.writeMemory(guestAddress, bytes);
}

/** `base` (a vCPU's current special registers) switched to 64-bit mode at `cpl`. */
export function longModeSregs(base: Sregs, cpl: PrivilegeLevel): Sregs {
  const gdt = bootGdt();
  const [cs, ds] = cpl === 3 ? [USER_CS, USER_DS] : [BOOT_CS, BOOT_DS];
  const data = segmentFromEntry(gdt[ds >> 3]!, ds);
  return {
    ...base,
    cs: segmentFromEntry(gdt[cs >> 3]!, cs),
    ds: data,
    es: data,
    fs: data,
    gs: data,
    ss: data,
    tr: segmentFromEntry(gdt[BOOT_TSS >> 3]!, BOOT_TSS),
    gdt: { base: BigInt(GDT_START), limit: gdt.length * 8 - 1 },
    idt: { base: BigInt(IDT_START), limit: IDT_SIZE - 1 },
    cr0: (base.cr0 | CR0_PE | CR0_ET | CR0_PG) & ~((1n << 29n) | (1n << 30n)), // caches on: NW and CD clear
    cr3: BigInt(PML4_START),
    cr4: base.cr4 | CR4_PAE | CR4_OSFXSR | CR4_OSXMMEXCPT,
    efer: base.efer | EFER_LME | EFER_LMA,
  };
}
