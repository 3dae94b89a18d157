import { hostname } from 'node:os';
import {
  checkFlags,
  exclusiveFlags,
  DomainAffect,
  DomainCreateFlags,
  DomainDefineFlags,
  DomainEventDefinedDetail,
  DomainEventStartedDetail,
  DomainEventStoppedDetail,
  DomainEventType,
  DomainEventUndefinedDetail,
  DomainEventSuspendedDetail,
  DomainEventResumedDetail,
  DomainMemoryFlags,
  DomainMetadataType,
  DomainPausedReason,
  DomainRunningReason,
  DomainSaveRestoreFlags,
  DomainShutoffReason,
  DomainState,
  DomainUndefineFlags,
  DomainVcpuFlags,
  DomainObj,
  DomainXMLFlags,
  ErrorCode,
  ErrorDomain,
  formatCapabilitiesXML,
  formatDomainXML,
  formatXml,
  parseCpuSet,
  parseDomainXML,
  rejectUnknownContent,
  VcpuState,
  VirtError,
  type DomainDef,
  type DomainEvent,
  type DomainInfo,
  type DomainRef,
  type DomainStateInfo,
  type HypervisorDriver,
  type NodeInfo,
  type SecurityLabel,
  type SecurityModel,
  type SnapshotRef,
  type VcpuInfo,
  type ConnectionEvents,
} from '@virt/core-api';
import type { TestDomain } from './domains.js';
import { internalError, invalidOperation, testError } from './errors.js';
import type { TestNode } from './node.js';
import { TEST_DOMAIN_OPTIONS } from './options.js';
import { readSaveImage, writeSaveImage } from './save-image.js';
import { TestSnapshots } from './snapshot-ops.js';


const TEST_MAX_VCPUS = 32;
const DOM = ErrorDomain.DOMAIN;

/** "Requested operation is not valid: domain is not running" (virDomainObjCheckActive). */
function notRunning(): VirtError {
  return VirtError.create(ErrorCode.OPERATION_INVALID, DOM, 'domain is not running');
}

function nowNanoseconds(): bigint {
  return BigInt(Date.now()) * 1_000_000n;
}

/** Check what define and create check beyond the XML itself. */
function checkDefinition(def: DomainDef, validate: boolean): void {
  if (def.name.includes('\n')) throw VirtError.create(ErrorCode.XML_DETAIL, ErrorDomain.XML, 'invalid char in name: \n');
  if (validate) rejectUnknownContent('domain', 'domain', def.extras);
}

/** The test driver's hypervisor table (libvirt's testDomain* / testConnect* functions). */
export class TestHypervisorDriver implements HypervisorDriver {
  readonly name = 'TEST';
  private readonly snapshots: TestSnapshots;

  constructor(
    private readonly node: TestNode,
    private readonly events: ConnectionEvents,
    private readonly release: () => void,
  ) {
    this.snapshots = new TestSnapshots(node.domains);
  }

  private get domains() {
    return this.node.domains;
  }

  /** Find a domain from a handle, by UUID (testDomObjFromDomain). */
  private get(ref: DomainRef): TestDomain {
    const dom = this.domains.findByUUID(ref.uuid);
    if (!dom) throw testError(ErrorCode.NO_DOMAIN, `no domain with matching uuid '${ref.uuid}' (${ref.name})`);
    return dom;
  }

  private active(ref: DomainRef): TestDomain {
    const dom = this.get(ref);
    if (!dom.active) throw notRunning();
    return dom;
  }

  /** Stop a domain: shut off with a reason, pending configuration applied, transient ones gone. */
  private stop(dom: TestDomain, reason: DomainShutoffReason, detail: DomainEventStoppedDetail): void {
    this.domains.deactivate(dom, DomainState.SHUTOFF, reason);
    dom.restoreConfig();
    this.domains.lifecycle(dom, DomainEventType.STOPPED, detail);
    if (!dom.persistent) this.domains.remove(dom);
  }

  async connectClose(): Promise<void> {
    this.release();
  }

  async connectGetType(): Promise<string> {
    return 'TEST';
  }

  async connectGetVersion(): Promise<number> {
    return 2;
  }

  async connectGetHostname(): Promise<string> {
    return hostname();
  }

  async connectGetCapabilities(): Promise<string> {
    return formatCapabilitiesXML(this.node.capabilities());
  }

