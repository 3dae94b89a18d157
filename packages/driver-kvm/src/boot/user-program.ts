/**
 * Boot step for a guest program that runs in 64-bit user mode (CPL3, IOPL 3):
 * the kind that runs at full speed even where /dev/kvm is PVM, where guest
 * CPL0 code is emulated. The program gets identity-mapped user pages and may
 * do port I/O. Interrupts are enabled from the start (PVM does not let CPL3
 * code change RFLAGS.IF), so the program fills its IDT at IDT_START (gates
 * leading to CPL3 code) before it unmasks anything at the PIC. Every vCPU
 * starts at the entry point with rdi = its index, rsi = the vCPU count and
 * its own stack.
 */
import { HIMEM_START, USER_STACK_SIZE, USER_STACK_TOP } from '../arch/x86_64/layout.js';
import type { ElfImage } from '../loader/elf.js';
import { imageError } from '../loader/image-error.js';
import { resetRegs, RFLAGS_RESERVED } from '../arch/x86_64/registers.js';
import type { Machine } from '../vmm/machine.js';
import { longModeSregs, writeLongModeTables } from './long-mode.js';
import { setUpVcpus } from './vcpu-setup.js';

/** KVM_MP_STATE_RUNNABLE: with an in-kernel APIC, other vCPUs would otherwise wait for INIT and SIPI. */
const MP_STATE_RUNNABLE = Buffer.alloc(4);
const RFLAGS_IOPL3 = 3n << 12n;
const RFLAGS_IF = 1n << 9n;

export function bootUserProgram(machine: Machine, program: ElfImage, path: string): void {
  if (USER_STACK_TOP - machine.vcpus * USER_STACK_SIZE < 0) throw imageError(path, 'too many vCPUs for the user-mode stacks');
  for (const segment of program.segments) {
    if (segment.guestAddress < HIMEM_START || segment.guestAddress + segment.memSize > machine.memorySize)
      throw imageError(path, `segment at ${hex(segment.guestAddress)} is outside guest RAM above 1 MiB`);
    machine.writeMemory(segment.guestAddress, segment.data);
    // the bss: guest RAM starts zeroed, but a reboot reuses it
    if (segment.memSize > segment.data.length)
      machine.writeMemory(segment.guestAddress + segment.data.length, Buffer.alloc(segment.memSize - segment.data.length));
  }
  writeLongModeTables(machine, 3);
  setUpVcpus(machine);
  for (let vcpu = 0; vcpu < machine.vcpus; vcpu++) {
    machine.setSregs(vcpu, longModeSregs(machine.sregs(vcpu), 3));
    machine.setRegs(vcpu, {
      ...resetRegs(),
      rip: program.entry,
      rsp: BigInt(USER_STACK_TOP - vcpu * USER_STACK_SIZE),
      rdi: BigInt(vcpu),
      rsi: BigInt(machine.vcpus),
      rflags: RFLAGS_RESERVED | RFLAGS_IOPL3 | RFLAGS_IF,
    });
    machine.setVcpuState(vcpu, 'mp-state', MP_STATE_RUNNABLE);
  }
}

function hex(n: number): string {
  return `0x${n.toString(16)}`;
}
