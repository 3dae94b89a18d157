import type { Duplex } from 'node:stream';
import { ErrorCode, ErrorDomain } from '../errors/codes.js';
import { VirtError } from '../errors/virt-error.js';
import type { DomainInfo, DomainStateInfo, SecurityLabel, VcpuInfo } from '../driver/info.js';
import type { DomainRef } from '../driver/refs.js';
import type { Connect } from './connect.js';
import { invoke } from './invoke.js';
import { DomainAffect, DomainMemoryFlags, DomainVcpuFlags } from '../constants/domain.js';
import { SnapshotCreateFlags, SnapshotRevertFlags } from '../constants/snapshot.js';
import { exclusiveFlags, requireFlag } from '../util/flags.js';
import { absoluteImagePath, checkSaveStateFlags } from './save-image.js';
import { DomainSnapshot } from './snapshot.js';

const DOM = ErrorDomain.DOMAIN;

/**
 * A domain handle (libvirt's virDomain): name, UUID and the ID it had when
 * looked up. Operations go to the connection's hypervisor driver, which
 * finds the domain again by UUID, so a handle stays valid across restarts.
 */
export class Domain {
  constructor(
    readonly connect: Connect,
    private current: DomainRef,
  ) {}

  /** The reference drivers receive. */
  get ref(): DomainRef {
    return this.current;
  }

  private get hv() {
    return this.connect.drivers.hypervisor;
  }

  private write(api: string): void {
    this.connect.checkWritable(api, DOM);
  }

  /** virDomainGetName */
  getName(): string {
    return this.current.name;
  }

  /** virDomainGetUUIDString */
  getUUIDString(): string {
    return this.current.uuid;
  }

  /** virDomainGetID: the ID when this handle last learned it; -1 (libvirt's (unsigned)-1) when inactive. */
  getID(): number {
    return this.current.id;
  }

  /** virDomainCreate: start a defined domain. */
  create(): Promise<void> {
    return this.callCreateWithFlags(0, 'virDomainCreate');
  }

  /** virDomainCreateWithFlags (flags: DomainCreateFlags). */
  createWithFlags(flags: number): Promise<void> {
    return this.callCreateWithFlags(flags, 'virDomainCreateWithFlags');
  }

  private async callCreateWithFlags(flags: number, api: string): Promise<void> {
    this.write(api);
    this.current = await invoke(this.hv, 'domainCreateWithFlags', api, DOM, this.current, flags);
  }

  /** virDomainCreateWithFiles: start a defined domain, passing it open file descriptors. */
  async createWithFiles(fds: number[], flags = 0): Promise<void> {
    this.write('virDomainCreateWithFiles');
    this.current = await invoke(this.hv, 'domainCreateWithFiles', 'virDomainCreateWithFiles', DOM, this.current, fds, flags);
  }

  /** virDomainOpenConsole: a byte stream to the domain's console. */
  openConsole(device?: string, flags = 0): Promise<Duplex> {
    return invoke(this.hv, 'domainOpenConsole', 'virDomainOpenConsole', DOM, this.current, device, flags);
  }

  /** virDomainDestroy: stop the domain at once. */
  destroy(): Promise<void> {
    return this.callDestroyFlags(0, 'virDomainDestroy');
  }

  /** virDomainDestroyFlags (flags: DomainDestroyFlags). */
  destroyFlags(flags: number): Promise<void> {
    return this.callDestroyFlags(flags, 'virDomainDestroyFlags');
  }

  private async callDestroyFlags(flags: number, api: string): Promise<void> {
    this.write(api);
    await invoke(this.hv, 'domainDestroyFlags', api, DOM, this.current, flags);
    this.current = { ...this.current, id: -1 };
  }

  /** virDomainShutdown: ask the guest to shut down. */
  shutdown(): Promise<void> {
    return this.callShutdownFlags(0, 'virDomainShutdown');
  }