  async connectGetSysinfo(flags: number): Promise<string> {
    checkFlags(flags, 0, 'testConnectGetSysinfo', ErrorDomain.TEST);
    return (
      "<sysinfo type='smbios'>\n  <bios>\n" +
      "    <entry name='vendor'>LENOVO</entry>\n    <entry name='version'>G4ETA1WW (2.61 )</entry>\n" +
      "    <entry name='date'>05/07/2014</entry>\n    <entry name='release'>2.61</entry>\n" +
      '  </bios>\n</sysinfo>\n'
    );
  }

  async connectGetMaxVcpus(): Promise<number> {
    return TEST_MAX_VCPUS;
  }

  async connectIsAlive(): Promise<boolean> {
    return true;
  }

  async nodeGetInfo(): Promise<NodeInfo> {
    return { ...this.node.info };
  }

  async nodeGetFreeMemory(): Promise<bigint> {
    return BigInt(this.node.cells.reduce((sum, c) => sum + c.free, 0));
  }

  async nodeGetSecurityModel(): Promise<SecurityModel> {
    return { model: 'testSecurity', doi: '' };
  }

  async nodeGetCPUMap(flags: number): Promise<boolean[]> {
    checkFlags(flags, 0, 'testNodeGetCPUMap', ErrorDomain.TEST);
    // libvirt's test driver reports 8 host CPUs of which 0, 2 and 4 are online
    return [true, false, true, false, true, false, false, false];
  }

  // ---- listing and lookup ----

  async connectListAllDomains(flags: number): Promise<DomainRef[]> {
    return this.domains.listAll(flags, 'testConnectListAllDomains', ErrorDomain.TEST, (d) => d.snapshots.size > 0).map((d) => d.ref);
  }

  async connectNumOfDomains(): Promise<number> {
    return this.domains.all().filter((d) => d.active).length;
  }

  async connectNumOfDefinedDomains(): Promise<number> {
    return this.domains.all().filter((d) => !d.active).length;
  }

  async domainLookupByID(id: number): Promise<DomainRef> {
    const dom = this.domains.findByID(id);
    if (!dom) throw testError(ErrorCode.NO_DOMAIN);
    return dom.ref;
  }

  async domainLookupByUUID(uuid: string): Promise<DomainRef> {
    const dom = this.domains.findByUUID(uuid);
    if (!dom) throw testError(ErrorCode.NO_DOMAIN);
    return dom.ref;
  }

  async domainLookupByName(name: string): Promise<DomainRef> {
    const dom = this.domains.findByName(name);
    if (!dom) throw testError(ErrorCode.NO_DOMAIN);
    return dom.ref;
  }

  // ---- define, create, undefine ----

  async domainDefineXMLFlags(xml: string, flags: number): Promise<DomainRef> {
    checkFlags(flags, DomainDefineFlags.VALIDATE, 'testDomainDefineXMLFlags', ErrorDomain.TEST);
    const def = parseDomainXML(xml, TEST_DOMAIN_OPTIONS);
    checkDefinition(def, Boolean(flags & DomainDefineFlags.VALIDATE));
    const { dom, previous } = this.domains.add(def);
    const wasPersistent = previous !== undefined && dom.persistent;
    dom.persistent = true;
    this.domains.lifecycle(dom, DomainEventType.DEFINED, wasPersistent ? DomainEventDefinedDetail.UPDATED : DomainEventDefinedDetail.ADDED);
    return dom.ref;
  }

  async domainCreateXML(xml: string, flags: number): Promise<DomainRef> {
    checkFlags(flags, DomainCreateFlags.START_VALIDATE, 'testDomainCreateXML', ErrorDomain.TEST);
    const def = parseDomainXML(xml, TEST_DOMAIN_OPTIONS);
    checkDefinition(def, Boolean(flags & DomainCreateFlags.START_VALIDATE));
    const { dom, previous } = this.domains.add(def, { live: true, checkLive: true });
    if (!previous) dom.persistent = false;
    this.domains.activate(dom, DomainState.RUNNING, DomainRunningReason.BOOTED);
    dom.hasManagedSave = false;
    this.domains.lifecycle(dom, DomainEventType.STARTED, DomainEventStartedDetail.BOOTED);
    return dom.ref;
  }

