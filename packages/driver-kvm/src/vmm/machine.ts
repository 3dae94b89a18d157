/**
 * A KVM virtual machine as TypeScript drives it: guest RAM, vCPU state,
 * start/pause/resume/stop, the serial port's byte streams, and the guest's
 * control events. The vCPUs run on native threads; nothing here runs per
 * guest I/O.
 */
import { EventEmitter } from 'node:events';
import { Socket } from 'node:net';
import { I8042_PORT, KVM_IDENTITY_MAP_ADDRESS, KVM_TSS_ADDRESS, ramRanges, RTC_PORT, SERIAL_GSI, SERIAL_PORT } from '../arch/x86_64/layout.js';
import { decodeRegs, decodeSregs, encodeRegs, encodeSregs, type Regs, type Sregs } from '../arch/x86_64/registers.js';
import { native, type MachineHandle, type NativeGuestEvent, type NativeRunState, type VcpuStateKind } from '../native.js';

export interface MachineOptions {
  /** Guest RAM in bytes (a multiple of 4 KiB). */
  memory: number;
  vcpus: number;
  hugePages?: boolean;
}

export type GuestEvent = NativeGuestEvent;

export class Machine extends EventEmitter<{ 'guest-event': [GuestEvent] }> {
  readonly vcpus: number;
  readonly memorySize: number;
  private readonly handle: MachineHandle;
  private isDestroyed = false;

  constructor(options: MachineOptions) {
    super();
    this.vcpus = options.vcpus;
    this.memorySize = options.memory;
    this.handle = native().createMachine(
      {
        memory: ramRanges(options.memory),
        hugePages: options.hugePages ?? false,
        vcpus: options.vcpus,
        tssAddress: KVM_TSS_ADDRESS,
        identityMapAddress: KVM_IDENTITY_MAP_ADDRESS,
        serialPort: SERIAL_PORT,
        serialGsi: SERIAL_GSI,
        i8042Port: I8042_PORT,
        rtcPort: RTC_PORT,
      },
      (event) => this.emit('guest-event', event),
    );
  }

  get state(): NativeRunState {
    return native().machineState(this.handle);
  }

  writeMemory(guestAddress: number, bytes: Buffer): void {
    native().machineWriteMemory(this.handle, guestAddress, bytes);
  }

  readMemory(guestAddress: number, length: number): Buffer {
    return native().machineReadMemory(this.handle, guestAddress, length);
  }

  vcpuState(vcpu: number, kind: VcpuStateKind): Buffer {
    return native().machineGetVcpuState(this.handle, vcpu, kind);
  }

  setVcpuState(vcpu: number, kind: VcpuStateKind, state: Buffer): void {
    native().machineSetVcpuState(this.handle, vcpu, kind, state);
  }

  regs(vcpu: number): Regs {
    return decodeRegs(this.vcpuState(vcpu, 'regs'));
  }

  setRegs(vcpu: number, regs: Regs): void {
    this.setVcpuState(vcpu, 'regs', encodeRegs(regs));
  }

  sregs(vcpu: number): Sregs {
    return decodeSregs(this.vcpuState(vcpu, 'sregs'));
  }

  setSregs(vcpu: number, sregs: Sregs): void {
    this.setVcpuState(vcpu, 'sregs', encodeSregs(sregs));
  }

  setCpuid(vcpu: number, entries: Buffer): void {
    native().machineSetCpuid(this.handle, vcpu, entries);
  }

  msrs(vcpu: number, indices: Uint32Array): BigUint64Array {
    return native().machineGetMsrs(this.handle, vcpu, indices);
  }

  setMsrs(vcpu: number, indices: Uint32Array, values: BigUint64Array): void {
    native().machineSetMsrs(this.handle, vcpu, indices, values);
  }

  vcpuStats(vcpu: number): { exits: number; threadId: number } {
    return native().machineVcpuStats(this.handle, vcpu);
  }

  /** The serial port's output as a stream (once per machine). */
  serialOutput(): Socket {
    return new Socket({ fd: native().machineSerialOutput(this.handle), readable: true, writable: false });
  }

  /** Offer input to the serial port: how many bytes it took (its FIFO is small; offer the rest later). */
  serialInput(bytes: Buffer): number {
    return native().machineSerialReceive(this.handle, bytes);
  }

  /** Start the vCPUs; `paused` parks them before their first instruction (resume() lets them go). */
  start(options: { paused?: boolean } = {}): void {
    native().machineStart(this.handle, options.paused ?? false);
  }

  /** Returns once every vCPU is out of the guest. */
  pause(): void {
    native().machinePause(this.handle);
  }

  resume(): void {
    native().machineResume(this.handle);
  }

  stop(): void {
    native().machineStop(this.handle);
  }

  /** Stop the vCPUs and free the VM now; the machine is unusable afterwards. */
  destroy(): void {
    native().machineDestroy(this.handle);
    this.isDestroyed = true;
  }

  get destroyed(): boolean {
    return this.isDestroyed;
  }
}