  /** virDomainShutdownFlags (flags: DomainShutdownFlags). */
  shutdownFlags(flags: number): Promise<void> {
    return this.callShutdownFlags(flags, 'virDomainShutdownFlags');
  }

  private async callShutdownFlags(flags: number, api: string): Promise<void> {
    this.write(api);
    await invoke(this.hv, 'domainShutdownFlags', api, DOM, this.current, flags);
  }

  /** virDomainReboot (flags: DomainRebootFlags). */
  async reboot(flags = 0): Promise<void> {
    this.write('virDomainReboot');
    await invoke(this.hv, 'domainReboot', 'virDomainReboot', DOM, this.current, flags);
  }

  /** virDomainReset */
  async reset(flags = 0): Promise<void> {
    this.write('virDomainReset');
    await invoke(this.hv, 'domainReset', 'virDomainReset', DOM, this.current, flags);
  }

  /** virDomainSuspend */
  async suspend(): Promise<void> {
    this.write('virDomainSuspend');
    await invoke(this.hv, 'domainSuspend', 'virDomainSuspend', DOM, this.current);
  }

  /** virDomainResume */
  async resume(): Promise<void> {
    this.write('virDomainResume');
    await invoke(this.hv, 'domainResume', 'virDomainResume', DOM, this.current);
  }

  /** virDomainUndefine: remove the persistent configuration. */
  undefine(): Promise<void> {
    return this.callUndefineFlags(0, 'virDomainUndefine');
  }

  /** virDomainUndefineFlags (flags: DomainUndefineFlags). */
  undefineFlags(flags: number): Promise<void> {
    return this.callUndefineFlags(flags, 'virDomainUndefineFlags');
  }

  private async callUndefineFlags(flags: number, api: string): Promise<void> {
    this.write(api);
    await invoke(this.hv, 'domainUndefineFlags', api, DOM, this.current, flags);
  }

  /** virDomainGetInfo */
  getInfo(): Promise<DomainInfo> {
    return invoke(this.hv, 'domainGetInfo', 'virDomainGetInfo', DOM, this.current);
  }

  /** virDomainGetState */
  getState(flags = 0): Promise<DomainStateInfo> {
    return invoke(this.hv, 'domainGetState', 'virDomainGetState', DOM, this.current, flags);
  }

  /** virDomainGetXMLDesc (flags: DomainXMLFlags). */
  getXMLDesc(flags = 0): Promise<string> {
    return invoke(this.hv, 'domainGetXMLDesc', 'virDomainGetXMLDesc', DOM, this.current, flags);
  }

  /** virDomainGetOSType */
  getOSType(): Promise<string> {
    return invoke(this.hv, 'domainGetOSType', 'virDomainGetOSType', DOM, this.current);
  }

  /** virDomainGetMaxMemory, in KiB. */
  getMaxMemory(): Promise<number> {
    return invoke(this.hv, 'domainGetMaxMemory', 'virDomainGetMaxMemory', DOM, this.current);
  }

  /** virDomainGetAutostart */
  getAutostart(): Promise<boolean> {
    return invoke(this.hv, 'domainGetAutostart', 'virDomainGetAutostart', DOM, this.current);
  }

  /** virDomainSetAutostart */
  async setAutostart(autostart: boolean): Promise<void> {
    this.write('virDomainSetAutostart');
    await invoke(this.hv, 'domainSetAutostart', 'virDomainSetAutostart', DOM, this.current, autostart);
  }

  /** virDomainIsActive */
  isActive(): Promise<boolean> {
    return invoke(this.hv, 'domainIsActive', 'virDomainIsActive', DOM, this.current);
  }

  /** virDomainIsPersistent */
  isPersistent(): Promise<boolean> {
    return invoke(this.hv, 'domainIsPersistent', 'virDomainIsPersistent', DOM, this.current);
  }

