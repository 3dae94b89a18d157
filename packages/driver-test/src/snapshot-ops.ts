import {
  checkFlags,
  cloneDomainDef,
  DomainEventStartedDetail,
  DomainEventStoppedDetail,
  DomainEventSuspendedDetail,
  DomainEventType,
  DomainPausedReason,
  DomainRunningReason,
  DomainShutoffReason,
  DomainState,
  ErrorCode,
  ErrorDomain,
  formatSnapshotXML,
  parseSnapshotXML,
  SnapshotCreateFlags,
  SnapshotDeleteFlags,
  SnapshotListFlags,
  SnapshotRevertFlags,
  VirtError,
  type DomainSnapshotDef,
  type SnapshotRef,
} from '@virt/core-api';
import type { TestDomain, TestDomains } from './domains.js';
import { internalError, invalidOperation, testError } from './errors.js';
import { TEST_DOMAIN_OPTIONS } from './options.js';
import type { TestSnapshot } from './snapshots.js';

type Stop = (dom: TestDomain, reason: DomainShutoffReason, detail: DomainEventStoppedDetail) => void;

const SNAP = ErrorDomain.DOMAIN_SNAPSHOT;

function stateName(state: DomainState): string {
  switch (state) {
    case DomainState.RUNNING:
      return 'running';
    case DomainState.PAUSED:
      return 'paused';
    case DomainState.SHUTOFF:
      return 'shutoff';
    case DomainState.BLOCKED:
      return 'blocked';
    case DomainState.SHUTDOWN:
      return 'shutdown';
    case DomainState.CRASHED:
      return 'crashed';
    case DomainState.PMSUSPENDED:
      return 'pmsuspended';
    default:
      return 'nostate';
  }
}

/** Snapshot operations of the test driver: internal snapshots, kept in memory. */
export class TestSnapshots {
  constructor(private readonly domains: TestDomains) {}

  find(dom: TestDomain, name: string): TestSnapshot {
    const snap = dom.snapshots.get(name);
    if (!snap) throw testError(ErrorCode.NO_DOMAIN_SNAPSHOT, `no domain snapshot with matching name '${name}'`);
    return snap;
  }

  xml(dom: TestDomain, name: string): string {
    return formatSnapshotXML(this.find(dom, name).def);
  }

  /** Fill in and check the disks a new snapshot covers (virDomainSnapshotAlignDisks for internal snapshots). */
  private alignDisks(dom: TestDomain, def: DomainSnapshotDef): void {
    const disks = dom.def.devices.disks;
    if (def.disks.length > disks.length) throw VirtError.create(ErrorCode.CONFIG_UNSUPPORTED, SNAP, 'too many disk snapshot requests for domain');
    const seen = new Set<string>();
    for (const d of def.disks) {
      if (!disks.some((disk) => disk.target.dev === d.name)) throw VirtError.create(ErrorCode.CONFIG_UNSUPPORTED, SNAP, `no disk named '${d.name}'`);
      if (seen.has(d.name)) throw VirtError.create(ErrorCode.CONFIG_UNSUPPORTED, SNAP, `disk '${d.name}' specified twice`);
      seen.add(d.name);
      if (d.snapshot === 'external') throw VirtError.create(ErrorCode.CONFIG_UNSUPPORTED, SNAP, `disk '${d.name}' must use snapshot mode 'internal'`);
    }
    def.disks = disks.map((disk) => {
      const given = def.disks.find((d) => d.name === disk.target.dev);
      const snapshot = disk.readonly ? 'no' : (given?.snapshot ?? 'internal');
      return { name: disk.target.dev, snapshot, children: [] };
    });
  }