  async domainUndefineFlags(ref: DomainRef, flags: number): Promise<void> {
    checkFlags(flags, DomainUndefineFlags.MANAGED_SAVE | DomainUndefineFlags.SNAPSHOTS_METADATA, 'testDomainUndefineFlags', ErrorDomain.TEST);
    const dom = this.get(ref);
    if (dom.hasManagedSave && !(flags & DomainUndefineFlags.MANAGED_SAVE)) {
      throw invalidOperation('Refusing to undefine while domain managed save image exists');
    }
    if (!dom.active && dom.snapshots.size > 0 && !(flags & DomainUndefineFlags.SNAPSHOTS_METADATA)) {
      throw invalidOperation(`cannot delete inactive domain with ${dom.snapshots.size} snapshots`);
    }
    dom.hasManagedSave = false;
    this.domains.lifecycle(dom, DomainEventType.UNDEFINED, DomainEventUndefinedDetail.REMOVED);
    if (dom.active) {
      dom.persistent = false;
      dom.newDef = undefined;
    } else {
      this.domains.remove(dom);
    }
  }

  // ---- lifecycle ----

  async domainCreateWithFlags(ref: DomainRef, flags: number): Promise<DomainRef> {
    checkFlags(flags, 0, 'testDomainCreateWithFlags', ErrorDomain.TEST);
    const dom = this.get(ref);
    if (dom.state !== DomainState.SHUTOFF) throw internalError(`Domain '${dom.def.name}' is already running`);
    dom.saveConfig();
    this.domains.activate(dom, DomainState.RUNNING, DomainRunningReason.BOOTED);
    dom.hasManagedSave = false;
    this.domains.lifecycle(dom, DomainEventType.STARTED, DomainEventStartedDetail.BOOTED);
    return dom.ref;
  }

  async domainDestroyFlags(ref: DomainRef, flags: number): Promise<void> {
    checkFlags(flags, 1, 'testDomainDestroyFlags', ErrorDomain.TEST);
    this.stop(this.active(ref), DomainShutoffReason.DESTROYED, DomainEventStoppedDetail.DESTROYED);
  }

  async domainShutdownFlags(ref: DomainRef, flags: number): Promise<void> {
    checkFlags(flags, 0, 'testDomainShutdownFlags', ErrorDomain.TEST);
    const dom = this.get(ref);
    if (dom.state === DomainState.SHUTOFF) throw internalError(`domain '${ref.name}' not running`);
    if (dom.def.onPoweroff === 'restart' || dom.def.onPoweroff === 'rename-restart') {
      dom.setState(DomainState.RUNNING, DomainRunningReason.BOOTED);
      return;
    }
    this.stop(dom, DomainShutoffReason.SHUTDOWN, DomainEventStoppedDetail.SHUTDOWN);
  }

  async domainReboot(ref: DomainRef, flags: number): Promise<void> {
    checkFlags(flags, 0x1f, 'testDomainReboot', ErrorDomain.TEST);
    const dom = this.active(ref);
    if (dom.def.onReboot === 'restart' || dom.def.onReboot === 'rename-restart') {
      dom.setState(DomainState.RUNNING, DomainRunningReason.BOOTED);
      return;
    }
    this.stop(dom, DomainShutoffReason.SHUTDOWN, DomainEventStoppedDetail.SHUTDOWN);
  }

  async domainReset(ref: DomainRef, flags: number): Promise<void> {
    checkFlags(flags, 0, 'testDomainReset', ErrorDomain.TEST);
    this.active(ref);
  }

  async domainSuspend(ref: DomainRef): Promise<void> {
    const dom = this.get(ref);
    if (dom.state === DomainState.SHUTOFF || dom.state === DomainState.PAUSED) throw internalError(`domain '${dom.def.name}' not running`);
    dom.setState(DomainState.PAUSED, DomainPausedReason.USER);
    this.domains.lifecycle(dom, DomainEventType.SUSPENDED, DomainEventSuspendedDetail.PAUSED);
  }

  async domainResume(ref: DomainRef): Promise<void> {
    const dom = this.get(ref);
    if (dom.state !== DomainState.PAUSED) throw internalError(`domain '${dom.def.name}' not paused`);
    dom.setState(DomainState.RUNNING, DomainRunningReason.UNPAUSED);
    this.domains.lifecycle(dom, DomainEventType.RESUMED, DomainEventResumedDetail.UNPAUSED);
  }

  // ---- information ----

