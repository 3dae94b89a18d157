import { ErrorCode, ErrorDomain } from '../errors/codes.js';
import { VirtError } from '../errors/virt-error.js';
import { isMulticastMAC, parseMAC } from '../mac.js';
import { strToInt } from '../util/strtol.js';
import { formatXml } from '../xml/format.js';
import { XmlElement } from '../xml/node.js';
import { ElementReader, writeExtras, type XmlExtras } from '../xml/reader.js';
import { elementString, nonEmpty, parseRoot, parseUUIDElement, xmlDetail, xmlError, yesNoAttribute } from './common.js';
import { checkForwardMode, hasOwnBridge, parseForward, type ForwardMode, type ForwardSummary } from './network-forward.js';
import { parseNetworkIP, type NetworkIPDef } from './network-ip.js';

export interface NetworkForwardDef {
  mode: Exclude<ForwardMode, 'none'>;
  dev?: string;
  /** Other attributes and the children (nat, interface, pf, driver...), as written. */
  extras?: XmlExtras;
}

export interface NetworkBridgeDef {
  name?: string;
  zone?: string;
  /** Spanning tree: on unless `stp='off'`; undefined when not written. */
  stp?: boolean;
  delay: number;
  macTableManager?: string;
  extras?: XmlExtras;
}

export type { NetworkIPDef } from './network-ip.js';

/** A virtual network definition (libvirt's network XML). */
export interface NetworkDef {
  name: string;
  uuid: string;
  /** `ipv6='yes'`: guests may talk to each other over IPv6 without a gateway. */
  ipv6?: boolean;
  trustGuestRxFilters?: string;
  metadata?: XmlElement;
  forward?: NetworkForwardDef;
  bridge?: NetworkBridgeDef;
  /** Undefined for none (libvirt treats 0 as none). */
  mtu?: number;
  mac?: string;
  /** domain, dns, vlan, bandwidth, port: kept as written, in libvirt's order. */
  domain?: XmlElement;
  dns?: XmlElement;
  vlan?: XmlElement;
  bandwidth?: XmlElement;
  port?: XmlElement;
  ips: NetworkIPDef[];
  routes: XmlElement[];
  virtualport?: XmlElement;
  portgroups: XmlElement[];
  /** Elements libvirt does not know, kept at the end. */
  extras?: XmlExtras;
}

const NET = ErrorDomain.NETWORK;

/**
 * Parse network XML (virNetworkDefParseString). The checks run in libvirt's
 * order, so that a document with several mistakes gets the same error.
 */
export function parseNetworkXML(xml: string): NetworkDef {
  const root = parseRoot(xml, '(network_definition)', 'network', NET);
  const r = new ElementReader(root);
  const name = elementString(r.child('name'));
  if (name === undefined) throw VirtError.create(ErrorCode.NO_NAME, NET);
  // the name becomes a file name
  if (name.includes('/')) throw xmlDetail(NET, 'invalid char in name: /');
  const uuid = parseUUIDElement(elementString(r.child('uuid')), NET);
  const ipv6 = parseIPv6Setting(r.attr('ipv6'), name);
  const trust = yesNoAttribute(r, 'trustGuestRxFilters', NET);

  const def: NetworkDef = {
    name,
    uuid,
    ipv6,
    trustGuestRxFilters: trust === undefined ? undefined : trust ? 'yes' : 'no',
    metadata: r.child('metadata')?.clone(),
    ips: [],
    routes: [],
    portgroups: [],
  };
  // kept as written; only the yes/no settings of <domain> and <port> are checked
  for (const key of ['domain', 'vlan', 'bandwidth', 'port'] as const) {
    const el = r.child(key);
    if (el) def[key] = el.clone();
  }
  yesNoAttribute(def.domain, 'localOnly', NET);
  yesNoAttribute(def.port, 'isolated', NET);

  def.bridge = parseBridge(r.child('bridge'), name);
  def.mac = parseBridgeMAC(r.child('mac'), name);
  def.mtu = parseMTU(r.child('mtu'), name);
  for (const key of ['dns', 'virtualport'] as const) {
    const el = r.child(key);
    if (el) def[key] = el.clone();
  }
  def.portgroups = r.children('portgroup').map((el) => checkPortGroup(el).clone());
  def.ips = r.children('ip').map((el) => parseNetworkIP(el, name));
  def.routes = r.children('route').map((e) => e.clone());

  const forwardEl = r.child('forward');
  const forward = parseForward(forwardEl, name);
  def.forward = forwardDef(forwardEl, forward);
  checkForwardMode(forward, def);
  def.extras = r.extras();
  return def;
}

/** `ipv6='yes|no'`; libvirt ignores an empty value. */
function parseIPv6Setting(value: string | undefined, network: string): boolean | undefined {
  const text = nonEmpty(value);
  if (text === undefined) return undefined;
  if (text !== 'yes' && text !== 'no') throw xmlError(NET, `Invalid ipv6 setting '${text}' in network '${network}'`);
  return text === 'yes';
}

