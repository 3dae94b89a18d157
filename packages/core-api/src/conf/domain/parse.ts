import { ErrorCode, ErrorDomain } from '../../errors/codes.js';
import { VirtError } from '../../errors/virt-error.js';
import { generateMAC } from '../../mac.js';
import { formatCpuSet, parseCpuSet } from '../../util/bitmap.js';
import { strToInt } from '../../util/strtol.js';
import { generateUUID, parseUUID } from '../../uuid.js';
import type { XmlElement } from '../../xml/node.js';
import { ElementReader } from '../../xml/reader.js';
import { parseRoot, xmlError } from '../common.js';
import { invalidAttribute, parseDevices } from './devices.js';
import {
  ARCHES,
  BOOT_DEVICES,
  CLOCK_OFFSETS,
  FEATURES,
  FLAG_FEATURES,
  LIFECYCLE_ACTIONS,
  LOCKFAILURE_ACTIONS,
  OS_TYPES,
  RAW_TOP_LEVEL,
  STATE_FEATURES,
  VIRT_TYPES,
} from './enums.js';
import { sanitizeMetadata } from './metadata.js';
import { formatDomainXML } from './format.js';
import { applyPostParse } from './postparse.js';
import type { ClockDef, DomainDef, DomainParseOptions, FeaturesDef, OsDef, VcpuDef } from './types.js';
import { parseMemoryKiB } from './units.js';

const DOM = ErrorDomain.DOMAIN;

function unsupported(detail: string): VirtError {
  return VirtError.create(ErrorCode.CONFIG_UNSUPPORTED, DOM, detail);
}

/** Text of an element as libvirt reads it: absent or empty means undefined. */
function textOf(el: XmlElement | undefined): string | undefined {
  const text = el?.text();
  return text === undefined || text === '' ? undefined : text;
}

function parseVcpu(el: XmlElement | undefined): VcpuDef {
  if (!el) return { max: 1, current: 1, placement: 'static' };
  const text = el.text();
  const parsed = strToInt(text, 'uip');
  if (!parsed || parsed.value > 0xffffn) throw xmlError(DOM, 'maximum vcpus count must be an integer');
  const max = Number(parsed.value);
  if (max === 0) throw VirtError.create(ErrorCode.INTERNAL_ERROR, DOM, 'CPU IDs in <numa> exceed the <vcpu> count');
  const placement = el.attr('placement') ?? 'static';
  if (placement !== 'static' && placement !== 'auto') throw invalidAttribute('placement', 'vcpu', placement);
  let current = max;
  const currentText = el.attr('current');
  if (currentText !== undefined) {
    const c = strToInt(currentText, 'uip');
    if (!c) throw xmlError(DOM, `Invalid value for attribute 'current' in element 'vcpu': '${currentText}'. Expected non-negative integer value`);
    current = Number(c.value);
    if (current > max) throw unsupported('maximum vCPU count must not be less than current vCPU count');
  }
  const cpusetText = el.attr('cpuset');
  const cpuset = cpusetText === undefined ? undefined : formatCpuSet(parseCpuSet(cpusetText, DOM));
  if (cpusetText !== undefined && cpuset === '') throw unsupported(`Invalid value of 'cpuset': ${cpusetText}`);
  return { max, current, placement, cpuset };
}

function parseOs(el: XmlElement | undefined): OsDef {
  const typeEl = el?.child('type');
  const type = typeEl?.text();
  if (!el || typeEl === undefined || type === undefined || type === '') throw xmlError(DOM, 'an os <type> must be specified');
  if (!(OS_TYPES as readonly string[]).includes(type)) throw unsupported(`unknown OS type '${type}'`);
  const arch = typeEl.attr('arch');
  if (arch !== undefined && !(ARCHES as readonly string[]).includes(arch)) throw unsupported(`Unknown architecture ${arch}`);
  const r = new ElementReader(el);
  r.child('type');
  const boot: string[] = [];
  for (const b of r.children('boot')) {
    const dev = b.attr('dev');
    if (dev === undefined) throw xmlError(DOM, "Missing required attribute 'dev' in element 'boot'");
    if (!(BOOT_DEVICES as readonly string[]).includes(dev)) throw invalidAttribute('dev', 'boot', dev);
    if (boot.length < 4) boot.push(dev);
  }
  const bootmenu = r.child('bootmenu')?.clone();
  const enable = bootmenu?.attr('enable');
  if (enable !== undefined && enable !== 'yes' && enable !== 'no') throw invalidAttribute('enable', 'bootmenu', enable);
  const smbios = r.child('smbios')?.clone();
  const smbiosMode = smbios?.attr('mode');
  if (smbios && !['emulate', 'host', 'sysinfo'].includes(smbiosMode ?? '')) throw unsupported(`unknown smbios mode '${smbiosMode ?? ''}'`);
  const loader = r.child('loader')?.clone();
  if (loader && loader.text() !== '' && loader.attr('type') === undefined) loader.setAttr('type', 'rom');
  const os: OsDef = {
    type,
    arch,
    machine: typeEl.attr('machine'),
    firmware: r.attr('firmware'),
    loader,
    nvram: r.child('nvram')?.clone(),
    kernel: textOf(r.child('kernel')),
    initrd: textOf(r.child('initrd')),
    cmdline: textOf(r.child('cmdline')),
    dtb: textOf(r.child('dtb')),
    root: textOf(r.child('root')),
    boot,
    bootmenu,
    bios: r.child('bios')?.clone(),
    smbios,
    raw: ['firmware', 'init', 'initarg', 'initenv', 'initdir', 'inituser', 'initgroup', 'acpi'].flatMap((n) => r.children(n).map((c) => c.clone())),
  };
  if (type === 'exe' && !os.raw.some((e) => e.name === 'init')) throw xmlError(DOM, 'init binary must be specified');
  os.extras = r.extras();
  return os;
}