  async domainGetInfo(ref: DomainRef): Promise<DomainInfo> {
    const dom = this.get(ref);
    // like libvirt's test driver: the CPU time is the wall clock
    return { state: dom.state, maxMem: dom.def.memory, memory: dom.def.currentMemory, nrVirtCpu: dom.def.vcpu.current, cpuTime: nowNanoseconds() };
  }

  async domainGetState(ref: DomainRef, flags: number): Promise<DomainStateInfo> {
    checkFlags(flags, 0, 'testDomainGetState', ErrorDomain.TEST);
    const dom = this.get(ref);
    return { state: dom.state, reason: dom.reason };
  }

  async domainGetXMLDesc(ref: DomainRef, flags: number): Promise<string> {
    checkFlags(flags, DomainObj.XML_DESC_FLAGS, 'testDomainGetXMLDesc', ErrorDomain.TEST);
    return this.get(ref).xmlDesc(flags);
  }

  async domainGetOSType(ref: DomainRef): Promise<string> {
    this.get(ref);
    return 'linux';
  }

  async domainGetMaxMemory(ref: DomainRef): Promise<number> {
    return this.get(ref).def.memory;
  }

  async domainGetAutostart(ref: DomainRef): Promise<boolean> {
    return this.get(ref).autostart;
  }

  async domainSetAutostart(ref: DomainRef, autostart: boolean): Promise<void> {
    this.get(ref).autostart = autostart;
  }

  async domainIsActive(ref: DomainRef): Promise<boolean> {
    return this.get(ref).active;
  }

  async domainIsPersistent(ref: DomainRef): Promise<boolean> {
    return this.get(ref).persistent;
  }

  async domainIsUpdated(ref: DomainRef): Promise<boolean> {
    this.get(ref);
    return false;
  }

  async domainGetSecurityLabel(ref: DomainRef): Promise<SecurityLabel> {
    const dom = this.get(ref);
    return dom.active ? { label: 'libvirt-test', enforcing: true } : { label: '', enforcing: false };
  }

  async domainGetMetadata(ref: DomainRef, type: number, uri: string | undefined, flags: number): Promise<string> {
    checkFlags(flags, DomainAffect.LIVE | DomainAffect.CONFIG, 'testDomainGetMetadata', ErrorDomain.TEST);
    const dom = this.get(ref);
    const { def } = this.oneDef(dom, flags);
    const missing = (): VirtError => VirtError.create(ErrorCode.NO_DOMAIN_METADATA, DOM, 'Requested metadata element is not present');
    switch (type) {
      case DomainMetadataType.DESCRIPTION:
        if (def.description === undefined) throw missing();
        return def.description;
      case DomainMetadataType.TITLE:
        if (def.title === undefined) throw missing();
        return def.title;
      case DomainMetadataType.ELEMENT: {
        const el = def.metadata?.elements().find((e) => [...e.attributes].some(([k, v]) => k.startsWith('xmlns') && v === uri));
        if (!el) throw missing();
        return formatXml(el);
      }
      default:
        throw VirtError.create(ErrorCode.INVALID_ARG, DOM, `unknown metadata type '${type}'`);
    }
  }

  // ---- memory and vCPUs ----

  /** The definition a LIVE/CONFIG/CURRENT request applies to (virDomainObjGetOneDef). */
  private oneDef(dom: TestDomain, flags: number): { def: DomainDef; live: boolean } {
    exclusiveFlags(flags, DomainAffect.LIVE, 'VIR_DOMAIN_AFFECT_LIVE', DomainAffect.CONFIG, 'VIR_DOMAIN_AFFECT_CONFIG', DOM);
    let live = Boolean(flags & DomainAffect.LIVE);
    const config = Boolean(flags & DomainAffect.CONFIG);
    if (!live && !config) live = dom.active;
    if (live) {
      if (!dom.active) throw notRunning();
      return { def: dom.def, live: true };
    }
    if (!dom.persistent) throw VirtError.create(ErrorCode.OPERATION_INVALID, DOM, 'transient domains do not have any persistent config');
    return { def: dom.persistentDef(), live: false };
  }

