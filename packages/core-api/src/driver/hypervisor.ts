import type { Duplex } from 'node:stream';
import type { DomainEvent } from '../events/types.js';
import type {
  DomainInfo,
  DomainStateInfo,
  NodeInfo,
  SecurityLabel,
  SecurityModel,
  VcpuInfo,
} from './info.js';
import type { DomainRef, SnapshotRef } from './refs.js';

/**
 * The hypervisor driver table (libvirt's virHypervisorDriver). Every method
 * is optional: the public API raises VIR_ERR_NO_SUPPORT naming the public
 * function when a driver leaves one out, so a missing operation is never a
 * silent no-op. Method names are libvirt's driver-table names; `flags` are
 * libvirt's flag bits, checked by the driver.
 */
export interface HypervisorDriver {
  /** Driver name as virConnectGetType reports it ("TEST", "KVM", "QEMU"). */
  readonly name: string;

  connectClose(): Promise<void>;
  connectGetType?(): Promise<string>;
  /** Hypervisor version as major * 1,000,000 + minor * 1,000 + release. */
  connectGetVersion?(): Promise<number>;
  connectGetHostname?(): Promise<string>;
  connectGetCapabilities?(): Promise<string>;
  connectGetSysinfo?(flags: number): Promise<string>;
  connectGetMaxVcpus?(type: string | undefined): Promise<number>;
  connectIsAlive?(): Promise<boolean>;
  /** Probe the peer every `interval` seconds, giving up after `count` unanswered probes (remote connections only). */
  connectSetKeepAlive?(interval: number, count: number): Promise<void>;
  nodeGetInfo?(): Promise<NodeInfo>;
  nodeGetFreeMemory?(): Promise<bigint>;
  nodeGetSecurityModel?(): Promise<SecurityModel>;
  /** The host CPUs: which are online (virNodeGetCPUMap). */
  nodeGetCPUMap?(flags: number): Promise<boolean[]>;

  connectListAllDomains?(flags: number): Promise<DomainRef[]>;
  connectNumOfDomains?(): Promise<number>;
  connectNumOfDefinedDomains?(): Promise<number>;
  domainLookupByID?(id: number): Promise<DomainRef>;
  domainLookupByUUID?(uuid: string): Promise<DomainRef>;
  domainLookupByName?(name: string): Promise<DomainRef>;

  domainCreateXML?(xml: string, flags: number): Promise<DomainRef>;
  /** Create a transient domain, passing it open file descriptors. */
  domainCreateXMLWithFiles?(xml: string, fds: number[], flags: number): Promise<DomainRef>;
  domainDefineXMLFlags?(xml: string, flags: number): Promise<DomainRef>;
  domainUndefineFlags?(dom: DomainRef, flags: number): Promise<void>;
  /** Start a defined domain; returns the reference with its new ID. */
  domainCreateWithFlags?(dom: DomainRef, flags: number): Promise<DomainRef>;
  domainCreateWithFiles?(dom: DomainRef, fds: number[], flags: number): Promise<DomainRef>;
  domainDestroyFlags?(dom: DomainRef, flags: number): Promise<void>;
  domainShutdownFlags?(dom: DomainRef, flags: number): Promise<void>;
  domainReboot?(dom: DomainRef, flags: number): Promise<void>;
  domainReset?(dom: DomainRef, flags: number): Promise<void>;
  domainSuspend?(dom: DomainRef): Promise<void>;
  domainResume?(dom: DomainRef): Promise<void>;

  domainGetInfo?(dom: DomainRef): Promise<DomainInfo>;
  domainGetState?(dom: DomainRef, flags: number): Promise<DomainStateInfo>;
  domainGetXMLDesc?(dom: DomainRef, flags: number): Promise<string>;
  domainGetOSType?(dom: DomainRef): Promise<string>;
  domainGetMaxMemory?(dom: DomainRef): Promise<number>;
  domainGetAutostart?(dom: DomainRef): Promise<boolean>;
  domainSetAutostart?(dom: DomainRef, autostart: boolean): Promise<void>;
  domainIsActive?(dom: DomainRef): Promise<boolean>;
  domainIsPersistent?(dom: DomainRef): Promise<boolean>;
  domainIsUpdated?(dom: DomainRef): Promise<boolean>;
  domainGetSecurityLabel?(dom: DomainRef): Promise<SecurityLabel>;
  /** Title, description (type 1, 0) or a namespaced metadata element (type 2, with its URI). */
  domainGetMetadata?(dom: DomainRef, type: number, uri: string | undefined, flags: number): Promise<string>;

