import { ErrorCode, ErrorDomain } from '../../errors/codes.js';
import { VirtError } from '../../errors/virt-error.js';
import { XmlElement } from '../../xml/node.js';
import { orderAttributes, orderChildren } from '../../xml/order.js';
import { xmlError } from '../common.js';
import { parseMemoryKiB } from './units.js';
import { normalizeAddress } from './device-info.js';
import { addDiskControllers, assignDriveAddress, defaultDiskBus, insertController, newController, sortDisks, validateDisks } from './disks.js';
import type { ChrDef, DomainDef, DomainParseOptions } from './types.js';

const DOM = ErrorDomain.DOMAIN;

/**
 * libvirt's generic post-parse step (virDomainDefPostParse): fill in the
 * defaults every driver gets, then check what needs the whole definition.
 */
export function applyPostParse(def: DomainDef, options: DomainParseOptions): void {
  if (def.currentMemory === 0 || def.currentMemory > def.memory) def.currentMemory = def.memory;
  if (def.os.arch === undefined && options.defaultArch) def.os.arch = options.defaultArch;

  applyBootDefaults(def);
  applyDiskDefaults(def);
  applyChrDefaults(def);
  applyOtherDeviceDefaults(def);
  if (options.interfaceTargetPrefix) nameInterfaceTargets(def, options.interfaceTargetPrefix);
  for (const el of def.raw) if (el.name === 'cpu') normalizeCpu(el);
}

/** Give every interface without a target device the first free PREFIXn name. */
function nameInterfaceTargets(def: DomainDef, prefix: string): void {
  const used = new Set(def.devices.interfaces.map((n) => n.targetDev).filter((d) => d !== undefined));
  let n = 0;
  for (const net of def.devices.interfaces) {
    if (net.targetDev !== undefined) continue;
    while (used.has(`${prefix}${n}`)) n++;
    net.targetDev = `${prefix}${n}`;
    used.add(net.targetDev);
  }
}

/** The `<cpu>` defaults libvirt writes: custom mode for a named model, dies in the topology, NUMA memory in KiB. */
function normalizeCpu(cpu: XmlElement): void {
  const model = cpu.child('model');
  if (model && cpu.attr('mode') === undefined) cpu.setAttr('mode', 'custom');
  const mode = cpu.attr('mode');
  if (mode === 'custom') {
    if (cpu.attr('match') === undefined && model) cpu.setAttr('match', 'exact');
    if (model && model.attr('fallback') === undefined) model.setAttr('fallback', 'allow');
  }
  orderAttributes(cpu, ['mode', 'match', 'check', 'migratable']);
  const topology = cpu.child('topology');
  if (topology) {
    for (const key of ['sockets', 'cores', 'threads']) {
      if (topology.attr(key) === undefined) throw xmlError(DOM, `Missing required attribute '${key}' in element 'topology'`);
      if (topology.attr(key) === '0') throw xmlError(DOM, `Invalid value for attribute '${key}' in element 'topology': Zero is not permitted`);
    }
    if (topology.attr('dies') === undefined) topology.setAttr('dies', 1);
    orderAttributes(topology, ['sockets', 'dies', 'clusters', 'cores', 'threads']);
  }
  for (const feature of cpu.childrenNamed('feature')) {
    if (feature.attr('policy') === undefined && mode !== 'host-passthrough') feature.setAttr('policy', 'require');
    orderAttributes(feature, ['policy', 'name']);
  }
  cpu.child('numa')?.childrenNamed('cell').forEach((cell, i) => {
    if (cell.attr('id') === undefined) cell.setAttr('id', i);
    const memory = cell.attr('memory');
    if (memory !== undefined) {
      const kib = scaledToKiB(memory, cell.attr('unit'), './cpu/numa/cell/@memory');
      cell.setAttr('memory', kib);
      cell.setAttr('unit', 'KiB');
    }
    orderAttributes(cell, ['id', 'cpus', 'memory', 'unit']);
  });
  orderChildren(cpu, ['model', 'vendor', 'topology', 'cache', 'maxphysaddr', 'feature', 'numa']);
}