  /** virDomainIsUpdated */
  isUpdated(): Promise<boolean> {
    return invoke(this.hv, 'domainIsUpdated', 'virDomainIsUpdated', DOM, this.current);
  }

  /** virDomainGetSecurityLabel */
  getSecurityLabel(): Promise<SecurityLabel> {
    return invoke(this.hv, 'domainGetSecurityLabel', 'virDomainGetSecurityLabel', DOM, this.current);
  }

  /** virDomainGetMetadata (type: DomainMetadataType). */
  getMetadata(type: number, uri?: string, flags = 0): Promise<string> {
    return invoke(this.hv, 'domainGetMetadata', 'virDomainGetMetadata', DOM, this.current, type, uri, flags);
  }

  /** virDomainSetMaxMemory, in KiB. */
  async setMaxMemory(memory: number): Promise<void> {
    this.write('virDomainSetMaxMemory');
    if (memory === 0) throw new VirtError(ErrorCode.INVALID_ARG, DOM, 'memory in virDomainSetMaxMemory must not be zero');
    await invoke(this.hv, 'domainSetMaxMemory', 'virDomainSetMaxMemory', DOM, this.current, memory);
  }

  /** virDomainSetMemory: the running domain's current memory, in KiB. */
  setMemory(memory: number): Promise<void> {
    return this.callSetMemoryFlags(memory, DomainMemoryFlags.LIVE, 'virDomainSetMemory');
  }

  /** virDomainSetMemoryFlags, in KiB (flags: DomainMemoryFlags). */
  setMemoryFlags(memory: number, flags: number): Promise<void> {
    return this.callSetMemoryFlags(memory, flags, 'virDomainSetMemoryFlags');
  }

  private async callSetMemoryFlags(memory: number, flags: number, api: string): Promise<void> {
    this.write(api);
    if (memory === 0) throw new VirtError(ErrorCode.INVALID_ARG, DOM, `memory in ${api} must not be zero`);
    await invoke(this.hv, 'domainSetMemoryFlags', api, DOM, this.current, memory, flags);
  }

  /** virDomainSetVcpus: the running domain's online vCPUs. */
  setVcpus(nvcpus: number): Promise<void> {
    return this.callSetVcpusFlags(nvcpus, DomainVcpuFlags.LIVE, 'virDomainSetVcpus');
  }

  /** virDomainSetVcpusFlags (flags: DomainVcpuFlags). */
  setVcpusFlags(nvcpus: number, flags: number): Promise<void> {
    return this.callSetVcpusFlags(nvcpus, flags, 'virDomainSetVcpusFlags');
  }

  private async callSetVcpusFlags(nvcpus: number, flags: number, api: string): Promise<void> {
    this.write(api);
    if (nvcpus === 0) throw new VirtError(ErrorCode.INVALID_ARG, DOM, `nvcpus in ${api} must not be zero`);
    requireFlag(flags, DomainAffect.CONFIG, 'VIR_DOMAIN_AFFECT_CONFIG', DomainVcpuFlags.MAXIMUM, 'VIR_DOMAIN_VCPU_MAXIMUM', DOM);
    exclusiveFlags(flags, DomainVcpuFlags.GUEST, 'VIR_DOMAIN_VCPU_GUEST', DomainAffect.CONFIG, 'VIR_DOMAIN_AFFECT_CONFIG', DOM);
    await invoke(this.hv, 'domainSetVcpusFlags', api, DOM, this.current, nvcpus, flags);
  }

  /** virDomainGetVcpusFlags (flags: DomainVcpuFlags). */
  getVcpusFlags(flags = 0): Promise<number> {
    return invoke(this.hv, 'domainGetVcpusFlags', 'virDomainGetVcpusFlags', DOM, this.current, flags);
  }

  /** virDomainGetVcpus */
  getVcpus(): Promise<VcpuInfo[]> {
    return invoke(this.hv, 'domainGetVcpus', 'virDomainGetVcpus', DOM, this.current);
  }

