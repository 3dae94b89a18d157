import { ErrorCode, ErrorDomain } from '../../errors/codes.js';
import { VirtError } from '../../errors/virt-error.js';
import { generateMAC, isMulticastMAC, parseMAC } from '../../mac.js';
import { strToInt } from '../../util/strtol.js';
import type { XmlElement } from '../../xml/node.js';
import { ElementReader } from '../../xml/reader.js';
import { xmlError } from '../common.js';
import { parseDeviceInfo } from './device-info.js';
import {
  CHR_TYPES,
  CONTROLLER_TYPES,
  DEVICE_ORDER,
  DISK_BUSES,
  DISK_CACHE_MODES,
  DISK_DEVICES,
  DISK_FORMATS,
  DISK_TYPES,
  INTERFACE_TYPES,
} from './enums.js';
import type { ChrDef, ControllerDef, DevicesDef, DiskDef, NetDef } from './types.js';

const DOM = ErrorDomain.DOMAIN;

/** "Invalid value for attribute 'x' in element 'y': 'v'." (virXMLPropEnum) */
export function invalidAttribute(attr: string, element: string, value: string): VirtError {
  return xmlError(DOM, `Invalid value for attribute '${attr}' in element '${element}': '${value}'.`);
}

function unsupported(detail: string): VirtError {
  return VirtError.create(ErrorCode.CONFIG_UNSUPPORTED, DOM, detail);
}

function checkEnum(value: string | undefined, allowed: readonly string[], attr: string, element: string): void {
  if (value !== undefined && !allowed.includes(value)) throw invalidAttribute(attr, element, value);
}

function rest(r: ElementReader, skip: readonly string[]): Array<[string, string]> {
  return [...r.element.attributes].filter(([k]) => !skip.includes(k)).map(([k, v]) => {
    r.attr(k);
    return [k, v];
  });
}

/** The path a disk's source names (file, dev, dir, name, volume), for messages. */
export function diskSourcePath(disk: Pick<DiskDef, 'source'>): string | undefined {
  const s = disk.source;
  if (!s) return undefined;
  for (const key of ['file', 'dev', 'dir', 'name', 'volume', 'path']) {
    const v = s.attr(key);
    if (v !== undefined && v !== '') return v;
  }
  return undefined;
}

function parseDisk(el: XmlElement): DiskDef {
  const r = new ElementReader(el);
  const type = r.attr('type') ?? 'file';
  checkEnum(type, DISK_TYPES, 'type', 'disk');
  const device = r.attr('device') ?? 'disk';
  checkEnum(device, DISK_DEVICES, 'device', 'disk');
  const attributes = rest(r, ['type', 'device']);

  const driver = r.child('driver')?.clone();
  if (driver) {
    checkEnum(driver.attr('cache'), DISK_CACHE_MODES, 'cache', 'driver');
    const format = driver.attr('type');
    if (format !== undefined && !DISK_FORMATS.includes(format)) throw unsupported(`unknown driver format value '${format}'`);
  }
  const source = r.child('source')?.clone();
  const targetEl = r.child('target');
  const disk: DiskDef = {
    kind: 'disk',
    type,
    device,
    attributes,
    driver,
    auth: r.child('auth')?.clone(),
    source,
    target: { dev: '' },
    readonly: r.child('readonly') !== undefined,
    shareable: r.child('shareable') !== undefined,
    serial: r.childText('serial'),
    wwn: r.childText('wwn'),
    vendor: r.childText('vendor'),
    product: r.childText('product'),
    raw: ['backingStore', 'backenddomain', 'geometry', 'blockio', 'mirror', 'iotune', 'transient', 'encryption'].flatMap((n) => r.children(n).map((c) => c.clone())),
    info: parseDeviceInfo(r),
  };

  const dev = targetEl?.attr('dev');
  if (dev === undefined) {
    throw VirtError.create(ErrorCode.NO_TARGET, DOM, diskSourcePath(disk) ?? '');
  }
  const bus = targetEl!.attr('bus');
  checkEnum(bus, DISK_BUSES, 'bus', 'target');
  disk.target = { dev, bus, tray: targetEl!.attr('tray'), removable: targetEl!.attr('removable'), rotationRate: targetEl!.attr('rotation_rate') };
  if (disk.target.removable !== undefined && bus !== 'usb' && bus !== undefined) throw xmlError(DOM, 'removable is only valid for usb disks');

  if (type === 'network' && source && source.attr('protocol') === undefined) {
    throw xmlError(DOM, "Missing required attribute 'protocol' in element 'source'");
  }
  const needsSource = device !== 'cdrom' && device !== 'floppy';
  if (needsSource && diskSourcePath(disk) === undefined && !(type === 'network' && source)) {
    throw VirtError.create(ErrorCode.NO_SOURCE, DOM, dev);
  }
  if (device === 'lun' && type !== 'block' && type !== 'network') {
    throw unsupported("disk device='lun' is only valid for block type disk source");
  }
  if (device === 'cdrom') disk.readonly = true;
  disk.extras = r.extras();
  return disk;
}

