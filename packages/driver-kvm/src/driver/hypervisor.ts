/**
 * The kvm driver's hypervisor table: domains run by @virt's own VMM, one
 * process per running domain, controlled over QMP.
 */
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { connect, type Socket } from 'node:net';
import {
  checkFlags,
  DomainCreateFlags,
  DomainDefineFlags,
  DomainEventDefinedDetail,
  DomainEventType,
  DomainEventUndefinedDetail,
  DomainState,
  DomainUndefineFlags,
  DomainObj,
  ErrorCode,
  ErrorDomain,
  parseDomainXML,
  type ConnectionEvents,
  type DomainEvent,
  type DomainInfo,
  type DomainRef,
  type DomainStateInfo,
  type HypervisorDriver,
} from '@virt/core-api';
import { invalidOperation, kvmError } from '../domain/errors.js';
import { machineSpec } from '../domain/machine-spec.js';
import { processAlive, launchVmm } from './vmm-launcher.js';
import { KVM_DOMAIN_OPTIONS, type KvmDomain, type KvmState } from './state.js';

const NS_PER_TICK = 1e9 / 100; // /proc's clock ticks (USER_HZ)
const DESTROY_GRACE_MS = 5000;

export class KvmHypervisorDriver implements HypervisorDriver {
  readonly name = 'KVM';

  constructor(
    private readonly state: KvmState,
    private readonly events: ConnectionEvents,
    private readonly release: () => void,
  ) {}

  private get domains() {
    return this.state.domains;
  }

  private get(ref: DomainRef): KvmDomain {
    const dom = this.domains.findByUUID(ref.uuid);
    if (!dom) throw kvmError(ErrorCode.NO_DOMAIN, `no domain with matching uuid '${ref.uuid}' (${ref.name})`);
    return dom;
  }

  private running(ref: DomainRef): KvmDomain & { monitor: NonNullable<KvmDomain['monitor']> } {
    const dom = this.get(ref);
    if (!dom.active || !dom.monitor) throw invalidOperation('domain is not running');
    return dom as KvmDomain & { monitor: NonNullable<KvmDomain['monitor']> };
  }

  async connectClose(): Promise<void> {
    this.release();
  }

  async connectGetType(): Promise<string> {
    return 'KVM';
  }

  async connectGetVersion(): Promise<number> {
    return 1000; // @virt's VMM 0.1.0
  }

  async connectGetHostname(): Promise<string> {
    return hostname();
  }

  async connectIsAlive(): Promise<boolean> {
    return true;
  }

  async connectListAllDomains(flags: number): Promise<DomainRef[]> {
    return this.domains.listAll(flags, 'kvmConnectListAllDomains', ErrorDomain.QEMU).map((d) => d.ref);
  }

  async connectNumOfDomains(): Promise<number> {
    return this.domains.all().filter((d) => d.active).length;
  }

  async connectNumOfDefinedDomains(): Promise<number> {
    return this.domains.all().filter((d) => !d.active).length;
  }

  async domainLookupByID(id: number): Promise<DomainRef> {
    const dom = this.domains.findByID(id);
    if (!dom) throw kvmError(ErrorCode.NO_DOMAIN, `no domain with matching id ${id}`);
    return dom.ref;
  }

  async domainLookupByUUID(uuid: string): Promise<DomainRef> {
    const dom = this.domains.findByUUID(uuid);
    if (!dom) throw kvmError(ErrorCode.NO_DOMAIN, `no domain with matching uuid '${uuid}'`);
    return dom.ref;
  }

  async domainLookupByName(name: string): Promise<DomainRef> {
    const dom = this.domains.findByName(name);
    if (!dom) throw kvmError(ErrorCode.NO_DOMAIN, `no domain with matching name '${name}'`);
    return dom.ref;
  }

