/**
 * What the VMM builds for a domain definition. Everything the definition
 * asks for is either honoured here or refused with VIR_ERR_CONFIG_UNSUPPORTED
 * naming the element: nothing is silently dropped.
 */
import type { ChrDef, DomainDef } from '@virt/core-api';
import { unsupportedConfig } from './errors.js';

export type LifecycleAction = 'destroy' | 'restart' | 'preserve';

export interface MachineSpec {
  name: string;
  uuid: string;
  memoryBytes: number;
  vcpus: number;
  kernel: string;
  initrd?: string;
  cmdline?: string;
  onPoweroff: LifecycleAction;
  onReboot: LifecycleAction;
  onCrash: LifecycleAction;
  /** A file the serial port's output is also written to (`<serial type='file'>`). */
  serialFile?: string;
}

/** Features a PC guest of ours gets (ACPI tables are not built yet); the rest are refused. */
const FEATURES = new Set(['apic', 'pae']);
/** Character device types the COM1 port can stand for: all end up on the console socket. */
const SERIAL_TYPES = new Set(['pty', 'file', 'null']);

export function machineSpec(def: DomainDef): MachineSpec {
  if (def.type !== 'kvm') throw unsupportedConfig(`domain type '${def.type}' is not served by the kvm driver`);
  if (def.os.type !== 'hvm') throw unsupportedConfig(`OS type '${def.os.type}' is not supported: the kvm driver runs hvm guests`);
  if (def.os.arch !== undefined && def.os.arch !== 'x86_64') throw unsupportedConfig(`architecture '${def.os.arch}' is not supported: the kvm driver runs x86_64 guests`);
  if (!def.os.kernel) throw unsupportedConfig('<os> without <kernel>: the kvm driver boots a kernel directly and has no firmware');
  if (def.os.loader || def.os.firmware) throw unsupportedConfig('<os><loader>: the kvm driver has no firmware');
  if (def.maxMemory) throw unsupportedConfig('<maxMemory>: memory hotplug is not supported');
  if (def.currentMemory !== def.memory) throw unsupportedConfig('<currentMemory> below <memory> needs a balloon device, which is not supported yet');
  if (def.vcpu.current !== def.vcpu.max) throw unsupportedConfig("<vcpu current='...'> below the maximum: vCPU hotplug is not supported yet");
  for (const feature of def.features?.items ?? []) {
    if (!FEATURES.has(feature.name)) throw unsupportedConfig(`<features><${feature.name}> is not supported`);
  }
  if (def.clock.offset !== 'utc' || def.clock.timers.length > 0) throw unsupportedConfig("<clock> other than offset='utc' without timers is not supported");
  for (const el of def.raw) throw unsupportedConfig(`<${el.name}> is not supported`);
  const devices = def.devices;
  if (devices.disks.length > 0) throw unsupportedConfig('<disk> is not supported yet');
  if (devices.interfaces.length > 0) throw unsupportedConfig('<interface> is not supported yet');
  if (devices.parallels.length > 0) throw unsupportedConfig('<parallel> is not supported');
  if (devices.channels.length > 0) throw unsupportedConfig('<channel> is not supported');
  for (const controller of devices.controllers) throw unsupportedConfig(`<controller type='${controller.type}'> is not supported`);
  for (const el of devices.others) {
    if (el.name === 'memballoon' && el.attr('model') === 'none') continue;
    throw unsupportedConfig(`<${el.name}> is not supported`);
  }
  return {
    name: def.name,
    uuid: def.uuid,
    memoryBytes: def.memory * 1024,
    vcpus: def.vcpu.max,
    kernel: def.os.kernel,
    ...(def.os.initrd ? { initrd: def.os.initrd } : {}),
    ...(def.os.cmdline ? { cmdline: def.os.cmdline } : {}),
    onPoweroff: lifecycle(def.onPoweroff, 'on_poweroff'),
    onReboot: lifecycle(def.onReboot, 'on_reboot'),
    onCrash: lifecycle(def.onCrash, 'on_crash'),
    ...serialFile(devices.serials, devices.consoles),
  };
}

function lifecycle(action: string, element: string): LifecycleAction {
  if (action === 'destroy' || action === 'restart' || action === 'preserve') return action;
  throw unsupportedConfig(`<${element}>${action}</${element}> is not supported`);
}

/** One serial port (COM1), which a console may name again; its output file if it has one. */
function serialFile(serials: ChrDef[], consoles: ChrDef[]): { serialFile?: string } {
  if (serials.length > 1) throw unsupportedConfig('more than one <serial>: the kvm driver has one serial port');
  for (const console of consoles) {
    if (console.target.type !== undefined && console.target.type !== 'serial') throw unsupportedConfig(`<console><target type='${console.target.type}'> is not supported`);
  }
  const serial = serials[0] ?? consoles[0];
  if (!serial) return {};
  if (!SERIAL_TYPES.has(serial.type)) throw unsupportedConfig(`<${serial.kind} type='${serial.type}'> is not supported`);
  if (serial.type !== 'file') return {};
  const path = serial.raw.find((el) => el.name === 'source')?.attr('path');
  if (!path) throw unsupportedConfig(`<${serial.kind} type='file'> needs <source path='...'>`);
  return { serialFile: path };
}