function parseFeatures(el: XmlElement | undefined): FeaturesDef | undefined {
  if (!el) return undefined;
  const byName = new Map<string, XmlElement>();
  for (const child of el.elements()) {
    if (!(FEATURES as readonly string[]).includes(child.name)) throw unsupported(`unexpected feature '${child.name}'`);
    if (byName.has(child.name)) continue;
    const copy = child.clone();
    if (FLAG_FEATURES.has(child.name)) {
      copy.attributes.clear();
    } else if (STATE_FEATURES.has(child.name)) {
      const state = copy.attr('state');
      if (state === undefined) copy.setAttr('state', 'on');
      else if (state !== 'on' && state !== 'off') throw invalidAttribute('state', child.name, state);
    }
    byName.set(child.name, copy);
  }
  const items = FEATURES.flatMap((name) => {
    const item = byName.get(name);
    return item ? [item] : [];
  });
  return items.length > 0 ? { items } : undefined;
}

function parseClock(el: XmlElement | undefined): ClockDef {
  if (!el) return { offset: 'utc', attributes: [], timers: [] };
  const offset = el.attr('offset') ?? 'utc';
  if (!(CLOCK_OFFSETS as readonly string[]).includes(offset)) throw unsupported(`unknown clock offset '${offset}'`);
  const attributes = [...el.attributes].filter(([k]) => k !== 'offset');
  if (offset === 'timezone' && el.attr('timezone') === undefined) {
    throw VirtError.create(ErrorCode.INTERNAL_ERROR, DOM, "missing 'timezone' attribute for clock with offset='timezone'");
  }
  if (offset === 'variable') {
    const get = (k: string): string | undefined => attributes.find(([n]) => n === k)?.[1];
    const adjustment = get('adjustment') ?? '0';
    const basis = get('basis') ?? 'utc';
    attributes.length = 0;
    attributes.push(['adjustment', adjustment], ['basis', basis]);
  }
  const timers = el.childrenNamed('timer').map((t) => t.clone());
  for (const t of timers) {
    const name = t.attr('name');
    const names = ['platform', 'pit', 'rtc', 'hpet', 'tsc', 'kvmclock', 'hypervclock', 'armvtimer'];
    if (name === undefined || !names.includes(name)) throw invalidAttribute('name', 'timer', name ?? '');
  }
  return { offset, attributes, timers };
}

function parseLifecycle(r: ElementReader, element: string, event: string, fallback: string, allowed: readonly string[]): string {
  const action = textOf(r.child(element));
  if (action === undefined) return fallback;
  if (!(LIFECYCLE_ACTIONS as readonly string[]).includes(action)) throw unsupported(`unknown ${element} action: ${action}`);
  if (!allowed.includes(action)) throw unsupported(`Lifecycle event '${event}' doesn't support '${action}' action`);
  return action;
}

/** A `<uuid>`-like element: the canonical UUID, generated when empty, or libvirt's error. */
function parseIdentity(el: XmlElement | undefined, what: 'uuid' | 'genid'): string | undefined {
  if (!el) return undefined;
  const text = el.text();
  if (text === '' && what === 'genid') return generateUUID();
  const uuid = parseUUID(text);
  if (!uuid) throw VirtError.create(ErrorCode.INTERNAL_ERROR, DOM, `malformed ${what} element`);
  return uuid;
}

/**
 * Parse domain XML (virDomainDefParseString) and apply libvirt's generic
 * post-parse defaults. Drivers pass their own defaults in `options`.
 */
export function parseDomainXML(xml: string, options: DomainParseOptions = {}): DomainDef {
  return parseDomainElement(parseRoot(xml, '(domain_definition)', 'domain', DOM), options);
}

