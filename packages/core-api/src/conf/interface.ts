import { ErrorCode, ErrorDomain } from '../errors/codes.js';
import { VirtError } from '../errors/virt-error.js';
import { parseMAC } from '../mac.js';
import { formatXml } from '../xml/format.js';
import type { XmlElement } from '../xml/node.js';
import { orderAttributes, orderChildren } from '../xml/order.js';
import { parseRoot, xmlError } from './common.js';

const IFACE = ErrorDomain.INTERFACE;
const TYPES = ['ethernet', 'bridge', 'bond', 'vlan'];

/** A host interface definition (libvirt's interface XML), kept as its element. */
export interface InterfaceDef {
  name: string;
  type: string;
  mac?: string;
  element: XmlElement;
}

/** Parse host interface XML (virInterfaceDefParseString). */
export function parseInterfaceXML(xml: string): InterfaceDef {
  return parseInterfaceElement(parseRoot(xml, '(interface_definition)', 'interface', IFACE));
}

export function parseInterfaceElement(root: XmlElement): InterfaceDef {
  const type = root.attr('type');
  if (type === undefined) throw xmlError(IFACE, 'interface misses the type attribute');
  if (!TYPES.includes(type)) throw xmlError(IFACE, `unknown interface type ${type}`);
  const name = root.attr('name');
  if (name === undefined) throw xmlError(IFACE, 'interface has no name');
  const macText = root.child('mac')?.attr('address');
  const mac = macText === undefined ? undefined : parseMAC(macText);
  if (macText !== undefined && !mac) throw VirtError.create(ErrorCode.XML_ERROR, IFACE, `unable to parse mac address '${macText}'`);
  return { name, type, mac, element: root.clone() };
}

/** Format host interface XML in libvirt's element order. */
export function formatInterfaceXML(def: InterfaceDef): string {
  const el = def.element.clone();
  orderAttributes(el, ['type', 'name']);
  orderChildren(el, ['start', 'mtu', 'protocol', 'link', 'mac', 'bridge', 'bond', 'vlan']);
  return formatXml(el);
}
