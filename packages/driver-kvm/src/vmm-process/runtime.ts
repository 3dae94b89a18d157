/**
 * One running domain inside its VMM process: the machine, its run status as
 * QMP reports it, and what happens when the guest resets, powers off or
 * crashes (the domain's on_reboot, on_poweroff and on_crash).
 */
import type { QmpServer } from '@virt/qmp';
import type { LifecycleAction, MachineSpec } from '../domain/machine-spec.js';
import { buildMachine } from '../vmm/builder.js';
import type { GuestEvent, Machine } from '../vmm/machine.js';
import type { ConsoleHub } from './console-hub.js';
import type { ExitStatus } from './exit-status.js';

/** QMP's RunState values this VMM goes through. */
export type RunStatus = 'prelaunch' | 'running' | 'paused' | 'shutdown' | 'internal-error';

export class VmmRuntime {
  private machine: Machine;
  /** As QEMU with -S: built, waiting for `cont`, so the driver holds the monitor before the guest runs. */
  status: RunStatus = 'prelaunch';

  constructor(
    private readonly spec: MachineSpec,
    private readonly monitor: QmpServer,
    private readonly console: ConsoleHub,
    /** Called once, when the process must end. */
    private readonly exit: (status: ExitStatus) => void,
  ) {
    this.machine = this.build();
  }

  get vcpuThreads(): number[] {
    return Array.from({ length: this.spec.vcpus }, (_, i) => this.machine.vcpuStats(i).threadId);
  }

  stop(): void {
    if (this.status !== 'running') return;
    this.machine.pause();
    this.status = 'paused';
    this.monitor.emit('STOP');
  }

  cont(): void {
    if (this.status === 'prelaunch') this.machine.start();
    else if (this.status === 'paused') this.machine.resume();
    else throw new Error(this.status === 'running' ? 'Guest is already running' : `cannot resume a guest in state '${this.status}'`);
    this.status = 'running';
    this.monitor.emit('RESUME');
  }

  /** A host reset: the machine is built again from the spec. */
  reset(guest: boolean): void {
    this.machine.destroy();
    this.machine = this.build();
    // a reset keeps the run state: a paused or not yet started guest stays so
    if (this.status === 'running' || this.status === 'internal-error' || this.status === 'shutdown') {
      this.machine.start();
      this.status = 'running';
    } else if (this.status === 'paused') {
      this.machine.start({ paused: true });
    }
    this.monitor.emit('RESET', { guest, reason: guest ? 'guest-reset' : 'host-qmp-system-reset' });
  }

  /**
   * The ACPI power button. This machine has no ACPI yet, so, as QEMU does for
   * a guest that ignores the button, only the event is reported.
   */
  powerdown(): void {
    this.monitor.emit('POWERDOWN');
  }

  quit(reason: 'host-qmp-quit' | 'host-signal'): void {
    this.monitor.emit('SHUTDOWN', { guest: false, reason });
    this.machine.destroy();
    this.exit({ reason: 'destroyed' });
  }

  private build(): Machine {
    const machine = buildMachine(this.spec);
    machine.on('guest-event', (event) => this.onGuestEvent(event));
    this.console.attach(machine);
    return machine;
  }

  private onGuestEvent(event: GuestEvent): void {
    switch (event.kind) {
      case 'reset':
        return this.apply(this.spec.onReboot, 'guest-reset');
      case 'shutdown':
        return this.apply(this.spec.onPoweroff, 'guest-shutdown');
      case 'crashed':
        this.status = 'internal-error';
        this.monitor.emit('STOP');
        if (this.spec.onCrash === 'restart') return this.reset(true);
        if (this.spec.onCrash === 'destroy') {
          this.machine.destroy();
          this.exit({ reason: 'crashed', detail: `vCPU ${event.vcpu}: ${event.detail}` });
        }
        return;
    }
  }

  private apply(action: LifecycleAction, reason: 'guest-reset' | 'guest-shutdown'): void {
    if (action === 'restart') return this.reset(true);
    this.monitor.emit('SHUTDOWN', { guest: true, reason });
    if (action === 'preserve') {
      this.status = 'shutdown';
      return;
    }
    this.machine.destroy();
    this.exit({ reason: 'shutdown' });
  }
}
