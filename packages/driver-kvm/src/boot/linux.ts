/**
 * Boot step for a Linux bzImage through the 64-bit boot protocol: the
 * protected-mode kernel at 1 MiB, the initrd as high as it may go, the
 * command line, the zero page with the e820 map, the MP table, then the
 * boot CPU in long mode at the 64-bit entry with RSI pointing at the zero
 * page. The other vCPUs wait for the kernel's INIT/SIPI.
 */
import { encodeBootParams } from '../arch/x86_64/boot-params.js';
import { e820Map } from '../arch/x86_64/e820.js';
import { BOOT_STACK_POINTER, CMDLINE_MAX_SIZE, CMDLINE_START, EBDA_START, HIMEM_START, MMIO_GAP_START, PAGE_SIZE, ZERO_PAGE_START } from '../arch/x86_64/layout.js';
import { mpTable } from '../arch/x86_64/mptable.js';
import { resetRegs } from '../arch/x86_64/registers.js';
import type { BzImage } from '../loader/bzimage.js';
import { imageError } from '../loader/image-error.js';
import type { Machine } from '../vmm/machine.js';
import { longModeSregs, writeLongModeTables } from './long-mode.js';
import { setUpVcpus } from './vcpu-setup.js';

/** The 64-bit entry point is 0x200 bytes into the protected-mode kernel. */
const ENTRY_64_OFFSET = 0x200;

export interface LinuxBoot {
  kernel: BzImage;
  kernelPath: string;
  initrd?: Buffer;
  initrdPath?: string;
  cmdline: string;
}

export function bootLinux(machine: Machine, boot: LinuxBoot): void {
  const { kernel } = boot;
  if (HIMEM_START + kernel.kernel.length > machine.memorySize) throw imageError(boot.kernelPath, 'the kernel does not fit in guest RAM');
  machine.writeMemory(HIMEM_START, kernel.kernel);

  const cmdline = Buffer.from(`${boot.cmdline}\0`, 'latin1');
  if (cmdline.length - 1 > Math.min(kernel.cmdlineSize, CMDLINE_MAX_SIZE - 1)) {
    throw imageError(boot.kernelPath, `the command line is longer than the kernel's ${kernel.cmdlineSize} bytes`);
  }
  machine.writeMemory(CMDLINE_START, cmdline);

  const initrd = boot.initrd && placeInitrd(machine, boot.initrd, kernel, HIMEM_START + kernel.kernel.length, boot.initrdPath ?? '');
  machine.writeMemory(ZERO_PAGE_START, encodeBootParams({ setupHeader: kernel.setupHeader, cmdlineAddress: CMDLINE_START, initrd, e820: e820Map(machine.memorySize) }));
  machine.writeMemory(EBDA_START, mpTable(EBDA_START, machine.vcpus));

  writeLongModeTables(machine, 0);
  setUpVcpus(machine);
  machine.setSregs(0, longModeSregs(machine.sregs(0), 0));
  machine.setRegs(0, { ...resetRegs(), rip: BigInt(HIMEM_START + ENTRY_64_OFFSET), rsp: BigInt(BOOT_STACK_POINTER), rbp: BigInt(BOOT_STACK_POINTER), rsi: BigInt(ZERO_PAGE_START) });
}

/** The initrd goes as high as the kernel allows below the MMIO gap, page-aligned, above the kernel. */
function placeInitrd(machine: Machine, initrd: Buffer, kernel: BzImage, kernelEnd: number, path: string): { address: number; size: number } {
  const top = Math.min(machine.memorySize, MMIO_GAP_START, kernel.initrdAddrMax + 1);
  const address = Math.floor((top - initrd.length) / PAGE_SIZE) * PAGE_SIZE;
  if (address < kernelEnd) throw imageError(path, 'it does not fit in guest RAM above the kernel', 'initrd');
  machine.writeMemory(address, initrd);
  return { address, size: initrd.length };
}