  async domainSetMemoryFlags(ref: DomainRef, memory: number, flags: number): Promise<void> {
    checkFlags(flags, DomainMemoryFlags.LIVE | DomainMemoryFlags.CONFIG | DomainMemoryFlags.MAXIMUM, 'testDomainSetMemoryFlags', ErrorDomain.TEST);
    const dom = this.get(ref);
    const { def, live } = this.oneDef(dom, flags);
    if (flags & DomainMemoryFlags.MAXIMUM) {
      if (live) throw invalidOperation('cannot resize the maximum memory on an active domain');
      if (def.maxMemory && def.maxMemory.kib < memory) throw invalidOperation('cannot set initial memory size greater than the maximum memory size');
      def.memory = memory;
      if (def.currentMemory > memory) def.currentMemory = memory;
      return;
    }
    if (memory > def.memory) throw testError(ErrorCode.INVALID_ARG, 'cannot set memory higher than max memory');
    def.currentMemory = memory;
  }

  async domainSetVcpusFlags(ref: DomainRef, nvcpus: number, flags: number): Promise<void> {
    checkFlags(flags, DomainVcpuFlags.LIVE | DomainVcpuFlags.CONFIG | DomainVcpuFlags.MAXIMUM, 'testDomainSetVcpusFlags', ErrorDomain.TEST);
    if (nvcpus > TEST_MAX_VCPUS) {
      throw testError(ErrorCode.INVALID_ARG, `requested cpu amount exceeds maximum supported amount (${nvcpus} > ${TEST_MAX_VCPUS})`);
    }
    const dom = this.get(ref);
    let live = Boolean(flags & DomainVcpuFlags.LIVE);
    let config = Boolean(flags & DomainVcpuFlags.CONFIG);
    if (!live && !config) {
      live = dom.active;
      config = !dom.active;
    }
    if (live && !dom.active) throw notRunning();
    const maximum = Boolean(flags & DomainVcpuFlags.MAXIMUM);
    const liveDef = live ? dom.def : undefined;
    if (config && !dom.persistent) throw VirtError.create(ErrorCode.OPERATION_INVALID, DOM, 'transient domains do not have any persistent config');
    const configDef = config ? dom.persistentDef() : undefined;
    if (liveDef && nvcpus > liveDef.vcpu.max) {
      throw testError(ErrorCode.INVALID_ARG, `requested cpu amount exceeds maximum (${nvcpus} > ${liveDef.vcpu.max})`);
    }
    if (configDef && !maximum && nvcpus > configDef.vcpu.max) {
      throw testError(ErrorCode.INVALID_ARG, `requested cpu amount exceeds maximum (${nvcpus} > ${configDef.vcpu.max})`);
    }
    if (liveDef) liveDef.vcpu.current = nvcpus;
    if (configDef) {
      if (maximum) {
        configDef.vcpu.max = nvcpus;
        if (configDef.vcpu.current > nvcpus) configDef.vcpu.current = nvcpus;
      } else {
        configDef.vcpu.current = nvcpus;
      }
    }
  }

  async domainGetVcpusFlags(ref: DomainRef, flags: number): Promise<number> {
    checkFlags(flags, DomainVcpuFlags.LIVE | DomainVcpuFlags.CONFIG | DomainVcpuFlags.MAXIMUM, 'testDomainGetVcpusFlags', ErrorDomain.TEST);
    const dom = this.get(ref);
    let live = Boolean(flags & DomainVcpuFlags.LIVE);
    if (!live && !(flags & DomainVcpuFlags.CONFIG)) live = dom.active;
    if (live && !dom.active) throw notRunning();
    const def = live ? dom.def : dom.config;
    return flags & DomainVcpuFlags.MAXIMUM ? def.vcpu.max : def.vcpu.current;
  }

  async domainGetMaxVcpus(ref: DomainRef): Promise<number> {
    return this.domainGetVcpusFlags(ref, DomainVcpuFlags.LIVE | DomainVcpuFlags.MAXIMUM);
  }

  /** The host CPUs a vCPU is pinned to (`<cputune><vcpupin>`), or undefined when unpinned. */
  private pinning(def: DomainDef, vcpu: number): number[] | undefined {
    const pin = def.raw
      .find((e) => e.name === 'cputune')
      ?.childrenNamed('vcpupin')
      .find((p) => p.attr('vcpu') === String(vcpu));
    const cpuset = pin?.attr('cpuset');
    return cpuset === undefined ? undefined : parseCpuSet(cpuset, DOM);
  }