  async domainDefineXMLFlags(xml: string, flags: number): Promise<DomainRef> {
    checkFlags(flags, DomainDefineFlags.VALIDATE, 'kvmDomainDefineXMLFlags', ErrorDomain.QEMU);
    const def = parseDomainXML(xml, KVM_DOMAIN_OPTIONS);
    machineSpec(def);
    const { dom, previous } = this.domains.add(def);
    const wasPersistent = previous !== undefined && dom.persistent;
    this.state.saveConfig(def);
    dom.persistent = true;
    this.domains.lifecycle(dom, DomainEventType.DEFINED, wasPersistent ? DomainEventDefinedDetail.UPDATED : DomainEventDefinedDetail.ADDED);
    return dom.ref;
  }

  async domainUndefineFlags(ref: DomainRef, flags: number): Promise<void> {
    checkFlags(flags, DomainUndefineFlags.MANAGED_SAVE, 'kvmDomainUndefineFlags', ErrorDomain.QEMU);
    const dom = this.get(ref);
    if (!dom.persistent) throw invalidOperation('cannot undefine transient domain');
    this.state.removeConfig(dom.def.name);
    this.domains.lifecycle(dom, DomainEventType.UNDEFINED, DomainEventUndefinedDetail.REMOVED);
    if (dom.active) {
      dom.persistent = false;
      dom.newDef = undefined;
    } else {
      this.domains.remove(dom);
    }
  }

  async domainCreateXML(xml: string, flags: number): Promise<DomainRef> {
    checkFlags(flags, DomainCreateFlags.START_PAUSED | DomainCreateFlags.START_VALIDATE, 'kvmDomainCreateXML', ErrorDomain.QEMU);
    const def = parseDomainXML(xml, KVM_DOMAIN_OPTIONS);
    machineSpec(def);
    const { dom, previous } = this.domains.add(def, { live: true, checkLive: true });
    if (!previous) dom.persistent = false;
    try {
      await this.start(dom, Boolean(flags & DomainCreateFlags.START_PAUSED));
    } catch (err) {
      if (!dom.persistent) this.domains.remove(dom);
      throw err;
    }
    return dom.ref;
  }

  async domainCreateWithFlags(ref: DomainRef, flags: number): Promise<DomainRef> {
    checkFlags(flags, DomainCreateFlags.START_PAUSED, 'kvmDomainCreateWithFlags', ErrorDomain.QEMU);
    const dom = this.get(ref);
    if (dom.active) throw invalidOperation('domain is already running');
    machineSpec(dom.def);
    dom.saveConfig();
    await this.start(dom, Boolean(flags & DomainCreateFlags.START_PAUSED));
    return dom.ref;
  }

  /** As libvirt starts QEMU: the VMM comes up with its vCPUs not yet started, and runs once we hold its monitor. */
  private async start(dom: KvmDomain, paused: boolean): Promise<void> {
    this.state.writeLiveXml(dom);
    const { pid, monitor } = await launchVmm(this.state.files(dom));
    this.state.started(dom, pid, monitor, paused);
    if (!paused) await monitor.execute('cont');
  }