/** Parse a `<domain>` element already read from a larger document (snapshots, node files). */
export function parseDomainElement(root: XmlElement, options: DomainParseOptions = {}): DomainDef {
  const r = new ElementReader(root);
  const type = r.attr('type');
  if (type === undefined || type === '') throw VirtError.create(ErrorCode.INTERNAL_ERROR, DOM, 'missing domain type attribute');
  const virtTypes = options.virtTypes ?? VIRT_TYPES;
  if (!virtTypes.includes(type)) throw unsupported(`invalid domain type ${type}`);
  r.attr('id');

  const name = textOf(r.child('name'));
  if (name === undefined) throw VirtError.create(ErrorCode.NO_NAME, DOM);
  if (name.includes('/')) throw xmlError(DOM, `name ${name} cannot contain '/'`);
  const uuid = parseIdentity(r.child('uuid'), 'uuid') ?? generateUUID();
  const genid = parseIdentity(r.child('genid'), 'genid');
  const title = textOf(r.child('title'));
  if (title?.includes('\n')) throw xmlError(DOM, "Domain title can't contain newlines");
  const description = textOf(r.child('description'));
  const metadataEl = r.child('metadata');
  const namespaces = new Map([...root.attributes].filter(([k]) => k === 'xmlns' || k.startsWith('xmlns:')));
  const metadata = metadataEl ? sanitizeMetadata(metadataEl, namespaces) : undefined;

  const memoryEl = r.child('memory');
  const memory = parseMemoryKiB(memoryEl, './memory[1]') ?? 0;
  const dumpCore = memoryEl?.attr('dumpCore');
  if (dumpCore !== undefined && dumpCore !== 'on' && dumpCore !== 'off') throw invalidAttribute('dumpCore', 'memory', dumpCore);
  if (memory === 0) throw xmlError(DOM, 'Memory size must be specified via <memory> or in the <numa> configuration');
  const currentMemory = parseMemoryKiB(r.child('currentMemory'), './currentMemory[1]') ?? 0;

  let maxMemory: DomainDef['maxMemory'];
  const maxEl = r.child('maxMemory');
  if (maxEl) {
    const kib = parseMemoryKiB(maxEl, './maxMemory[1]');
    const slotsText = maxEl.attr('slots');
    if (kib === undefined || slotsText === undefined) throw xmlError(DOM, 'both maximum memory size and memory slot count must be specified');
    const slots = strToInt(slotsText, 'uip');
    if (!slots) throw xmlError(DOM, 'Failed to parse memory slot count');
    if (kib < memory) throw xmlError(DOM, 'maximum memory size must be equal or greater than the actual memory size');
    maxMemory = { kib, slots: Number(slots.value) };
  }

  const def: DomainDef = {
    type,
    name,
    uuid,
    genid,
    title,
    description,
    metadata,
    maxMemory,
    memory,
    memoryDumpCore: dumpCore,
    currentMemory,
    vcpu: parseVcpu(r.child('vcpu')),
    os: parseOs(r.child('os')),
    features: parseFeatures(r.child('features')),
    clock: parseClock(r.child('clock')),
    onPoweroff: parseLifecycle(r, 'on_poweroff', 'poweroff', 'destroy', ['destroy', 'restart', 'rename-restart', 'preserve']),
    onReboot: parseLifecycle(r, 'on_reboot', 'reboot', 'restart', ['destroy', 'restart', 'rename-restart', 'preserve']),
    onCrash: parseLifecycle(r, 'on_crash', 'crash', 'destroy', LIFECYCLE_ACTIONS),
    devices: parseDevices(r.child('devices'), generateMAC),
    raw: [],
  };
  const lockfailure = textOf(r.child('on_lockfailure'));
  if (lockfailure !== undefined) {
    if (!(LOCKFAILURE_ACTIONS as readonly string[]).includes(lockfailure)) throw unsupported(`unknown on_lockfailure action: ${lockfailure}`);
    def.onLockfailure = lockfailure;
  }
  for (const name of RAW_TOP_LEVEL) {
    for (const el of r.children(name)) def.raw.push(el.clone());
  }
  // anything else libvirt would drop; we keep it (but not the test driver's private namespace)
  const extras = r.extras();
  if (extras) {
    const children = extras.children.filter((c) => !c.name.startsWith('test:'));
    const attributes = extras.attributes.filter(([k]) => k !== 'xmlns:test');
    def.extras = children.length || attributes.length ? { attributes, children } : undefined;
  }
  applyPostParse(def, options);
  return def;
}

/**
 * Deep copy of a definition, as libvirt's virDomainDefCopy does it: format
 * everything and parse it again (every default is already explicit).
 */
export function cloneDomainDef(def: DomainDef): DomainDef {
  return parseDomainXML(formatDomainXML(def, { secure: true }));
}
