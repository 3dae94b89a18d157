/**
 * The kvm driver's view of its domains, shared by every connection to the
 * same URI in this process: definitions from the config directory, running
 * domains found again through their VMM processes, and a monitor (QMP)
 * connection to each of those, whose events keep the state current.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync, renameSync } from 'node:fs';
import { basename, join } from 'node:path';
import {
  DomainEventStartedDetail,
  DomainEventStoppedDetail,
  DomainEventSuspendedDetail,
  DomainEventResumedDetail,
  DomainEventType,
  DomainEventID,
  DomainObj,
  DomainObjList,
  DomainPausedReason,
  DomainRunningReason,
  DomainShutdownReason,
  DomainShutoffReason,
  DomainState,
  formatDomainXML,
  parseDomainXML,
  type DomainDef,
} from '@virt/core-api';
import { QmpClient, type QmpEvent } from '@virt/qmp';
import { readExitStatus, type ExitStatus } from '../vmm-process/exit-status.js';
import { domainFiles, type DriverPaths } from './paths.js';
import { processAlive } from './vmm-launcher.js';

export const KVM_DOMAIN_OPTIONS = { virtTypes: ['kvm'], defaultArch: 'x86_64' } as const;

/** A domain of the kvm driver: libvirt's virDomainObj with its VMM process. */
export class KvmDomain extends DomainObj {
  pid: number | undefined;
  monitor: QmpClient | undefined;
  /** Resolved when the VMM process has gone and the domain is shut off. */
  stopped: Promise<void> = Promise.resolve();
  markStopped: () => void = () => undefined;
}

/** What the run directory keeps about a running domain besides its live XML. */
interface RunStatus {
  pid: number;
  id: number;
}

export class KvmState {
  readonly domains = new DomainObjList<KvmDomain>((def) => new KvmDomain(def));

  constructor(readonly paths: DriverPaths) {}

  files(dom: KvmDomain | string) {
    return domainFiles(this.paths, typeof dom === 'string' ? dom : dom.def.name);
  }

  /** Read the definitions, then find the running domains again. */
  async load(): Promise<void> {
    for (const dir of [this.paths.config, this.paths.run, this.paths.log]) mkdirSync(dir, { recursive: true, mode: 0o700 });
    for (const file of readdirSync(this.paths.config).filter((f) => f.endsWith('.xml'))) {
      const def = parseDomainXML(readFileSync(join(this.paths.config, file), 'utf8'), KVM_DOMAIN_OPTIONS);
      this.domains.add(def).dom.persistent = true;
    }
    for (const file of readdirSync(this.paths.run).filter((f) => f.endsWith('.json'))) await this.reattach(basename(file, '.json'));
  }

  saveConfig(def: DomainDef): void {
    writeAtomically(this.files(def.name).config, formatDomainXML(def, {}));
  }

  removeConfig(name: string): void {
    rmSync(this.files(name).config, { force: true });
  }

  writeLiveXml(dom: KvmDomain): void {
    writeAtomically(this.files(dom).liveXml, formatDomainXML(dom.def, {}));
  }

  /** A VMM now serves `dom`: record it, watch it, and report the start. */
  started(dom: KvmDomain, pid: number, monitor: QmpClient, paused: boolean): void {
    if (paused) this.domains.activate(dom, DomainState.PAUSED, DomainPausedReason.USER);
    else this.domains.activate(dom, DomainState.RUNNING, DomainRunningReason.BOOTED);
    writeAtomically(this.files(dom).status, JSON.stringify({ pid, id: dom.id } satisfies RunStatus));
    this.watch(dom, pid, monitor);
    this.domains.lifecycle(dom, DomainEventType.STARTED, DomainEventStartedDetail.BOOTED);
    if (paused) this.domains.lifecycle(dom, DomainEventType.SUSPENDED, DomainEventSuspendedDetail.PAUSED);
  }

  /** Drop the monitors (this process's view ends; the VMMs run on). */
  close(): void {
    for (const dom of this.domains.all()) dom.monitor?.close();
  }

