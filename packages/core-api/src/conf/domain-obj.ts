import { DomainState, DomainXMLFlags, ListDomainsFlags } from '../constants/domain.js';
import { DomainEventID } from '../constants/events.js';
import type { DomainRef } from '../driver/refs.js';
import { ErrorCode, ErrorDomain } from '../errors/codes.js';
import { VirtError } from '../errors/virt-error.js';
import { checkFlags } from '../util/flags.js';
import { EventBus } from '../events/bus.js';
import type { DomainEvent } from '../events/types.js';
import { formatDomainXML } from './domain/format.js';
import { cloneDomainDef } from './domain/parse.js';
import type { DomainDef } from './domain/types.js';

/**
 * One domain as a driver keeps it (libvirt's virDomainObj): its running and
 * persistent definitions, state and ID. Drivers extend it with their own
 * per-domain state.
 */
export class DomainObj {
  /** The running definition, or the configuration while shut off. */
  def: DomainDef;
  /** A configuration defined while running, applied when the domain stops. */
  newDef: DomainDef | undefined;
  state = DomainState.SHUTOFF;
  reason = 0;
  id = -1;
  persistent = false;
  autostart = false;
  hasManagedSave = false;

  constructor(def: DomainDef) {
    this.def = def;
  }

  get active(): boolean {
    return this.id !== -1;
  }

  get ref(): DomainRef {
    return { name: this.def.name, uuid: this.def.uuid, id: this.id };
  }

  /** The persistent configuration: the pending one if any, else the current one. */
  get config(): DomainDef {
    return this.newDef ?? this.def;
  }

  setState(state: DomainState, reason: number): void {
    this.state = state;
    this.reason = reason;
  }

  /** Keep the configuration aside before the running definition diverges from it. */
  saveConfig(): void {
    if (this.persistent && !this.newDef) this.newDef = cloneDomainDef(this.def);
  }

  /**
   * The configuration to change for a CONFIG request (virDomainObjGetPersistentDef):
   * while running it is split off the live definition first; while shut off
   * it is the definition itself.
   */
  persistentDef(): DomainDef {
    if (this.active) this.saveConfig();
    return this.config;
  }

  /**
   * The domain's XML for virDomainGetXMLDesc: the live definition with its
   * ID while running, the persistent one for VIR_DOMAIN_XML_INACTIVE.
   */
  xmlDesc(flags: number): string {
    const inactive = Boolean(flags & DomainXMLFlags.INACTIVE);
    const def = inactive && this.newDef ? this.newDef : this.def;
    return formatDomainXML(def, { id: this.active && !inactive ? this.id : undefined, secure: Boolean(flags & DomainXMLFlags.SECURE) });
  }

  /** The flags virDomainGetXMLDesc takes. */
  static readonly XML_DESC_FLAGS = DomainXMLFlags.SECURE | DomainXMLFlags.INACTIVE | DomainXMLFlags.MIGRATABLE;

  /** After stopping, the pending configuration becomes the definition (virDomainObjRemoveTransientDef). */
  restoreConfig(): void {
    if (this.newDef) {
      this.def = this.newDef;
      this.newDef = undefined;
    }
  }
}

export interface AddOptions {
  /** The definition becomes the running one (create, restore). */
  live?: boolean;
  /** Refuse if the domain is already running (or being started). */
  checkLive?: boolean;
}

const DOM = ErrorDomain.DOMAIN;

/** A driver's domains, with ID allocation and lifecycle events (libvirt's virDomainObjList). */
export class DomainObjList<T extends DomainObj = DomainObj> {
  private readonly byUUID = new Map<string, T>();
  private readonly byName = new Map<string, T>();
  private readonly byID = new Map<number, T>();
  private nextID = 1;
  readonly events = new EventBus<DomainEvent>((e) => e.domain.uuid);

  /** `create` makes the driver's object for a new definition. */
  constructor(private readonly create: (def: DomainDef) => T) {}

  all(): T[] {
    return [...this.byUUID.values()];
  }

  get size(): number {
    return this.byUUID.size;
  }

  findByUUID(uuid: string): T | undefined {
    return this.byUUID.get(uuid);
  }

  findByName(name: string): T | undefined {
    return this.byName.get(name);
  }

  findByID(id: number): T | undefined {
    return this.byID.get(id);
  }

