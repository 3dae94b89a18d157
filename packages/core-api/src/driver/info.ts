import type { DomainState, VcpuState } from '../constants/domain.js';
import type { StoragePoolState, StorageVolType } from '../constants/storage.js';

/** virDomainInfo */
export interface DomainInfo {
  state: DomainState;
  /** Maximum memory in KiB. */
  maxMem: number;
  /** Current memory in KiB. */
  memory: number;
  nrVirtCpu: number;
  /** CPU time used, in nanoseconds. */
  cpuTime: bigint;
}

export interface DomainStateInfo {
  state: DomainState;
  /** A value of the reason enum belonging to `state`. */
  reason: number;
}

/** virNodeInfo */
export interface NodeInfo {
  /** CPU model, e.g. "x86_64". */
  model: string;
  /** Memory size in KiB. */
  memory: number;
  cpus: number;
  /** Expected CPU frequency in MHz. */
  mhz: number;
  nodes: number;
  sockets: number;
  cores: number;
  threads: number;
}

/** virVcpuInfo plus the CPU map virDomainGetVcpus fills beside it. */
export interface VcpuInfo {
  number: number;
  state: VcpuState;
  /** CPU time used, in nanoseconds. */
  cpuTime: bigint;
  /** Host CPU the vCPU runs on, -1 when offline. */
  cpu: number;
  /** Host CPUs the vCPU may run on, one boolean per host CPU. */
  affinity: boolean[];
}

/** virSecurityLabel */
export interface SecurityLabel {
  label: string;
  enforcing: boolean;
}

/** virSecurityModel */
export interface SecurityModel {
  model: string;
  doi: string;
}

/** virStoragePoolInfo; sizes in bytes. */
export interface StoragePoolInfo {
  state: StoragePoolState;
  capacity: bigint;
  allocation: bigint;
  available: bigint;
}

/** virStorageVolInfo; sizes in bytes. */
export interface StorageVolInfo {
  type: StorageVolType;
  capacity: bigint;
  allocation: bigint;
}