  async domainDestroyFlags(ref: DomainRef, flags: number): Promise<void> {
    checkFlags(flags, 1, 'kvmDomainDestroyFlags', ErrorDomain.QEMU);
    const dom = this.running(ref);
    const pid = dom.pid!;
    // as libvirt: SIGTERM, then SIGKILL for a VMM that does not go
    process.kill(pid, 'SIGTERM');
    const deadline = Date.now() + DESTROY_GRACE_MS;
    while (processAlive(pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    if (processAlive(pid)) process.kill(pid, 'SIGKILL');
    await dom.stopped;
  }

  async domainShutdownFlags(ref: DomainRef, flags: number): Promise<void> {
    checkFlags(flags, 0, 'kvmDomainShutdownFlags', ErrorDomain.QEMU);
    await this.running(ref).monitor.execute('system_powerdown');
  }

  async domainReset(ref: DomainRef, flags: number): Promise<void> {
    checkFlags(flags, 0, 'kvmDomainReset', ErrorDomain.QEMU);
    await this.running(ref).monitor.execute('system_reset');
  }

  async domainSuspend(ref: DomainRef): Promise<void> {
    const dom = this.running(ref);
    if (dom.state === DomainState.PAUSED) throw invalidOperation('domain is already paused');
    await dom.monitor.execute('stop');
    await this.settled(dom);
  }

  async domainResume(ref: DomainRef): Promise<void> {
    const dom = this.running(ref);
    if (dom.state !== DomainState.PAUSED) throw invalidOperation('domain is not paused');
    await dom.monitor.execute('cont');
  }

  async domainGetInfo(ref: DomainRef): Promise<DomainInfo> {
    const dom = this.get(ref);
    return {
      state: dom.state,
      maxMem: dom.def.memory,
      memory: dom.def.currentMemory,
      nrVirtCpu: dom.def.vcpu.current,
      cpuTime: dom.pid !== undefined ? processCpuTime(dom.pid) : 0n,
    };
  }

  async domainGetState(ref: DomainRef, flags: number): Promise<DomainStateInfo> {
    checkFlags(flags, 0, 'kvmDomainGetState', ErrorDomain.QEMU);
    const dom = this.get(ref);
    return { state: dom.state, reason: dom.reason };
  }

  async domainGetXMLDesc(ref: DomainRef, flags: number): Promise<string> {
    checkFlags(flags, DomainObj.XML_DESC_FLAGS, 'kvmDomainGetXMLDesc', ErrorDomain.QEMU);
    return this.get(ref).xmlDesc(flags);
  }

  async domainGetOSType(ref: DomainRef): Promise<string> {
    return this.get(ref).def.os.type;
  }

  async domainGetMaxMemory(ref: DomainRef): Promise<number> {
    return this.get(ref).def.memory;
  }

  async domainGetAutostart(ref: DomainRef): Promise<boolean> {
    return this.get(ref).autostart;
  }

  async domainIsActive(ref: DomainRef): Promise<boolean> {
    return this.get(ref).active;
  }

  async domainIsPersistent(ref: DomainRef): Promise<boolean> {
    return this.get(ref).persistent;
  }

  async domainIsUpdated(ref: DomainRef): Promise<boolean> {
    return this.get(ref).newDef !== undefined;
  }

  async domainHasManagedSaveImage(ref: DomainRef): Promise<boolean> {
    return this.get(ref).hasManagedSave;
  }

  async domainOpenConsole(ref: DomainRef, device: string | undefined, flags: number): Promise<Socket> {
    checkFlags(flags, 0x3, 'kvmDomainOpenConsole', ErrorDomain.QEMU);
    const dom = this.running(ref);
    if (device !== undefined && device !== 'serial0' && device !== 'console0') throw kvmError(ErrorCode.OPERATION_FAILED, `cannot find character device ${device}`);
    const socket = connect(this.state.files(dom).console);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', (err) => reject(kvmError(ErrorCode.OPERATION_FAILED, `cannot open the console of '${dom.def.name}': ${err.message}`)));
    });
    return socket;
  }

  async connectDomainEventRegisterAny(ref: DomainRef | null, eventID: number, callback: (event: DomainEvent) => void): Promise<number> {
    if (ref) this.get(ref);
    return this.events.register(this.domains.events, eventID, ref?.uuid, callback);
  }

  async connectDomainEventDeregisterAny(callbackID: number): Promise<void> {
    this.events.deregister(this.domains.events, callbackID);
  }

  /** Wait until the monitor's events for the command just run have been applied. */
  private async settled(dom: KvmDomain): Promise<void> {
    await dom.monitor?.execute('query-status').catch(() => undefined);
  }
}

/** The VMM process's CPU time (user + system), in nanoseconds. */
function processCpuTime(pid: number): bigint {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return BigInt(Math.round((Number(fields[11]) + Number(fields[12])) * NS_PER_TICK));
  } catch {
    return 0n;
  }
}