  /**
   * Start a domain: it takes the next ID (IDs are never reused), or `id`
   * when a driver finds a domain already running (its IDs then go on above it).
   */
  activate(dom: T, state: DomainState, reason: number, id = this.nextID): void {
    dom.id = id;
    this.nextID = Math.max(this.nextID, id + 1);
    this.byID.set(dom.id, dom);
    dom.setState(state, reason);
  }

  /** Stop a domain: it loses its ID. */
  deactivate(dom: T, state: DomainState, reason: number): void {
    this.byID.delete(dom.id);
    dom.id = -1;
    dom.setState(state, reason);
  }

  /**
   * Add a definition (virDomainObjListAdd): a new domain, or the existing
   * one with that name and UUID, whose definition is replaced (or set
   * aside as its pending configuration while it runs).
   */
  add(def: DomainDef, options: AddOptions = {}): { dom: T; previous: DomainDef | undefined } {
    const existing = this.byUUID.get(def.uuid);
    if (existing) {
      if (existing.def.name !== def.name) {
        throw VirtError.create(ErrorCode.OPERATION_FAILED, DOM, `domain '${existing.def.name}' is already defined with uuid ${def.uuid}`);
      }
      if (options.checkLive) {
        if (existing.active) throw VirtError.create(ErrorCode.OPERATION_INVALID, DOM, `domain '${def.name}' is already active`);
        if (!existing.persistent) throw VirtError.create(ErrorCode.OPERATION_INVALID, DOM, `domain '${def.name}' is already being started`);
      }
      const previous = existing.config;
      if (options.live) {
        existing.saveConfig();
        existing.def = def;
      } else if (existing.active) {
        existing.newDef = def;
      } else {
        existing.def = def;
      }
      return { dom: existing, previous };
    }
    const clash = this.findByName(def.name);
    if (clash) throw VirtError.create(ErrorCode.OPERATION_FAILED, DOM, `domain '${def.name}' already exists with uuid ${clash.def.uuid}`);
    const dom = this.create(def);
    this.byUUID.set(def.uuid, dom);
    this.byName.set(def.name, dom);
    return { dom, previous: undefined };
  }

  /**
   * The domains virConnectListAllDomains returns for `flags` (the
   * VIR_CONNECT_LIST_DOMAINS_* filters); `hasSnapshot` answers for drivers
   * that keep snapshots, `api` and `domain` name the caller in errors.
   */
  listAll(flags: number, api: string, domain: ErrorDomain, hasSnapshot: (d: T) => boolean = () => false): T[] {
    const F = ListDomainsFlags;
    const all = Object.values(F).filter((v): v is number => typeof v === 'number').reduce((a, b) => a | b, 0);
    checkFlags(flags, all, api, domain);
    const pick = (on: number, off: number, value: boolean): boolean => !(flags & (on | off)) || Boolean(flags & on && value) || Boolean(flags & off && !value);
    const stateFilter = F.RUNNING | F.PAUSED | F.SHUTOFF | F.OTHER;
    return this.all().filter((d) => {
      if (!pick(F.ACTIVE, F.INACTIVE, d.active)) return false;
      if (!pick(F.PERSISTENT, F.TRANSIENT, d.persistent)) return false;
      if (!pick(F.MANAGEDSAVE, F.NO_MANAGEDSAVE, d.hasManagedSave)) return false;
      if (!pick(F.AUTOSTART, F.NO_AUTOSTART, d.autostart)) return false;
      if (!pick(F.HAS_SNAPSHOT, F.NO_SNAPSHOT, hasSnapshot(d))) return false;
      if (!pick(F.HAS_CHECKPOINT, F.NO_CHECKPOINT, false)) return false;
      if (!(flags & stateFilter)) return true;
      const s = d.state;
      const other = s !== DomainState.RUNNING && s !== DomainState.PAUSED && s !== DomainState.SHUTOFF;
      return (
        Boolean(flags & F.RUNNING && s === DomainState.RUNNING) ||
        Boolean(flags & F.PAUSED && s === DomainState.PAUSED) ||
        Boolean(flags & F.SHUTOFF && s === DomainState.SHUTOFF) ||
        Boolean(flags & F.OTHER && other)
      );
    });
  }

  remove(dom: T): void {
    this.byUUID.delete(dom.def.uuid);
    this.byName.delete(dom.def.name);
    if (dom.id !== -1) this.byID.delete(dom.id);
  }

  lifecycle(dom: T, event: number, detail: number): void {
    this.events.emit({ id: DomainEventID.LIFECYCLE, domain: dom.ref, event, detail });
  }
}