  /** virDomainGetVcpuPinInfo: for each vCPU, the host CPUs it may run on. */
  getVcpuPinInfo(ncpus: number, flags = 0): Promise<boolean[][]> {
    return invoke(this.hv, 'domainGetVcpuPinInfo', 'virDomainGetVcpuPinInfo', DOM, this.current, ncpus, flags);
  }

  /** virDomainGetMaxVcpus */
  getMaxVcpus(): Promise<number> {
    return invoke(this.hv, 'domainGetMaxVcpus', 'virDomainGetMaxVcpus', DOM, this.current);
  }

  /** virDomainSave: write the state to a file and stop the domain. */
  save(path: string): Promise<void> {
    return this.callSaveFlags(path, undefined, 0, 'virDomainSave');
  }

  /** virDomainSaveFlags: `dxml` replaces the saved definition (flags: DomainSaveRestoreFlags). */
  saveFlags(path: string, dxml: string | undefined, flags: number): Promise<void> {
    return this.callSaveFlags(path, dxml, flags, 'virDomainSaveFlags');
  }

  private async callSaveFlags(path: string, dxml: string | undefined, flags: number, api: string): Promise<void> {
    this.write(api);
    checkSaveStateFlags(flags);
    await invoke(this.hv, 'domainSaveFlags', api, DOM, this.current, absoluteImagePath(path), dxml, flags);
    this.current = { ...this.current, id: -1 };
  }

  /** virDomainManagedSave (flags: DomainSaveRestoreFlags). */
  async managedSave(flags = 0): Promise<void> {
    this.write('virDomainManagedSave');
    checkSaveStateFlags(flags);
    await invoke(this.hv, 'domainManagedSave', 'virDomainManagedSave', DOM, this.current, flags);
    this.current = { ...this.current, id: -1 };
  }

  /** virDomainHasManagedSaveImage */
  hasManagedSaveImage(flags = 0): Promise<boolean> {
    return invoke(this.hv, 'domainHasManagedSaveImage', 'virDomainHasManagedSaveImage', DOM, this.current, flags);
  }

  /** virDomainManagedSaveRemove */
  async managedSaveRemove(flags = 0): Promise<void> {
    this.write('virDomainManagedSaveRemove');
    await invoke(this.hv, 'domainManagedSaveRemove', 'virDomainManagedSaveRemove', DOM, this.current, flags);
  }

  /** virDomainAttachDeviceFlags (flags: DomainDeviceModifyFlags). */
  async attachDeviceFlags(xml: string, flags = 0): Promise<void> {
    this.write('virDomainAttachDeviceFlags');
    await invoke(this.hv, 'domainAttachDeviceFlags', 'virDomainAttachDeviceFlags', DOM, this.current, xml, flags);
  }

  /** virDomainDetachDeviceFlags (flags: DomainDeviceModifyFlags). */
  async detachDeviceFlags(xml: string, flags = 0): Promise<void> {
    this.write('virDomainDetachDeviceFlags');
    await invoke(this.hv, 'domainDetachDeviceFlags', 'virDomainDetachDeviceFlags', DOM, this.current, xml, flags);
  }

  /** virDomainUpdateDeviceFlags (flags: DomainDeviceModifyFlags). */
  async updateDeviceFlags(xml: string, flags = 0): Promise<void> {
    this.write('virDomainUpdateDeviceFlags');
    await invoke(this.hv, 'domainUpdateDeviceFlags', 'virDomainUpdateDeviceFlags', DOM, this.current, xml, flags);
  }

  // ---- snapshots ----