  /** Memory sizes in KiB. */
  domainSetMaxMemory?(dom: DomainRef, memory: number): Promise<void>;
  domainSetMemoryFlags?(dom: DomainRef, memory: number, flags: number): Promise<void>;
  domainSetVcpusFlags?(dom: DomainRef, nvcpus: number, flags: number): Promise<void>;
  domainGetVcpusFlags?(dom: DomainRef, flags: number): Promise<number>;
  domainGetVcpus?(dom: DomainRef): Promise<VcpuInfo[]>;
  domainGetMaxVcpus?(dom: DomainRef): Promise<number>;
  /** Host CPUs each vCPU may run on, `ncpus` wide (virDomainGetVcpuPinInfo). */
  domainGetVcpuPinInfo?(dom: DomainRef, ncpus: number, flags: number): Promise<boolean[][]>;

  domainSaveFlags?(dom: DomainRef, path: string, dxml: string | undefined, flags: number): Promise<void>;
  domainRestoreFlags?(path: string, dxml: string | undefined, flags: number): Promise<void>;
  domainSaveImageGetXMLDesc?(path: string, flags: number): Promise<string>;
  domainManagedSave?(dom: DomainRef, flags: number): Promise<void>;
  domainHasManagedSaveImage?(dom: DomainRef, flags: number): Promise<boolean>;
  domainManagedSaveRemove?(dom: DomainRef, flags: number): Promise<void>;

  domainAttachDeviceFlags?(dom: DomainRef, xml: string, flags: number): Promise<void>;
  domainDetachDeviceFlags?(dom: DomainRef, xml: string, flags: number): Promise<void>;
  domainUpdateDeviceFlags?(dom: DomainRef, xml: string, flags: number): Promise<void>;

  domainSnapshotCreateXML?(dom: DomainRef, xml: string, flags: number): Promise<SnapshotRef>;
  domainListAllSnapshots?(dom: DomainRef, flags: number): Promise<SnapshotRef[]>;
  domainSnapshotNum?(dom: DomainRef, flags: number): Promise<number>;
  domainSnapshotLookupByName?(dom: DomainRef, name: string, flags: number): Promise<SnapshotRef>;
  domainHasCurrentSnapshot?(dom: DomainRef, flags: number): Promise<boolean>;
  domainSnapshotCurrent?(dom: DomainRef, flags: number): Promise<SnapshotRef>;
  domainSnapshotGetXMLDesc?(snap: SnapshotRef, flags: number): Promise<string>;
  domainSnapshotGetParent?(snap: SnapshotRef, flags: number): Promise<SnapshotRef>;
  domainSnapshotListAllChildren?(snap: SnapshotRef, flags: number): Promise<SnapshotRef[]>;
  domainSnapshotNumChildren?(snap: SnapshotRef, flags: number): Promise<number>;
  domainSnapshotIsCurrent?(snap: SnapshotRef, flags: number): Promise<boolean>;
  domainSnapshotHasMetadata?(snap: SnapshotRef, flags: number): Promise<boolean>;
  domainRevertToSnapshot?(snap: SnapshotRef, flags: number): Promise<void>;
  domainSnapshotDelete?(snap: SnapshotRef, flags: number): Promise<void>;

  /** A byte stream to the domain's console (serial port or named device). */
  domainOpenConsole?(dom: DomainRef, device: string | undefined, flags: number): Promise<Duplex>;

  /** Register for events of one domain (or all, with `dom` null); returns the callback ID. */
  connectDomainEventRegisterAny?(dom: DomainRef | null, eventID: number, callback: (event: DomainEvent) => void): Promise<number>;
  connectDomainEventDeregisterAny?(callbackID: number): Promise<void>;
}