/** A size given as text and unit attribute, in KiB (rounding up), as for `<memory>`. */
function scaledToKiB(text: string, unit: string | undefined, xpath: string): number {
  const el = new XmlElement('size', { unit });
  el.children.push({ kind: 'text', text });
  return parseMemoryKiB(el, xpath) ?? 0;
}

function applyBootDefaults(def: DomainDef): void {
  const orders: number[] = [];
  const devices = [...def.devices.disks, ...def.devices.interfaces];
  for (const d of devices) if (d.info.bootOrder !== undefined) orders.push(d.info.bootOrder);
  for (const el of def.devices.others) {
    const order = el.child('boot')?.attr('order');
    if (order !== undefined) orders.push(Number(order));
  }
  const seen = new Set<number>();
  for (const o of orders) {
    if (seen.has(o)) throw VirtError.create(ErrorCode.CONFIG_UNSUPPORTED, DOM, `boot order '${o}' used for more than one device`);
    seen.add(o);
  }
  if (orders.length > 0 && def.os.boot.length > 0) {
    throw VirtError.create(ErrorCode.CONFIG_UNSUPPORTED, DOM, 'per-device boot elements cannot be used together with os/boot elements');
  }
  if (def.os.type === 'hvm' && def.os.boot.length === 0 && orders.length === 0) def.os.boot = ['hd'];
}

function applyDiskDefaults(def: DomainDef): void {
  const d = def.devices;
  d.disks = sortDisks(d.disks);
  for (const disk of d.disks) {
    disk.target.bus ??= defaultDiskBus(disk);
    assignDriveAddress(disk);
  }
  validateDisks(d.disks);
  const controllers = [...d.controllers];
  d.controllers = [];
  for (const c of controllers) insertController(d.controllers, c);
  addDiskControllers(d.disks, d.controllers);
}

function copyChr(from: ChrDef, kind: ChrDef['kind']): ChrDef {
  return { kind, type: from.type, raw: from.raw.map((e) => e.clone()), target: { attributes: [], children: [] }, info: {} };
}

/** Serial/parallel port numbers and the console/serial pairing of hvm guests (virDomainDefAddConsoleCompat). */
function applyChrDefaults(def: DomainDef): void {
  const d = def.devices;
  for (const list of [d.serials, d.parallels]) {
    let next = 0;
    for (const chr of list) {
      if (chr.target.port === undefined) chr.target.port = next;
      next = Math.max(next, chr.target.port + 1);
    }
  }
  if (def.os.type === 'hvm') {
    const first = d.consoles[0];
    if (!first && d.serials.length > 0) {
      const console = copyChr(d.serials[0]!, 'console');
      console.target = { type: 'serial', port: 0, attributes: [], children: [] };
      d.consoles.push(console);
    } else if (first && (first.target.type === undefined || first.target.type === 'serial')) {
      if (d.serials.length === 0) {
        const serial = copyChr(first, 'serial');
        serial.target = { port: 0, attributes: [], children: [] };
        d.serials.push(serial);
      }
      const mirrored = copyChr(d.serials[0]!, 'console');
      mirrored.target = { type: 'serial', port: 0, attributes: [], children: [] };
      mirrored.info = first.info;
      d.consoles[0] = mirrored;
    }
  }
  for (const console of d.consoles) {
    if (console.target.type === 'virtio' && console.target.port === undefined) console.target.port = 0;
  }
  const needsVirtioSerial = d.channels.some((c) => c.target.type === 'virtio') || d.consoles.some((c) => c.target.type === 'virtio');
  if (needsVirtioSerial && !d.controllers.some((c) => c.type === 'virtio-serial')) insertController(d.controllers, newController('virtio-serial', 0));
  if (d.others.some((e) => e.name === 'smartcard') && !d.controllers.some((c) => c.type === 'ccid')) {
    insertController(d.controllers, newController('ccid', 0));
  }
}

const VIDEO_VRAM: Record<string, number> = { vga: 16384, cirrus: 16384, vmvga: 16384, bochs: 16384, qxl: 65536, xen: 4096 };

