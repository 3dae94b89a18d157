/**
 * Every guest-physical address and port the x86-64 machine uses, in one
 * place. Low memory follows the Linux boot protocol's expectations and the
 * PC's legacy holes; devices sit in the MMIO gap below 4 GiB.
 */

/** Page size and the boot page tables' large page. */
export const PAGE_SIZE = 0x1000;
export const LARGE_PAGE_SIZE = 0x20_0000;

/** The boot GDT: null, null, __BOOT_CS (0x10), __BOOT_DS (0x18), TSS (0x20, 16 bytes), user code (0x30), user data (0x38). */
export const GDT_START = 0x500;
/** The boot IDT: empty for a kernel (it loads its own), the user-mode program's own table otherwise. */
export const IDT_START = 0x1000;
export const IDT_SIZE = 0x1000;

/** Identity-mapped boot page tables: PML4, one PDPT, and one page directory per GiB mapped. */
export const PML4_START = 0x9000;
export const PDPT_START = 0xa000;
export const PD_START = 0xb000;
/** How much the boot page tables map (a kernel builds its own as soon as it starts). */
export const BOOT_IDENTITY_MAP_SIZE = 0x4000_0000;

/** The zero page (struct boot_params) for a bzImage, and the kernel command line. */
export const ZERO_PAGE_START = 0x7000;
export const BOOT_STACK_POINTER = 0x8ff0;
export const CMDLINE_START = 0x2_0000;
export const CMDLINE_MAX_SIZE = 0x1_0000;

/** Where the legacy BIOS area starts: nothing of ours goes between here and 1 MiB. */
export const EBDA_START = 0x9_fc00;
/** Where a kernel is loaded (the protected-mode kernel's conventional address). */
export const HIMEM_START = 0x10_0000;

/** A user-mode program's stacks: one per vCPU, growing down from here. */
export const USER_STACK_TOP = 0x8_0000;
export const USER_STACK_SIZE = 0x1_0000;

/** The MMIO gap below 4 GiB: RAM above it continues at 4 GiB. */
export const MMIO_GAP_START = 0xd000_0000;
export const MMIO_GAP_END = 0x1_0000_0000;

/** Three pages KVM needs out of the guest's way on Intel (real-mode TSS and identity map), at the top of the gap. */
export const KVM_TSS_ADDRESS = 0xfffb_d000;
export const KVM_IDENTITY_MAP_ADDRESS = 0xfffb_c000;

/** The in-kernel IOAPIC and local APIC. */
export const IOAPIC_START = 0xfec0_0000;
export const APIC_START = 0xfee0_0000;

/** COM1 and its ISA interrupt; the i8042 keyboard controller (0x60 data, 0x64 status/command). */
export const SERIAL_PORT = 0x3f8;
export const SERIAL_GSI = 4;
export const I8042_PORT = 0x60;
/** The CMOS real-time clock: index 0x70, data 0x71 (ISA IRQ 8, not raised: no RTC interrupts are emulated). */
export const RTC_PORT = 0x70;

/** Guest RAM as KVM memory regions: below the MMIO gap, and the rest above 4 GiB. */
export function ramRanges(size: number): { guestAddress: number; size: number }[] {
  if (size <= MMIO_GAP_START) return [{ guestAddress: 0, size }];
  return [
    { guestAddress: 0, size: MMIO_GAP_START },
    { guestAddress: MMIO_GAP_END, size: size - MMIO_GAP_START },
  ];
}