function parseController(el: XmlElement): ControllerDef {
  const r = new ElementReader(el);
  const type = r.attr('type');
  if (type === undefined) throw xmlError(DOM, "Missing required attribute 'type' in element 'controller'");
  checkEnum(type, CONTROLLER_TYPES, 'type', 'controller');
  const indexText = r.attr('index');
  let index = 0;
  if (indexText !== undefined) {
    const parsed = strToInt(indexText, 'i');
    if (!parsed) throw xmlError(DOM, `Invalid value for attribute 'index' in element 'controller': '${indexText}'. Expected integer value`);
    index = Number(parsed.value);
  }
  const model = r.attr('model');
  return {
    kind: 'controller',
    type,
    index,
    model,
    attributes: rest(r, ['type', 'index', 'model']),
    raw: ['driver', 'target', 'model', 'pcihole64'].flatMap((n) => r.children(n).map((c) => c.clone())),
    info: parseDeviceInfo(r),
  };
}

/** NIC models whose `<driver>` libvirt keeps. */
const VIRTIO_NET_MODELS = new Set(['virtio', 'virtio-transitional', 'virtio-non-transitional']);
const KNOWN_NET_MODELS = ['virtio', 'virtio-transitional', 'virtio-non-transitional', 'e1000', 'e1000e', 'igb', 'rtl8139', 'netfront', 'usb-net', 'spapr-vlan', 'lan9118', 'scm91c111', 'vlance', 'vmxnet', 'vmxnet2', 'vmxnet3', 'am79c970a', 'am79c973', '82540em', '82545em', '82543gc'];

function parseInterface(el: XmlElement, makeMAC: () => string): NetDef {
  const r = new ElementReader(el);
  const type = r.attr('type') ?? 'user';
  checkEnum(type, INTERFACE_TYPES, 'type', 'interface');
  const macText = r.child('mac')?.attr('address');
  let mac: string;
  if (macText === undefined) {
    mac = makeMAC();
  } else {
    const parsed = parseMAC(macText);
    if (!parsed) throw xmlError(DOM, `unable to parse mac address '${macText}'`);
    if (isMulticastMAC(parsed)) throw xmlError(DOM, `expected unicast mac address, found multicast '${macText}'`);
    mac = parsed;
  }
  let source = r.child('source')?.clone();
  if (!source && (type === 'network' || type === 'bridge' || type === 'direct')) {
    throw xmlError(DOM, `interface type='${type}' requires a 'source' element`);
  }
  if (type === 'user') source = undefined;
  if (type === 'direct' && source && source.attr('mode') === undefined) source.setAttr('mode', 'vepa');

  const targetEl = r.child('target');
  const targetAttributes = targetEl ? [...targetEl.attributes].filter(([k]) => k !== 'dev') : [];
  let model = r.child('model')?.attr('type');
  if (model !== undefined) {
    if (!/^[A-Za-z0-9_-]+$/.test(model)) throw VirtError.create(ErrorCode.INVALID_ARG, DOM, 'Model name contains invalid characters');
    const known = KNOWN_NET_MODELS.find((m) => m === model!.toLowerCase());
    if (known) model = known;
  }
  const driver = r.child('driver');
  return {
    kind: 'interface',
    type,
    attributes: rest(r, ['type']),
    mac,
    source,
    targetDev: targetEl?.attr('dev'),
    targetAttributes,
    model,
    driver: model !== undefined && VIRTIO_NET_MODELS.has(model) ? driver?.clone() : undefined,
    raw: ['vlan', 'virtualport', 'bandwidth', 'ip', 'route', 'script', 'downscript', 'backenddomain', 'guest', 'filterref', 'tune', 'teaming', 'link', 'mtu', 'coalesce', 'port', 'backend']
      .flatMap((n) => r.children(n).map((c) => c.clone())),
    info: parseDeviceInfo(r),
    extras: r.extras(),
  };
}

function parseChr(el: XmlElement, kind: ChrDef['kind']): ChrDef {
  const r = new ElementReader(el);
  const type = r.attr('type') ?? 'pty';
  if (!(CHR_TYPES as readonly string[]).includes(type)) throw unsupported(`unknown type presented to host for character device: ${type}`);
  const targetEl = r.child('target');
  const portText = targetEl?.attr('port');
  let port: number | undefined;
  if (portText !== undefined) {
    const parsed = strToInt(portText, 'i');
    if (!parsed) throw xmlError(DOM, `Invalid port number: ${portText}`);
    port = Number(parsed.value);
  }
  const targetType = targetEl?.attr('type');
  if (kind === 'channel' && targetType === undefined) throw xmlError(DOM, 'target type must be specified for channel device');
  return {
    kind,
    type,
    raw: ['source', 'protocol', 'log'].flatMap((n) => r.children(n).map((c) => c.clone())),
    target: {
      type: targetType,
      port,
      name: targetEl?.attr('name'),
      attributes: targetEl ? [...targetEl.attributes].filter(([k]) => !['type', 'port', 'name'].includes(k)) : [],
      children: targetEl ? targetEl.elements().map((c) => c.clone()) : [],
    },
    info: parseDeviceInfo(r),
    extras: r.extras(),
  };
}