function normalizeVideo(video: XmlElement, osType: string, first: boolean): void {
  let model = video.child('model');
  if (!model) model = video.add('model');
  const type = model.attr('type') ?? (osType === 'hvm' ? 'cirrus' : 'xen');
  model.setAttr('type', type);
  const vram = model.attr('vram');
  const defaultVram = VIDEO_VRAM[type];
  if (vram === undefined && defaultVram !== undefined) model.setAttr('vram', defaultVram);
  else if (vram !== undefined) {
    let v = Number(vram);
    if (Number.isInteger(v) && v > 0 && (v & (v - 1)) !== 0) v = 2 ** Math.ceil(Math.log2(v));
    model.setAttr('vram', v);
  }
  if (type === 'qxl' && model.attr('ram') === undefined) model.setAttr('ram', 65536);
  if (model.attr('heads') === undefined) model.setAttr('heads', 1);
  if (first && model.attr('primary') === undefined) model.setAttr('primary', 'yes');
  orderAttributes(model, ['type', 'ram', 'vram', 'vram64', 'vgamem', 'heads', 'primary']);
}

function normalizeGraphics(el: XmlElement): void {
  const type = el.attr('type');
  if (type === 'vnc' || type === 'spice') {
    if (type === 'vnc' && el.attr('port') === undefined && el.attr('autoport') === undefined) {
      el.setAttr('port', '-1');
      el.setAttr('autoport', 'yes');
    }
    if (!el.child('listen')) {
      const address = el.attr('listen');
      const autoport = el.attr('autoport') === 'yes' || el.attr('port') !== undefined;
      if (address !== undefined) el.add('listen', { type: 'address', address });
      else if (type === 'vnc' || autoport) el.add('listen', { type: 'address' });
      else el.add('listen', { type: 'none' });
    }
  }
}

function applyOtherDeviceDefaults(def: DomainDef): void {
  const d = def.devices;
  const hvm = def.os.type === 'hvm';
  const x86 = def.os.arch === undefined || def.os.arch === 'i686' || def.os.arch === 'x86_64';
  d.others = d.others.filter((el) => !(el.name === 'panic' && el.attr('model') === undefined));
  for (const el of d.others) {
    const address = el.child('address');
    if (address) normalizeAddress(address);
    switch (el.name) {
      case 'input':
        if (el.attr('bus') === undefined) {
          const type = el.attr('type');
          let bus: string | undefined;
          if (hvm) {
            if ((type === 'mouse' || type === 'keyboard') && x86) bus = 'ps2';
            else if (type === 'passthrough') bus = 'virtio';
            else if (type !== 'evdev') bus = 'usb';
          } else if (def.os.type === 'xen') {
            bus = 'xen';
          }
          el.setAttr('bus', bus);
        }
        break;
      case 'watchdog':
        if (el.attr('action') === undefined) el.setAttr('action', 'reset');
        break;
      case 'graphics':
        normalizeGraphics(el);
        break;
      case 'filesystem':
        if (el.attr('type') === undefined) el.setAttr('type', 'mount');
        if (el.attr('accessmode') === undefined) el.setAttr('accessmode', 'passthrough');
        break;
      case 'memory': {
        const size = el.child('target')?.child('size');
        if (size) {
          const kib = scaledToKiB(size.text(), size.attr('unit'), './target/size[1]');
          size.attributes.clear();
          size.setAttr('unit', 'KiB');
          size.children.length = 0;
          size.children.push({ kind: 'text', text: String(kib) });
        }
        break;
      }
      case 'smartcard':
        if (!el.child('address')) {
          const used = new Set(d.others.filter((o) => o.name === 'smartcard').map((o) => o.child('address')?.attr('slot')));
          let slot = 0;
          while (used.has(String(slot))) slot++;
          el.add('address', { type: 'ccid', controller: 0, slot });
        }
        break;
      case 'hostdev':
        if (el.attr('mode') !== 'capabilities' && el.attr('managed') === undefined) el.setAttr('managed', 'no');
        break;
    }
  }
  const videos = d.others.filter((el) => el.name === 'video');
  if (videos.length === 0 && d.others.some((el) => el.name === 'graphics')) {
    const video = new XmlElement('video');
    d.others.push(video);
    videos.push(video);
  }
  videos.forEach((v, i) => normalizeVideo(v, def.os.type, i === 0));
}
