import { ErrorDomain } from '../../errors/codes.js';
import { strToInt } from '../../util/strtol.js';
import { XmlElement } from '../../xml/node.js';
import { orderAttributes } from '../../xml/order.js';
import type { ElementReader } from '../../xml/reader.js';
import { xmlError } from '../common.js';
import type { DeviceInfo } from './types.js';

const DOM = ErrorDomain.DOMAIN;

/** Read the parts every device may have: boot order, alias, rom, acpi, address. */
export function parseDeviceInfo(r: ElementReader): DeviceInfo {
  const info: DeviceInfo = {};
  const boot = r.child('boot');
  if (boot) {
    const order = boot.attr('order');
    if (order === undefined) throw xmlError(DOM, "Missing required attribute 'order' in element 'boot'");
    const parsed = strToInt(order, 'uip');
    if (!parsed) throw xmlError(DOM, `Invalid value for attribute 'order' in element 'boot': '${order}'. Expected non-negative integer value`);
    if (parsed.value === 0n) throw xmlError(DOM, "Invalid value for attribute 'order' in element 'boot': Zero is not permitted");
    info.bootOrder = Number(parsed.value);
    info.bootLoadparm = boot.attr('loadparm');
  }
  // libvirt keeps only user aliases ("ua-" prefix); others are its own runtime names
  const alias = r.child('alias')?.attr('name');
  if (alias?.startsWith('ua-')) info.alias = alias;
  info.rom = r.child('rom')?.clone();
  info.acpi = r.child('acpi')?.clone();
  info.address = r.child('address')?.clone();
  if (info.address) normalizeAddress(info.address);
  return info;
}

/** Write the device info children (virDomainDeviceInfoFormat). */
export function deviceInfoElements(info: DeviceInfo, withBoot = true): XmlElement[] {
  const out: XmlElement[] = [];
  if (withBoot && info.bootOrder !== undefined) out.push(new XmlElement('boot', { order: info.bootOrder, loadparm: info.bootLoadparm }));
  if (info.alias) out.push(new XmlElement('alias', { name: info.alias }));
  if (info.rom) out.push(info.rom.clone());
  if (info.acpi) out.push(info.acpi.clone());
  if (info.address) out.push(info.address.clone());
  return out;
}

function hexField(el: XmlElement, name: string, width: number, max?: number): void {
  const text = el.attr(name);
  if (text === undefined) return;
  const parsed = strToInt(text, 'uip', 0);
  if (!parsed) throw xmlError(DOM, `Cannot parse <address> '${name}' attribute`);
  const value = Number(parsed.value);
  if (max !== undefined && value > max) {
    throw xmlError(DOM, `Invalid PCI address ${name}='0x${value.toString(16).padStart(width, '0')}', must be <= 0x${max.toString(16).toUpperCase()}`);
  }
  el.setAttr(name, width === 1 ? `0x${value.toString(16)}` : `0x${value.toString(16).padStart(width, '0')}`);
}

/** Print PCI addresses as libvirt does: hex with fixed widths, in domain/bus/slot/function order. */
export function normalizeAddress(el: XmlElement): void {
  if (el.attr('type') !== 'pci') return;
  hexField(el, 'domain', 4);
  hexField(el, 'bus', 2);
  hexField(el, 'slot', 2, 0x1f);
  hexField(el, 'function', 1, 7);
  orderAttributes(el, ['type', 'domain', 'bus', 'slot', 'function', 'multifunction']);
}