  create(dom: TestDomain, xml: string, flags: number, stop: Stop): SnapshotRef {
    const F = SnapshotCreateFlags;
    checkFlags(flags, F.REDEFINE | F.CURRENT | F.HALT | F.QUIESCE | F.ATOMIC | F.LIVE | F.VALIDATE, 'testDomainSnapshotCreateXML', ErrorDomain.TEST);
    const redefine = Boolean(flags & F.REDEFINE);
    if (flags & F.HALT && !dom.persistent) throw invalidOperation('cannot halt after transient domain snapshot');
    const def = parseSnapshotXML(xml, redefine, TEST_DOMAIN_OPTIONS);

    if (redefine) {
      if (!def.domain) throw VirtError.create(ErrorCode.INTERNAL_ERROR, SNAP, 'missing domain in snapshot');
      if (def.domain.uuid !== dom.def.uuid) {
        throw VirtError.create(ErrorCode.INVALID_ARG, SNAP, `definition for snapshot ${def.name} must use uuid ${dom.def.uuid}`);
      }
      if (def.parent !== undefined && !dom.snapshots.get(def.parent)) {
        throw VirtError.create(ErrorCode.INVALID_ARG, ErrorDomain.DOMAIN, `parent ${def.parent} for moment ${def.name} not found`);
      }
      if (dom.snapshots.get(def.name!)) dom.snapshots.remove(def.name!);
    } else {
      if (def.memory?.snapshot === 'external') {
        const disk = dom.def.devices.disks[0];
        if (disk) {
          throw VirtError.create(
            ErrorCode.CONFIG_UNSUPPORTED,
            SNAP,
            `source for disk '${disk.target.dev}' is not a regular file; refusing to generate external snapshot name`,
          );
        }
      }
      const now = Math.floor(Date.now() / 1000);
      def.name ??= String(now);
      def.creationTime = now;
      def.state = stateName(dom.state);
      def.memory = { snapshot: dom.active ? 'internal' : 'no' };
      def.domain = cloneDomainDef(dom.def);
      def.parent = dom.snapshots.current;
      this.alignDisks(dom, def);
      if (dom.snapshots.get(def.name)) {
        throw VirtError.create(ErrorCode.OPERATION_FAILED, ErrorDomain.DOMAIN, `domain moment ${def.name} already exists`);
      }
    }
    const snap: TestSnapshot = { def: def as TestSnapshot['def'] };
    dom.snapshots.add(snap);
    if (!redefine || flags & F.CURRENT) dom.snapshots.current = snap.def.name;
    if (!redefine && flags & F.HALT && dom.active) stop(dom, DomainShutoffReason.FROM_SNAPSHOT, DomainEventStoppedDetail.FROM_SNAPSHOT);
    return { domain: dom.ref, name: snap.def.name };
  }

  /** Snapshots of a domain (or the children of one), filtered as virDomainListAllSnapshots. */
  list(dom: TestDomain, from: string | undefined, flags: number): SnapshotRef[] {
    const F = SnapshotListFlags;
    const all =
      F.DESCENDANTS | F.METADATA | F.LEAVES | F.NO_LEAVES | F.NO_METADATA | F.INACTIVE | F.ACTIVE | F.DISK_ONLY | F.INTERNAL | F.EXTERNAL | F.TOPOLOGICAL;
    checkFlags(flags, all, from === undefined ? 'testDomainListAllSnapshots' : 'testDomainSnapshotListAllChildren', ErrorDomain.TEST);
    const tree = dom.snapshots;
    let candidates: TestSnapshot[];
    if (from !== undefined) {
      this.find(dom, from);
      candidates = flags & F.DESCENDANTS ? tree.descendantsOf(from) : tree.childrenOf(from);
    } else {
      candidates = flags & F.ROOTS ? tree.childrenOf(undefined) : tree.topological();
    }
    const pick = (on: number, off: number, value: boolean): boolean => !(flags & (on | off)) || Boolean(flags & on && value) || Boolean(flags & off && !value);
    const locations = F.INACTIVE | F.ACTIVE | F.DISK_ONLY;
    return candidates
      .filter((s) => {
        const leaf = tree.childrenOf(s.def.name).length === 0;
        // libvirt treats --leaves with --no-leaves as a filter nothing passes
        if ((flags & (F.LEAVES | F.NO_LEAVES)) === (F.LEAVES | F.NO_LEAVES)) return false;
        if (!pick(F.LEAVES, F.NO_LEAVES, leaf)) return false;
        if (!pick(F.METADATA, F.NO_METADATA, true)) return false;
        if (!pick(F.INTERNAL, F.EXTERNAL, true)) return false;
        if (flags & locations) {
          const state = s.def.state;
          const ok =
            (flags & F.INACTIVE && state === 'shutoff') ||
            (flags & F.ACTIVE && (state === 'running' || state === 'paused')) ||
            (flags & F.DISK_ONLY && state === 'disk-snapshot');
          if (!ok) return false;
        }
        return true;
      })
      .map((s) => ({ domain: dom.ref, name: s.def.name }));
  }

