/**
 * What every vCPU gets before its first instruction, whatever it boots:
 * the filtered CPUID, the boot MSRs, x87/SSE control words as after FNINIT
 * and reset, and the local APIC's LINT pins wired as on a PC.
 */
import { decodeCpuid, encodeCpuid, guestCpuid } from '../arch/x86_64/cpuid.js';
import { wireLintPins } from '../arch/x86_64/lapic.js';
import { bootMsrs } from '../arch/x86_64/msrs.js';
import { encodeFpu } from '../arch/x86_64/registers.js';
import { native } from '../native.js';
import type { Machine } from '../vmm/machine.js';

/** FNINIT's control word and MXCSR's reset value (all exceptions masked). */
const FPU_CONTROL_WORD = 0x37f;
const MXCSR_RESET = 0x1f80;

export function setUpVcpus(machine: Machine): void {
  const supported = decodeCpuid(native().supportedCpuid());
  const { indices, values } = bootMsrs();
  for (let vcpu = 0; vcpu < machine.vcpus; vcpu++) {
    machine.setCpuid(vcpu, encodeCpuid(guestCpuid(supported, vcpu, machine.vcpus)));
    machine.setMsrs(vcpu, indices, values);
    machine.setVcpuState(vcpu, 'fpu', encodeFpu(FPU_CONTROL_WORD, MXCSR_RESET));
    machine.setVcpuState(vcpu, 'lapic', wireLintPins(machine.vcpuState(vcpu, 'lapic')));
  }
}
