export { Machine, type MachineOptions, type GuestEvent } from './vmm/machine.js';
export { kvmHost, type KvmHost } from './host.js';
export { parseElf, isElf, type ElfImage, type ElfSegment, type ElfNote } from './loader/elf.js';
export { bootUserProgram } from './boot/user-program.js';
export { kvmDriver } from './driver/factory.js';
export { parseBzImage, isBzImage, type BzImage } from './loader/bzimage.js';
export { bootLinux, type LinuxBoot } from './boot/linux.js';