  private async reattach(name: string): Promise<void> {
    const files = this.files(name);
    let status: RunStatus | undefined;
    try {
      status = JSON.parse(readFileSync(files.status, 'utf8')) as RunStatus;
    } catch {
      status = undefined;
    }
    if (!status || !processAlive(status.pid) || !existsSync(files.liveXml)) return this.forget(name);
    let monitor: QmpClient;
    try {
      monitor = await QmpClient.connect(files.qmp);
    } catch {
      // alive but not answering: it is going away
      return this.forget(name);
    }
    const def = parseDomainXML(readFileSync(files.liveXml, 'utf8'), KVM_DOMAIN_OPTIONS);
    const { dom, previous } = this.domains.add(def, { live: true });
    if (!previous) dom.persistent = false;
    const run = await monitor.execute<{ status: string }>('query-status');
    const [state, reason] = run.status === 'running' ? [DomainState.RUNNING, DomainRunningReason.BOOTED] : pausedState(run.status);
    this.domains.activate(dom, state, reason, status.id);
    this.watch(dom, status.pid, monitor);
  }

  private forget(name: string): void {
    const files = this.files(name);
    for (const f of [files.status, files.liveXml, files.qmp, files.console, files.exitStatus]) rmSync(f, { force: true });
  }

  private watch(dom: KvmDomain, pid: number, monitor: QmpClient): void {
    dom.pid = pid;
    dom.monitor = monitor;
    dom.stopped = new Promise((resolve) => (dom.markStopped = resolve));
    monitor.on('event', (event) => this.onEvent(dom, event));
    monitor.on('close', () => void this.vmmGone(dom, monitor));
  }

  private onEvent(dom: KvmDomain, event: QmpEvent): void {
    switch (event.event) {
      case 'STOP':
        void dom.monitor?.execute<{ status: string }>('query-status').then((run) => {
          const [state, reason] = pausedState(run.status);
          dom.setState(state, reason);
          this.domains.lifecycle(dom, DomainEventType.SUSPENDED, DomainEventSuspendedDetail.PAUSED);
        }, () => undefined);
        return;
      case 'RESUME':
        // the `cont` of a start is not a resume
        if (dom.state !== DomainState.PAUSED) return;
        dom.setState(DomainState.RUNNING, DomainRunningReason.UNPAUSED);
        this.domains.lifecycle(dom, DomainEventType.RESUMED, DomainEventResumedDetail.UNPAUSED);
        return;
      case 'RESET':
        this.domains.events.emit({ id: DomainEventID.REBOOT, domain: dom.ref });
        return;
    }
  }

  /** The monitor closed: the VMM has ended, or is ending; the domain shuts off with the reason it left. */
  private async vmmGone(dom: KvmDomain, monitor: QmpClient): Promise<void> {
    if (dom.monitor !== monitor) return;
    const pid = dom.pid!;
    for (let i = 0; i < 500 && processAlive(pid); i++) await new Promise((resolve) => setTimeout(resolve, 10));
    const exit = readExitStatus(this.files(dom).exitStatus);
    const [reason, detail] = shutoffReason(exit);
    dom.pid = undefined;
    dom.monitor = undefined;
    this.forget(dom.def.name);
    this.domains.deactivate(dom, DomainState.SHUTOFF, reason);
    dom.restoreConfig();
    this.domains.lifecycle(dom, DomainEventType.STOPPED, detail);
    if (!dom.persistent) this.domains.remove(dom);
    dom.markStopped();
  }
}

function pausedState(status: string): [DomainState, number] {
  if (status === 'internal-error') return [DomainState.PAUSED, DomainPausedReason.CRASHED];
  if (status === 'prelaunch') return [DomainState.PAUSED, DomainPausedReason.STARTING_UP];
  if (status === 'shutdown') return [DomainState.SHUTDOWN, DomainShutdownReason.USER];
  return [DomainState.PAUSED, DomainPausedReason.USER];
}

function shutoffReason(exit: ExitStatus | undefined): [DomainShutoffReason, DomainEventStoppedDetail] {
  switch (exit?.reason) {
    case 'shutdown':
      return [DomainShutoffReason.SHUTDOWN, DomainEventStoppedDetail.SHUTDOWN];
    case 'destroyed':
      return [DomainShutoffReason.DESTROYED, DomainEventStoppedDetail.DESTROYED];
    case 'crashed':
      return [DomainShutoffReason.CRASHED, DomainEventStoppedDetail.CRASHED];
    default:
      // died without saying why
      return [DomainShutoffReason.CRASHED, DomainEventStoppedDetail.FAILED];
  }
}

function writeAtomically(path: string, text: string): void {
  const tmp = `${path}.new`;
  writeFileSync(tmp, text, { mode: 0o600 });
  renameSync(tmp, path);
}
