import { DomainObj, DomainObjList, type DomainDef } from '@virt/core-api';
import { SnapshotTree } from './snapshots.js';

/** One domain of the fake host: libvirt's virDomainObj with its snapshots. */
export class TestDomain extends DomainObj {
  readonly snapshots = new SnapshotTree();
}

/** The domains of a fake host. */
export class TestDomains extends DomainObjList<TestDomain> {
  constructor() {
    super((def: DomainDef) => new TestDomain(def));
  }
}
