import { existsSync } from 'node:fs';
import { native } from './native.js';

/** What this host's /dev/kvm is, and what it can run. */
export interface KvmHost {
  /** False when there is no /dev/kvm (or no permission to open it). */
  available: boolean;
  /** vmx or svm: hardware virtualisation; pvm: guest CPL0 code is emulated (~1000x slower), CPL3 runs natively. */
  flavour?: 'vmx' | 'svm' | 'pvm' | 'unknown';
  maxVcpus?: number;
  /** Why it is not available. */
  reason?: string;
}

export function kvmHost(): KvmHost {
  if (!existsSync('/dev/kvm')) return { available: false, reason: 'there is no /dev/kvm' };
  try {
    const info = native().kvmInfo();
    return { available: true, flavour: info.flavour, maxVcpus: info.maxVcpus };
  } catch (err) {
    return { available: false, reason: (err as Error).message };
  }
}