/** Checks for the devices @virt carries as elements, with libvirt's messages. */
function checkOtherDevice(el: XmlElement): void {
  switch (el.name) {
    case 'input': {
      const type = el.attr('type');
      if (type === undefined) throw VirtError.create(ErrorCode.INTERNAL_ERROR, DOM, 'missing input device type');
      if (!['mouse', 'tablet', 'keyboard', 'passthrough', 'evdev'].includes(type)) throw unsupported(`unknown input device type '${type}'`);
      const bus = el.attr('bus');
      if (bus !== undefined && !['ps2', 'usb', 'xen', 'parallels', 'virtio', 'none'].includes(bus)) throw unsupported(`unknown input bus type '${bus}'`);
      break;
    }
    case 'graphics': {
      const type = el.attr('type');
      if (type === undefined) throw xmlError(DOM, "Missing required attribute 'type' in element 'graphics'");
      checkEnum(type, ['sdl', 'vnc', 'rdp', 'desktop', 'spice', 'egl-headless', 'dbus'], 'type', 'graphics');
      break;
    }
    case 'memballoon': {
      const model = el.attr('model');
      if (model === undefined) throw xmlError(DOM, "Missing required attribute 'model' in element 'memballoon'");
      checkEnum(model, ['virtio', 'xen', 'none', 'virtio-transitional', 'virtio-non-transitional'], 'model', 'memballoon');
      break;
    }
    case 'watchdog': {
      const model = el.attr('model');
      if (model === undefined) throw VirtError.create(ErrorCode.INTERNAL_ERROR, DOM, 'watchdog must contain model name');
      if (!['i6300esb', 'ib700', 'diag288', 'itco'].includes(model) || model === 'itco') throw unsupported(`unknown watchdog model '${model}'`);
      const action = el.attr('action');
      if (action !== undefined && !['reset', 'shutdown', 'poweroff', 'pause', 'dump', 'none', 'inject-nmi'].includes(action)) {
        throw unsupported(`unknown watchdog action '${action}'`);
      }
      break;
    }
    case 'rng': {
      const model = el.attr('model');
      if (model === undefined || !['virtio', 'virtio-transitional', 'virtio-non-transitional'].includes(model)) throw unsupported(`unknown RNG model '${model ?? ''}'`);
      if (el.childrenNamed('backend').length !== 1) throw xmlError(DOM, 'only one RNG backend is supported');
      break;
    }
    case 'sound': {
      const model = el.attr('model');
      if (model === undefined) throw xmlError(DOM, "Missing required attribute 'model' in element 'sound'");
      checkEnum(model, ['sb16', 'es1370', 'pcspk', 'ac97', 'ich6', 'ich9', 'usb', 'ich7'], 'model', 'sound');
      break;
    }
    case 'shmem':
      if (el.attr('name') === undefined) throw xmlError(DOM, "shmem element must contain 'name' attribute");
      break;
  }
}

/** Parse `<devices>`: typed where modelled, elements otherwise, unknown devices kept as extras. */
export function parseDevices(el: XmlElement | undefined, makeMAC: () => string = generateMAC): DevicesDef {
  const devices: DevicesDef = { disks: [], controllers: [], interfaces: [], serials: [], parallels: [], consoles: [], channels: [], others: [] };
  if (!el) return devices;
  const unknown: XmlElement[] = [];
  let balloons = 0;
  for (const child of el.elements()) {
    switch (child.name) {
      case 'emulator':
        devices.emulator ??= child.text();
        break;
      case 'disk':
        devices.disks.push(parseDisk(child));
        break;
      case 'controller':
        devices.controllers.push(parseController(child));
        break;
      case 'interface':
        devices.interfaces.push(parseInterface(child, makeMAC));
        break;
      case 'serial':
        devices.serials.push(parseChr(child, 'serial'));
        break;
      case 'parallel':
        devices.parallels.push(parseChr(child, 'parallel'));
        break;
      case 'console':
        devices.consoles.push(parseChr(child, 'console'));
        break;
      case 'channel':
        devices.channels.push(parseChr(child, 'channel'));
        break;
      default:
        if ((DEVICE_ORDER as readonly string[]).includes(child.name)) {
          checkOtherDevice(child);
          if (child.name === 'memballoon' && ++balloons > 1) {
            throw VirtError.create(ErrorCode.INTERNAL_ERROR, DOM, 'only a single memory balloon device is supported');
          }
          devices.others.push(child.clone());
        } else {
          unknown.push(child.clone());
        }
    }
  }
  if (unknown.length > 0) devices.extras = { attributes: [], children: unknown };
  return devices;
}
