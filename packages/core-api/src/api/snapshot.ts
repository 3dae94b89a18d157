import { SnapshotDeleteFlags } from '../constants/snapshot.js';
import { ErrorDomain } from '../errors/codes.js';
import { exclusiveFlags } from '../util/flags.js';
import type { SnapshotRef } from '../driver/refs.js';
import type { Domain } from './domain.js';
import { invoke } from './invoke.js';

const SNAP = ErrorDomain.DOMAIN_SNAPSHOT;

/** A domain snapshot handle (libvirt's virDomainSnapshot). */
export class DomainSnapshot {
  constructor(
    readonly domain: Domain,
    readonly name: string,
  ) {}

  get ref(): SnapshotRef {
    return { domain: this.domain.ref, name: this.name };
  }

  private get hv() {
    return this.domain.connect.drivers.hypervisor;
  }

  /** virDomainSnapshotGetName */
  getName(): string {
    return this.name;
  }

  /** virDomainSnapshotGetXMLDesc (flags: SnapshotXMLFlags). */
  getXMLDesc(flags = 0): Promise<string> {
    return invoke(this.hv, 'domainSnapshotGetXMLDesc', 'virDomainSnapshotGetXMLDesc', SNAP, this.ref, flags);
  }

  /** virDomainSnapshotGetParent */
  async getParent(flags = 0): Promise<DomainSnapshot> {
    const ref = await invoke(this.hv, 'domainSnapshotGetParent', 'virDomainSnapshotGetParent', SNAP, this.ref, flags);
    return new DomainSnapshot(this.domain, ref.name);
  }

  /** virDomainSnapshotListAllChildren (flags: SnapshotListFlags). */
  async listAllChildren(flags = 0): Promise<DomainSnapshot[]> {
    const refs = await invoke(this.hv, 'domainSnapshotListAllChildren', 'virDomainSnapshotListAllChildren', SNAP, this.ref, flags);
    return refs.map((r) => new DomainSnapshot(this.domain, r.name));
  }

  /** virDomainSnapshotNumChildren (flags: SnapshotListFlags). */
  numChildren(flags = 0): Promise<number> {
    return invoke(this.hv, 'domainSnapshotNumChildren', 'virDomainSnapshotNumChildren', SNAP, this.ref, flags);
  }

  /** virDomainSnapshotIsCurrent */
  isCurrent(flags = 0): Promise<boolean> {
    return invoke(this.hv, 'domainSnapshotIsCurrent', 'virDomainSnapshotIsCurrent', SNAP, this.ref, flags);
  }

  /** virDomainSnapshotHasMetadata */
  hasMetadata(flags = 0): Promise<boolean> {
    return invoke(this.hv, 'domainSnapshotHasMetadata', 'virDomainSnapshotHasMetadata', SNAP, this.ref, flags);
  }

  /** virDomainSnapshotDelete (flags: SnapshotDeleteFlags). */
  async delete(flags = 0): Promise<void> {
    this.domain.connect.checkWritable('virDomainSnapshotDelete', SNAP);
    const F = SnapshotDeleteFlags;
    exclusiveFlags(flags, F.CHILDREN, 'VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN', F.CHILDREN_ONLY, 'VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN_ONLY', SNAP);
    await invoke(this.hv, 'domainSnapshotDelete', 'virDomainSnapshotDelete', SNAP, this.ref, flags);
  }
}
