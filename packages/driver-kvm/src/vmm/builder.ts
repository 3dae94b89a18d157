/**
 * The recipe that turns a machine spec into a machine ready to start,
 * top to bottom: the kernel image, the VM with its RAM, vCPUs and board
 * devices, then the boot step the image calls for.
 */
import type { MachineSpec } from '../domain/machine-spec.js';
import { unsupportedConfig } from '../domain/errors.js';
import { readFileSync } from 'node:fs';
import { bootLinux } from '../boot/linux.js';
import { bootUserProgram } from '../boot/user-program.js';
import { imageError } from '../loader/image-error.js';
import { loadKernelImage } from '../loader/kernel-image.js';
import { Machine } from './machine.js';

export function buildMachine(spec: MachineSpec): Machine {
  const kernel = loadKernelImage(spec.kernel);
  if (kernel.kind === 'user-program' && (spec.initrd || spec.cmdline)) throw unsupportedConfig('a user-mode program takes no <initrd> or <cmdline>');
  const initrd = spec.initrd === undefined ? undefined : readInitrd(spec.initrd);
  const machine = new Machine({ memory: spec.memoryBytes, vcpus: spec.vcpus });
  try {
    if (kernel.kind === 'user-program') bootUserProgram(machine, kernel.elf, kernel.path);
    else bootLinux(machine, { kernel: kernel.bzImage, kernelPath: kernel.path, initrd, initrdPath: spec.initrd, cmdline: spec.cmdline ?? '' });
    return machine;
  } catch (err) {
    machine.destroy();
    throw err;
  }
}

function readInitrd(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    throw imageError(path, (err as Error).message, 'initrd');
  }
}
