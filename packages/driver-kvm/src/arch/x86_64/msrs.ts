/**
 * The MSRs a boot sets on every vCPU: syscall and sysenter entry points
 * cleared, fast strings enabled, write-back as the default memory type, and
 * a TSC starting at zero.
 */
export const MSR_IA32_TSC = 0x10;
export const MSR_IA32_SYSENTER_CS = 0x174;
export const MSR_IA32_SYSENTER_ESP = 0x175;
export const MSR_IA32_SYSENTER_EIP = 0x176;
export const MSR_IA32_MISC_ENABLE = 0x1a0;
export const MSR_MTRR_DEF_TYPE = 0x2ff;
export const MSR_STAR = 0xc000_0081;
export const MSR_LSTAR = 0xc000_0082;
export const MSR_CSTAR = 0xc000_0083;
export const MSR_SYSCALL_MASK = 0xc000_0084;
export const MSR_KERNEL_GS_BASE = 0xc000_0102;

const MISC_ENABLE_FAST_STRING = 1n;
/** MTRRs enabled (bit 11), default type write-back (6). */
const MTRR_ENABLE_WRITE_BACK = (1n << 11n) | 6n;

export function bootMsrs(): { indices: Uint32Array; values: BigUint64Array } {
  const entries: [number, bigint][] = [
    [MSR_IA32_SYSENTER_CS, 0n],
    [MSR_IA32_SYSENTER_ESP, 0n],
    [MSR_IA32_SYSENTER_EIP, 0n],
    [MSR_STAR, 0n],
    [MSR_CSTAR, 0n],
    [MSR_KERNEL_GS_BASE, 0n],
    [MSR_SYSCALL_MASK, 0n],
    [MSR_LSTAR, 0n],
    [MSR_IA32_TSC, 0n],
    [MSR_IA32_MISC_ENABLE, MISC_ENABLE_FAST_STRING],
    [MSR_MTRR_DEF_TYPE, MTRR_ENABLE_WRITE_BACK],
  ];
  return { indices: Uint32Array.from(entries.map(([index]) => index)), values: BigUint64Array.from(entries.map(([, value]) => value)) };
}