/** What is kept of `<forward>`: nothing for mode 'none', which libvirt does not write back. */
function forwardDef(el: XmlElement | undefined, forward: ForwardSummary): NetworkForwardDef | undefined {
  if (!el || forward.mode === 'none') return undefined;
  const fr = new ElementReader(el);
  fr.attr('mode');
  fr.attr('dev');
  return { mode: forward.mode, dev: forward.dev, extras: fr.extras() };
}

function parseBridge(el: XmlElement | undefined, network: string): NetworkBridgeDef | undefined {
  if (!el) return undefined;
  const br = new ElementReader(el);
  const delayText = nonEmpty(br.attr('delay'));
  let delay = 0;
  if (delayText !== undefined) {
    const d = strToInt(delayText, 'ulp');
    if (!d) throw xmlError(NET, `Invalid delay value in network '${network}'`);
    delay = Number(d.value);
  }
  const macTableManager = nonEmpty(br.attr('macTableManager'));
  if (macTableManager !== undefined && macTableManager !== 'kernel' && macTableManager !== 'libvirt') {
    throw xmlError(NET, `Invalid macTableManager setting '${macTableManager}' in network '${network}'`);
  }
  const stp = nonEmpty(br.attr('stp'));
  return {
    name: nonEmpty(br.attr('name')),
    zone: nonEmpty(br.attr('zone')),
    stp: stp === undefined ? undefined : stp !== 'off',
    delay,
    macTableManager,
    extras: br.extras(),
  };
}

/** The bridge's own MAC address: any unicast one. */
function parseBridgeMAC(el: XmlElement | undefined, network: string): string | undefined {
  const text = nonEmpty(el?.attr('address'));
  if (text === undefined) return undefined;
  const mac = parseMAC(text);
  if (!mac) throw xmlError(NET, `Invalid bridge mac address '${text}' in network '${network}'`);
  if (isMulticastMAC(mac)) throw xmlError(NET, `Invalid multicast bridge mac address '${text}' in network '${network}'`);
  return mac;
}

function parseMTU(el: XmlElement | undefined, network: string): number | undefined {
  const text = nonEmpty(el?.attr('size'));
  if (text === undefined) return undefined;
  // read as an unsigned int, so -1 wraps around as in libvirt
  const mtu = strToInt(text, 'ui');
  if (!mtu) throw xmlError(NET, `Invalid mtu size '${text}' in network '${network}'`);
  return mtu.value === 0n ? undefined : Number(mtu.value);
}

/** A port group is kept as written once its name and yes/no setting are known to be sound. */
function checkPortGroup(el: XmlElement): XmlElement {
  if (nonEmpty(el.attr('name')) === undefined) throw xmlError(NET, 'Missing required name attribute in portgroup');
  yesNoAttribute(el, 'trustGuestRxFilters', NET);
  return el;
}

/** Whether the network gets a bridge of its own (isolated, nat, route, open). */
export function networkHasOwnBridge(def: NetworkDef): boolean {
  return hasOwnBridge(def.forward?.mode ?? 'none');
}

/** Format network XML in libvirt's layout (virNetworkDefFormat). */
export function formatNetworkXML(def: NetworkDef): string {
  const root = new XmlElement('network', {
    ipv6: def.ipv6 ? 'yes' : undefined,
    trustGuestRxFilters: def.trustGuestRxFilters,
  });
  root.addText('name', def.name);
  root.addText('uuid', def.uuid);
  if (def.metadata) root.append(def.metadata.clone());
  if (def.forward) {
    const fw = root.add('forward', { dev: def.forward.dev, mode: def.forward.mode });
    writeExtras(fw, def.forward.extras);
  }
  const ownBridge = networkHasOwnBridge(def);
  if (ownBridge || def.bridge?.name !== undefined || def.bridge?.macTableManager !== undefined) {
    const br = root.add('bridge', { name: def.bridge?.name, zone: def.bridge?.zone });
    if (ownBridge) {
      br.setAttr('stp', (def.bridge?.stp ?? true) ? 'on' : 'off');
      br.setAttr('delay', def.bridge?.delay ?? 0);
    }
    br.setAttr('macTableManager', def.bridge?.macTableManager);
    writeExtras(br, def.bridge?.extras);
  }
  if (def.mtu !== undefined) root.add('mtu', { size: def.mtu });
  if (def.mac !== undefined) root.add('mac', { address: def.mac });
  for (const el of [def.domain, def.dns, def.vlan, def.bandwidth, def.port]) if (el) root.append(el.clone());
  for (const ip of def.ips) {
    const el = root.add('ip', { family: ip.family, address: ip.address, netmask: ip.netmask, prefix: ip.prefix, localPtr: ip.localPtr });
    el.expanded = true;
    writeExtras(el, ip.extras);
  }
  for (const route of def.routes) root.append(route.clone());
  if (def.virtualport) root.append(def.virtualport.clone());
  for (const pg of def.portgroups) root.append(pg.clone());
  writeExtras(root, def.extras);
  return formatXml(root);
}
