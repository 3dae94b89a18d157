/**
 * The recipe that turns a machine spec into a machine ready to start,
 * top to bottom: the kernel image, the VM with its RAM, vCPUs and board
 * devices, then the boot step the image calls for.
 */
import type { MachineSpec } from '../domain/machine-spec.js';
import { unsupportedConfig } from '../domain/errors.js';
import { bootUserProgram } from '../boot/user-program.js';
import { loadKernelImage } from '../loader/kernel-image.js';
import { Machine } from './machine.js';

export function buildMachine(spec: MachineSpec): Machine {
  const kernel = loadKernelImage(spec.kernel);
  if (spec.initrd || spec.cmdline) throw unsupportedConfig('a user-mode program takes no <initrd> or <cmdline>');
  const machine = new Machine({ memory: spec.memoryBytes, vcpus: spec.vcpus });
  try {
    bootUserProgram(machine, kernel.elf, kernel.path);
    return machine;
  } catch (err) {
    machine.destroy();
    throw err;
  }
}