  async domainGetVcpus(ref: DomainRef): Promise<VcpuInfo[]> {
    const dom = this.get(ref);
    if (!dom.active) throw invalidOperation('cannot list vcpus for an inactive domain');
    const hostCpus = this.node.info.cpus;
    const cpuTime = BigInt(Date.now()) * 100n;
    return Array.from({ length: dom.def.vcpu.current }, (_, i): VcpuInfo => {
      const pinned = this.pinning(dom.def, i);
      const affinity = Array.from({ length: hostCpus }, (_, c) => pinned === undefined || pinned.includes(c));
      return { number: i, state: VcpuState.RUNNING, cpuTime, cpu: affinity.lastIndexOf(true), affinity };
    });
  }

  async domainGetVcpuPinInfo(ref: DomainRef, ncpus: number, flags: number): Promise<boolean[][]> {
    checkFlags(flags, DomainAffect.LIVE | DomainAffect.CONFIG, 'testDomainGetVcpuPinInfo', ErrorDomain.TEST);
    const dom = this.get(ref);
    const { def } = this.oneDef(dom, flags);
    return Array.from({ length: def.vcpu.max }, (_, i) => {
      const pinned = this.pinning(def, i);
      return Array.from({ length: ncpus }, (_, c) => pinned === undefined || pinned.includes(c));
    });
  }

  // ---- save and restore ----

  async domainSaveFlags(ref: DomainRef, path: string, dxml: string | undefined, flags: number): Promise<void> {
    if (dxml !== undefined) throw testError(ErrorCode.ARGUMENT_UNSUPPORTED, 'xml modification unsupported');
    checkFlags(flags, 0, 'testDomainSaveFlags', ErrorDomain.TEST);
    const dom = this.active(ref);
    writeSaveImage(path, dom.def.name, formatDomainXML(dom.def, { id: dom.id, secure: true }));
    this.stop(dom, DomainShutoffReason.SAVED, DomainEventStoppedDetail.SAVED);
  }

  async domainRestoreFlags(path: string, dxml: string | undefined, flags: number): Promise<void> {
    if (dxml !== undefined) throw testError(ErrorCode.ARGUMENT_UNSUPPORTED, 'xml modification unsupported');
    checkFlags(flags, 0, 'testDomainRestoreFlags', ErrorDomain.TEST);
    const def = parseDomainXML(readSaveImage(path), TEST_DOMAIN_OPTIONS);
    const { dom, previous } = this.domains.add(def, { live: true, checkLive: true });
    if (!previous) dom.persistent = false;
    this.domains.activate(dom, DomainState.RUNNING, DomainRunningReason.RESTORED);
    dom.hasManagedSave = false;
    this.domains.lifecycle(dom, DomainEventType.STARTED, DomainEventStartedDetail.RESTORED);
  }

  async domainSaveImageGetXMLDesc(path: string, flags: number): Promise<string> {
    checkFlags(flags, DomainXMLFlags.SECURE, 'testDomainSaveImageGetXMLDesc', ErrorDomain.TEST);
    return formatDomainXML(parseDomainXML(readSaveImage(path), TEST_DOMAIN_OPTIONS), { secure: Boolean(flags & DomainXMLFlags.SECURE) });
  }

  async domainManagedSave(ref: DomainRef, flags: number): Promise<void> {
    const F = DomainSaveRestoreFlags;
    checkFlags(flags, F.BYPASS_CACHE | F.RUNNING | F.PAUSED, 'testDomainManagedSave', ErrorDomain.TEST);
    const dom = this.active(ref);
    if (!dom.persistent) throw invalidOperation('cannot do managed save for transient domain');
    this.stop(dom, DomainShutoffReason.SAVED, DomainEventStoppedDetail.SAVED);
    dom.hasManagedSave = true;
  }

  async domainHasManagedSaveImage(ref: DomainRef, flags: number): Promise<boolean> {
    checkFlags(flags, 0, 'testDomainHasManagedSaveImage', ErrorDomain.TEST);
    return this.get(ref).hasManagedSave;
  }

  async domainManagedSaveRemove(ref: DomainRef, flags: number): Promise<void> {
    checkFlags(flags, 0, 'testDomainManagedSaveRemove', ErrorDomain.TEST);
    this.get(ref).hasManagedSave = false;
  }

  // ---- snapshots ----