  /** virDomainSnapshotCreateXML (flags: SnapshotCreateFlags). */
  async snapshotCreateXML(xml: string, flags = 0): Promise<DomainSnapshot> {
    this.connect.checkWritable('virDomainSnapshotCreateXML', ErrorDomain.DOMAIN_SNAPSHOT);
    const F = SnapshotCreateFlags;
    requireFlag(flags, F.REDEFINE, 'VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE', F.CURRENT, 'VIR_DOMAIN_SNAPSHOT_CREATE_CURRENT', ErrorDomain.DOMAIN_SNAPSHOT);
    exclusiveFlags(flags, F.REDEFINE, 'VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE', F.NO_METADATA, 'VIR_DOMAIN_SNAPSHOT_CREATE_NO_METADATA', ErrorDomain.DOMAIN_SNAPSHOT);
    exclusiveFlags(flags, F.REDEFINE, 'VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE', F.HALT, 'VIR_DOMAIN_SNAPSHOT_CREATE_HALT', ErrorDomain.DOMAIN_SNAPSHOT);
    const ref = await invoke(this.hv, 'domainSnapshotCreateXML', 'virDomainSnapshotCreateXML', ErrorDomain.DOMAIN_SNAPSHOT, this.current, xml, flags);
    return new DomainSnapshot(this, ref.name);
  }

  /** virDomainListAllSnapshots (flags: SnapshotListFlags). */
  async listAllSnapshots(flags = 0): Promise<DomainSnapshot[]> {
    const refs = await invoke(this.hv, 'domainListAllSnapshots', 'virDomainListAllSnapshots', ErrorDomain.DOMAIN_SNAPSHOT, this.current, flags);
    return refs.map((r) => new DomainSnapshot(this, r.name));
  }

  /** virDomainSnapshotNum (flags: SnapshotListFlags). */
  snapshotNum(flags = 0): Promise<number> {
    return invoke(this.hv, 'domainSnapshotNum', 'virDomainSnapshotNum', ErrorDomain.DOMAIN_SNAPSHOT, this.current, flags);
  }

  /** virDomainSnapshotLookupByName */
  async snapshotLookupByName(name: string, flags = 0): Promise<DomainSnapshot> {
    const ref = await invoke(this.hv, 'domainSnapshotLookupByName', 'virDomainSnapshotLookupByName', ErrorDomain.DOMAIN_SNAPSHOT, this.current, name, flags);
    return new DomainSnapshot(this, ref.name);
  }

  /** virDomainHasCurrentSnapshot */
  hasCurrentSnapshot(flags = 0): Promise<boolean> {
    return invoke(this.hv, 'domainHasCurrentSnapshot', 'virDomainHasCurrentSnapshot', ErrorDomain.DOMAIN_SNAPSHOT, this.current, flags);
  }

  /** virDomainSnapshotCurrent */
  async snapshotCurrent(flags = 0): Promise<DomainSnapshot> {
    const ref = await invoke(this.hv, 'domainSnapshotCurrent', 'virDomainSnapshotCurrent', ErrorDomain.DOMAIN_SNAPSHOT, this.current, flags);
    return new DomainSnapshot(this, ref.name);
  }

  /** virDomainRevertToSnapshot (flags: SnapshotRevertFlags). */
  async revertToSnapshot(snapshot: DomainSnapshot, flags = 0): Promise<void> {
    this.connect.checkWritable('virDomainRevertToSnapshot', ErrorDomain.DOMAIN_SNAPSHOT);
    const F = SnapshotRevertFlags;
    exclusiveFlags(flags, F.RUNNING, 'VIR_DOMAIN_SNAPSHOT_REVERT_RUNNING', F.PAUSED, 'VIR_DOMAIN_SNAPSHOT_REVERT_PAUSED', ErrorDomain.DOMAIN_SNAPSHOT);
    await invoke(this.hv, 'domainRevertToSnapshot', 'virDomainRevertToSnapshot', ErrorDomain.DOMAIN_SNAPSHOT, snapshot.ref, flags);
    this.current = await invoke(this.hv, 'domainLookupByUUID', 'virDomainLookupByUUID', DOM, this.current.uuid);
  }
}
