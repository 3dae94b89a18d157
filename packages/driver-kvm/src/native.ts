import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { ErrorDomain, nativeErrorFactory, type NativeErrorFactory } from '@virt/core-api';

/** Where the board's devices sit, and the guest's RAM (createMachine's config). */
export interface NativeMachineConfig {
  memory: { guestAddress: number; size: number }[];
  hugePages: boolean;
  vcpus: number;
  tssAddress: number;
  identityMapAddress: number;
  serialPort: number;
  serialGsi: number;
  i8042Port: number;
  rtcPort: number;
}

/** What the guest did that the host must act on; the vCPUs are parked when it arrives. */
export interface NativeGuestEvent {
  kind: 'reset' | 'shutdown' | 'crashed';
  vcpu: number;
  detail: string;
}

export type VcpuStateKind = 'regs' | 'sregs' | 'fpu' | 'xsave' | 'xcrs' | 'lapic' | 'mp-state' | 'events' | 'debug-regs';
export type NativeRunState = 'created' | 'running' | 'paused' | 'guest-stopped' | 'stopped';

declare const machineHandle: unique symbol;
/** An opaque, type-tagged handle: the addon refuses anything else. */
export type MachineHandle = { readonly [machineHandle]: true };

/** The addon's functions (packages/driver-kvm/native/addon). State moves as the kernel's structs, byte for byte. */
export interface Native {
  setErrorFactory(factory: NativeErrorFactory): void;
  kvmInfo(): { apiVersion: number; flavour: 'vmx' | 'svm' | 'pvm' | 'unknown'; maxVcpus: number; vcpuMmapSize: number };
  checkExtension(capability: number): number;
  /** kvm_cpuid_entry2[] (40 bytes each). */
  supportedCpuid(): Buffer;
  msrIndexList(): Uint32Array;

  createMachine(config: NativeMachineConfig, onEvent: (event: NativeGuestEvent) => void): MachineHandle;
  /** Stop the vCPUs and free the VM now rather than at garbage collection. */
  machineDestroy(handle: MachineHandle): void;
  /** Start the vCPU threads, parked at once when `paused`. */
  machineStart(handle: MachineHandle, paused?: boolean): void;
  machinePause(handle: MachineHandle): void;
  machineResume(handle: MachineHandle): void;
  machineStop(handle: MachineHandle): void;
  machineState(handle: MachineHandle): NativeRunState;
  machineWriteMemory(handle: MachineHandle, guestAddress: number, data: Buffer): void;
  machineReadMemory(handle: MachineHandle, guestAddress: number, length: number): Buffer;
  machineGetVcpuState(handle: MachineHandle, vcpu: number, kind: VcpuStateKind): Buffer;
  machineSetVcpuState(handle: MachineHandle, vcpu: number, kind: VcpuStateKind, state: Buffer): void;
  machineSetCpuid(handle: MachineHandle, vcpu: number, entries: Buffer): void;
  machineGetMsrs(handle: MachineHandle, vcpu: number, indices: Uint32Array): BigUint64Array;
  machineSetMsrs(handle: MachineHandle, vcpu: number, indices: Uint32Array, values: BigUint64Array): void;
  /** How many bytes of `input` the serial port's receive FIFO took. */
  machineSerialReceive(handle: MachineHandle, input: Buffer): number;
  /** The read end of the serial output pipe (once; the caller owns it). */
  machineSerialOutput(handle: MachineHandle): number;
  machineVcpuStats(handle: MachineHandle, vcpu: number): { exits: number; threadId: number };
}

let loaded: Native | undefined;

/** The addon, loaded on first use so that importing the package never needs /dev/kvm. */
export function native(): Native {
  if (loaded) return loaded;
  // found through the package itself, so that the path holds from dist/, from src/ (tests) and from bundles
  const require = createRequire(import.meta.url);
  const root = dirname(require.resolve('@virt/driver-kvm/package.json'));
  loaded = require(join(root, 'build', 'Release', 'virt_kvm.node')) as Native;
  loaded.setErrorFactory(nativeErrorFactory(ErrorDomain.QEMU));
  return loaded;
}
