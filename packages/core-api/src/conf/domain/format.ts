import { formatXml } from '../../xml/format.js';
import { XmlElement } from '../../xml/node.js';
import { orderAttributes, orderChildren } from '../../xml/order.js';
import { writeExtras } from '../../xml/reader.js';
import { deviceInfoElements } from './device-info.js';
import { DEVICE_ORDER, RAW_BEFORE_OS } from './enums.js';
import type { ChrDef, ControllerDef, DiskDef, DomainDef, NetDef, OsDef } from './types.js';

export interface DomainFormatOptions {
  /** The running domain's ID: written as `id='N'` (live XML only). */
  id?: number;
  /** Include security-sensitive data such as graphics passwords (VIR_DOMAIN_XML_SECURE). */
  secure?: boolean;
  /** Indentation of the `<domain>` element when it is embedded in another document. */
  indent?: number;
}

const DISK_CHILDREN = [
  'driver', 'auth', 'source', 'backingStore', 'backenddomain', 'geometry', 'blockio', 'mirror', 'target', 'iotune', 'readonly', 'shareable',
  'transient', 'serial', 'wwn', 'vendor', 'product', 'encryption', 'boot', 'alias', 'rom', 'acpi', 'address',
];

const INTERFACE_CHILDREN = [
  'mac', 'source', 'vlan', 'virtualport', 'bandwidth', 'ip', 'route', 'script', 'downscript', 'backenddomain', 'target', 'guest', 'model',
  'driver', 'backend', 'filterref', 'tune', 'teaming', 'link', 'mtu', 'coalesce', 'port', 'boot', 'alias', 'rom', 'acpi', 'address',
];

const DRIVER_ATTRIBUTES = [
  'name', 'type', 'cache', 'error_policy', 'rerror_policy', 'io', 'ioeventfd', 'event_idx', 'copy_on_read', 'discard', 'iothread',
  'detect_zeroes', 'queues', 'queue_size',
];

function diskElement(disk: DiskDef): XmlElement {
  const el = new XmlElement('disk', { type: disk.type, device: disk.device });
  for (const [k, v] of disk.attributes) el.setAttr(k, v);
  orderAttributes(el, ['type', 'device', 'model', 'rawio', 'sgio', 'snapshot']);
  if (disk.driver) el.append(orderAttributes(disk.driver.clone(), DRIVER_ATTRIBUTES));
  if (disk.auth) el.append(disk.auth.clone());
  if (disk.source) el.append(disk.source.clone());
  const t = disk.target;
  el.add('target', { dev: t.dev, bus: t.bus, tray: t.tray, removable: t.removable, rotation_rate: t.rotationRate });
  if (disk.readonly) el.add('readonly');
  if (disk.shareable) el.add('shareable');
  el.addText('serial', disk.serial);
  el.addText('wwn', disk.wwn);
  el.addText('vendor', disk.vendor);
  el.addText('product', disk.product);
  for (const r of disk.raw) el.append(r.clone());
  for (const i of deviceInfoElements(disk.info)) el.append(i);
  orderChildren(el, DISK_CHILDREN);
  return writeExtras(el, disk.extras);
}

function controllerElement(ctrl: ControllerDef): XmlElement {
  const el = new XmlElement('controller', { type: ctrl.type, index: ctrl.index, model: ctrl.model });
  for (const [k, v] of ctrl.attributes) el.setAttr(k, v);
  for (const r of ctrl.raw) el.append(r.clone());
  for (const i of deviceInfoElements(ctrl.info)) el.append(i);
  return el;
}

function interfaceElement(net: NetDef): XmlElement {
  const el = new XmlElement('interface', { type: net.type });
  for (const [k, v] of net.attributes) el.setAttr(k, v);
  el.add('mac', { address: net.mac });
  if (net.source) el.append(net.source.clone());
  if (net.targetDev !== undefined || net.targetAttributes.length > 0) {
    const target = el.add('target', { dev: net.targetDev });
    for (const [k, v] of net.targetAttributes) target.setAttr(k, v);
  }
  if (net.model !== undefined) el.add('model', { type: net.model });
  if (net.driver) el.append(net.driver.clone());
  for (const r of net.raw) el.append(r.clone());
  for (const i of deviceInfoElements(net.info)) el.append(i);
  orderChildren(el, INTERFACE_CHILDREN);
  return writeExtras(el, net.extras);
}

function chrElement(chr: ChrDef): XmlElement {
  const el = new XmlElement(chr.kind, { type: chr.type });
  for (const r of chr.raw) el.append(r.clone());
  const t = chr.target;
  if (t.type !== undefined || t.port !== undefined || t.name !== undefined || t.attributes.length > 0 || t.children.length > 0) {
    const target = el.add('target', { type: t.type, name: t.name });
    for (const [k, v] of t.attributes) target.setAttr(k, v);
    target.setAttr('port', t.port);
    orderAttributes(target, ['type', 'name', 'address', 'port']);
    for (const c of t.children) target.append(c.clone());
  }
  for (const i of deviceInfoElements(chr.info)) el.append(i);
  return writeExtras(el, chr.extras);
}