  async domainSnapshotCreateXML(ref: DomainRef, xml: string, flags: number): Promise<SnapshotRef> {
    const dom = this.get(ref);
    return this.snapshots.create(dom, xml, flags, (d, reason, detail) => this.stop(d, reason, detail));
  }

  async domainListAllSnapshots(ref: DomainRef, flags: number): Promise<SnapshotRef[]> {
    return this.snapshots.list(this.get(ref), undefined, flags);
  }

  async domainSnapshotNum(ref: DomainRef, flags: number): Promise<number> {
    return (await this.domainListAllSnapshots(ref, flags)).length;
  }

  async domainSnapshotLookupByName(ref: DomainRef, name: string, flags: number): Promise<SnapshotRef> {
    checkFlags(flags, 0, 'testDomainSnapshotLookupByName', ErrorDomain.TEST);
    const dom = this.get(ref);
    this.snapshots.find(dom, name);
    return { domain: dom.ref, name };
  }

  async domainHasCurrentSnapshot(ref: DomainRef, flags: number): Promise<boolean> {
    checkFlags(flags, 0, 'testDomainHasCurrentSnapshot', ErrorDomain.TEST);
    return this.get(ref).snapshots.current !== undefined;
  }

  async domainSnapshotCurrent(ref: DomainRef, flags: number): Promise<SnapshotRef> {
    checkFlags(flags, 0, 'testDomainSnapshotCurrent', ErrorDomain.TEST);
    const dom = this.get(ref);
    const current = dom.snapshots.current;
    if (current === undefined) throw testError(ErrorCode.NO_DOMAIN_SNAPSHOT, 'the domain does not have a current snapshot');
    return { domain: dom.ref, name: current };
  }

  async domainSnapshotGetXMLDesc(snap: SnapshotRef, flags: number): Promise<string> {
    checkFlags(flags, 1, 'testDomainSnapshotGetXMLDesc', ErrorDomain.TEST);
    return this.snapshots.xml(this.get(snap.domain), snap.name);
  }

  async domainSnapshotGetParent(snap: SnapshotRef, flags: number): Promise<SnapshotRef> {
    checkFlags(flags, 0, 'testDomainSnapshotGetParent', ErrorDomain.TEST);
    const dom = this.get(snap.domain);
    const parent = this.snapshots.find(dom, snap.name).def.parent;
    if (parent === undefined) throw testError(ErrorCode.NO_DOMAIN_SNAPSHOT, `snapshot '${snap.name}' does not have a parent`);
    return { domain: dom.ref, name: parent };
  }

  async domainSnapshotListAllChildren(snap: SnapshotRef, flags: number): Promise<SnapshotRef[]> {
    return this.snapshots.list(this.get(snap.domain), snap.name, flags);
  }

  async domainSnapshotNumChildren(snap: SnapshotRef, flags: number): Promise<number> {
    return (await this.domainSnapshotListAllChildren(snap, flags)).length;
  }

  async domainSnapshotIsCurrent(snap: SnapshotRef, flags: number): Promise<boolean> {
    checkFlags(flags, 0, 'testDomainSnapshotIsCurrent', ErrorDomain.TEST);
    const dom = this.get(snap.domain);
    this.snapshots.find(dom, snap.name);
    return dom.snapshots.current === snap.name;
  }

  async domainSnapshotHasMetadata(snap: SnapshotRef, flags: number): Promise<boolean> {
    checkFlags(flags, 0, 'testDomainSnapshotHasMetadata', ErrorDomain.TEST);
    this.snapshots.find(this.get(snap.domain), snap.name);
    return true;
  }

  async domainRevertToSnapshot(snap: SnapshotRef, flags: number): Promise<void> {
    this.snapshots.revert(this.get(snap.domain), snap.name, flags, (d, reason, detail) => this.stop(d, reason, detail));
  }

  async domainSnapshotDelete(snap: SnapshotRef, flags: number): Promise<void> {
    this.snapshots.delete(this.get(snap.domain), snap.name, flags);
  }

  // ---- events ----

  async connectDomainEventRegisterAny(dom: DomainRef | null, eventID: number, callback: (event: DomainEvent) => void): Promise<number> {
    return this.events.register(this.domains.events, eventID, dom?.uuid, callback);
  }

  async connectDomainEventDeregisterAny(callbackID: number): Promise<void> {
    this.events.deregister(this.domains.events, callbackID);
  }
}