  revert(dom: TestDomain, name: string, flags: number, stop: Stop): void {
    const F = SnapshotRevertFlags;
    checkFlags(flags, F.RUNNING | F.PAUSED | F.FORCE, 'testDomainRevertToSnapshot', ErrorDomain.TEST);
    const snap = this.find(dom, name);
    const snapRunning = snap.def.state === 'running' || snap.def.state === 'paused';
    if (!dom.persistent && !snapRunning && !(flags & (F.RUNNING | F.PAUSED))) {
      throw invalidOperation('transient domain needs to request run or pause to revert to inactive snapshot');
    }
    const domain = snap.def.domain;
    if (!domain) throw internalError('snapshot lacks domain rollback info');
    dom.snapshots.current = snap.def.name;

    if (snapRunning || flags & (F.RUNNING | F.PAUSED)) {
      if (dom.active) {
        this.domains.deactivate(dom, DomainState.SHUTOFF, DomainShutoffReason.FROM_SNAPSHOT);
        this.domains.lifecycle(dom, DomainEventType.STOPPED, DomainEventStoppedDetail.FROM_SNAPSHOT);
      }
      dom.def = cloneDomainDef(domain);
      const paused = flags & F.PAUSED || (snap.def.state === 'paused' && !(flags & F.RUNNING));
      if (snapRunning) {
        dom.saveConfig();
        this.domains.activate(dom, DomainState.RUNNING, DomainRunningReason.FROM_SNAPSHOT);
        if (paused) dom.setState(DomainState.PAUSED, DomainPausedReason.FROM_SNAPSHOT);
      }
      // like libvirt's test driver, a shut-off snapshot reverted with
      // --running/--paused reports the start but leaves the domain off
      this.domains.lifecycle(dom, DomainEventType.STARTED, DomainEventStartedDetail.FROM_SNAPSHOT);
      if (paused) this.domains.lifecycle(dom, DomainEventType.SUSPENDED, DomainEventSuspendedDetail.FROM_SNAPSHOT);
      return;
    }
    if (dom.active) stop(dom, DomainShutoffReason.FROM_SNAPSHOT, DomainEventStoppedDetail.FROM_SNAPSHOT);
    dom.def = cloneDomainDef(domain);
  }

  delete(dom: TestDomain, name: string, flags: number): void {
    const F = SnapshotDeleteFlags;
    checkFlags(flags, F.CHILDREN | F.CHILDREN_ONLY, 'testDomainSnapshotDelete', ErrorDomain.TEST);
    const snap = this.find(dom, name);
    const tree = dom.snapshots;
    const parent = snap.def.parent;
    if (flags & (F.CHILDREN | F.CHILDREN_ONLY)) {
      const keep = Boolean(flags & F.CHILDREN_ONLY);
      const doomed = new Set(tree.descendantsOf(name).map((s) => s.def.name));
      if (!keep) doomed.add(name);
      const current = tree.current;
      tree.removeSubtree(name, keep);
      if (current !== undefined && doomed.has(current)) tree.current = keep ? name : parent;
      return;
    }
    const wasCurrent = tree.current === name;
    tree.remove(name);
    if (wasCurrent) tree.current = parent;
  }
}