function osElement(os: OsDef, hasBootloader: boolean): XmlElement {
  const el = new XmlElement('os', { firmware: os.firmware });
  el.addText('type', os.type, { arch: os.arch, machine: os.machine });
  const rawNamed = (name: string): XmlElement[] => os.raw.filter((e) => e.name === name).map((e) => e.clone());
  for (const name of ['firmware', 'init', 'initarg', 'initenv', 'initdir', 'inituser', 'initgroup']) for (const e of rawNamed(name)) el.append(e);
  if (os.loader) el.append(os.loader.clone());
  if (os.nvram) el.append(os.nvram.clone());
  el.addText('kernel', os.kernel);
  el.addText('initrd', os.initrd);
  el.addText('cmdline', os.cmdline);
  el.addText('dtb', os.dtb);
  el.addText('root', os.root);
  for (const e of rawNamed('acpi')) el.append(e);
  if (!hasBootloader) {
    for (const dev of os.boot) el.add('boot', { dev });
    if (os.bootmenu) el.append(os.bootmenu.clone());
    if (os.bios) el.append(os.bios.clone());
  }
  if (os.smbios) el.append(os.smbios.clone());
  return writeExtras(el, os.extras);
}

function deviceRank(name: string): number {
  const i = (DEVICE_ORDER as readonly string[]).indexOf(name);
  return i < 0 ? DEVICE_ORDER.length : i;
}

function devicesElement(def: DomainDef, secure: boolean): XmlElement {
  const d = def.devices;
  const el = new XmlElement('devices');
  el.expanded = true;
  el.addText('emulator', d.emulator);
  const typed: Array<[string, XmlElement]> = [
    ...d.disks.map((x): [string, XmlElement] => ['disk', diskElement(x)]),
    ...d.controllers.map((x): [string, XmlElement] => ['controller', controllerElement(x)]),
    ...d.interfaces.map((x): [string, XmlElement] => ['interface', interfaceElement(x)]),
    ...[...d.serials, ...d.parallels, ...d.consoles, ...d.channels].map((x): [string, XmlElement] => [x.kind, chrElement(x)]),
    ...d.others.map((x): [string, XmlElement] => [x.name, x.clone()]),
  ];
  const ordered = typed.map((t, i) => ({ t, i })).sort((a, b) => deviceRank(a.t[0]) - deviceRank(b.t[0]) || a.i - b.i);
  for (const { t } of ordered) {
    const dev = t[1];
    if (dev.name === 'graphics' && !secure) dev.setAttr('passwd', undefined);
    if (dev.name === 'redirdev' && dev.elements().length === 0) dev.expanded = true;
    el.append(dev);
  }
  return writeExtras(el, d.extras);
}

/** Format domain XML in libvirt's layout (virDomainDefFormat). */
export function formatDomainXML(def: DomainDef, options: DomainFormatOptions = {}): string {
  const root = new XmlElement('domain', { type: def.type, id: options.id });
  const raw = (name: string): void => {
    for (const e of def.raw) {
      if (e.name !== name) continue;
      if ((name === 'pm' || name === 'cpu') && e.elements().length === 0 && e.attributes.size === 0) continue;
      if (name === 'seclabel' && e.attributes.size === 0 && e.elements().length === 0) continue;
      root.append(e.clone());
    }
  };
  root.addText('name', def.name);
  root.addText('uuid', def.uuid);
  root.addText('genid', def.genid);
  root.addText('title', def.title);
  root.addText('description', def.description);
  if (def.metadata) root.append(def.metadata.clone());
  if (def.maxMemory) root.addText('maxMemory', def.maxMemory.kib, { slots: def.maxMemory.slots, unit: 'KiB' });
  root.addText('memory', def.memory, { dumpCore: def.memoryDumpCore, unit: 'KiB' });
  root.addText('currentMemory', def.currentMemory, { unit: 'KiB' });
  for (const name of ['blkiotune', 'memtune', 'memoryBacking']) raw(name);
  root.addText('vcpu', def.vcpu.max, {
    placement: def.vcpu.placement,
    cpuset: def.vcpu.cpuset,
    current: def.vcpu.current !== def.vcpu.max ? def.vcpu.current : undefined,
  });
  for (const name of RAW_BEFORE_OS) if (!['blkiotune', 'memtune', 'memoryBacking'].includes(name)) raw(name);
  root.append(osElement(def.os, def.raw.some((e) => e.name === 'bootloader')));
  raw('idmap');
  if (def.features) {
    const features = root.add('features');
    for (const f of def.features.items) features.append(f.clone());
  }
  raw('cpu');
  const clock = root.add('clock', { offset: def.clock.offset });
  for (const [k, v] of def.clock.attributes) clock.setAttr(k, v);
  for (const t of def.clock.timers) clock.append(t.clone());
  root.addText('on_poweroff', def.onPoweroff);
  root.addText('on_reboot', def.onReboot);
  root.addText('on_crash', def.onCrash);
  root.addText('on_lockfailure', def.onLockfailure);
  raw('pm');
  raw('perf');
  root.append(devicesElement(def, options.secure ?? false));
  for (const name of ['seclabel', 'keywrap', 'launchSecurity']) raw(name);
  writeExtras(root, def.extras);
  return formatXml(root, options.indent ?? 0);
}

