import { ErrorCode, ErrorDomain } from '../errors/codes.js';
import { VirtError } from '../errors/virt-error.js';
import { isMulticastMAC, parseMAC } from '../mac.js';
import { strToInt } from '../util/strtol.js';
import { formatXml } from '../xml/format.js';
import { XmlElement } from '../xml/node.js';
import { ElementReader, writeExtras, type XmlExtras } from '../xml/reader.js';
import { parseRoot, parseUUIDElement, xmlError } from './common.js';

/** Forward modes in which the network has a bridge of its own (libvirt adds stp/delay). */
const BRIDGED_MODES = new Set(['nat', 'route', 'open']);
const FORWARD_MODES = new Set(['nat', 'route', 'open', 'bridge', 'private', 'vepa', 'passthrough', 'hostdev']);

export interface NetworkForwardDef {
  mode: string;
  dev?: string;
  /** Other attributes and the children (nat, interface, pf, driver...), as written. */
  extras?: XmlExtras;
}

export interface NetworkBridgeDef {
  name?: string;
  zone?: string;
  /** Spanning tree: on unless `stp='off'`. */
  stp: boolean;
  delay: number;
  macTableManager?: string;
  extras?: XmlExtras;
}

export interface NetworkIPDef {
  family?: string;
  address?: string;
  netmask?: string;
  prefix?: number;
  localPtr?: string;
  /** tftp, dhcp (ranges, hosts, bootp) and anything else, as written. */
  extras?: XmlExtras;
}

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

/** Parse network XML (virNetworkDefParseString). */
export function parseNetworkXML(xml: string): NetworkDef {
  const root = parseRoot(xml, '(network_definition)', 'network', NET);
  const r = new ElementReader(root);
  const name = r.childText('name');
  if (name === undefined) throw VirtError.create(ErrorCode.NO_NAME, NET);
  const illegal = /[/]/.exec(name);
  if (illegal) throw VirtError.create(ErrorCode.XML_DETAIL, NET, `invalid char in name: ${illegal[0]}`);
  const uuid = parseUUIDElement(r.childText('uuid'), NET);

  const ipv6 = r.attr('ipv6');
  if (ipv6 !== undefined && ipv6 !== 'yes' && ipv6 !== 'no') throw xmlError(NET, `Invalid ipv6 setting '${ipv6}' in network '${name}'`);
  const trust = r.attr('trustGuestRxFilters');
  if (trust !== undefined && trust !== 'yes' && trust !== 'no') {
    throw xmlError(NET, `Invalid value for attribute 'trustGuestRxFilters' in element 'network': '${trust}'.`);
  }

  const def: NetworkDef = {
    name,
    uuid,
    ipv6: ipv6 === undefined ? undefined : ipv6 === 'yes',
    trustGuestRxFilters: trust,
    metadata: r.child('metadata')?.clone(),
    ips: [],
    routes: r.children('route').map((e) => e.clone()),
    portgroups: r.children('portgroup').map((e) => e.clone()),
  };

  const forwardEl = r.child('forward');
  if (forwardEl) {
    const fr = new ElementReader(forwardEl);
    const mode = fr.attr('mode') ?? 'nat';
    if (!FORWARD_MODES.has(mode)) throw xmlError(NET, `unknown forwarding type '${mode}'`);
    def.forward = { mode, dev: fr.attr('dev'), extras: fr.extras() };
  }

  const bridgeEl = r.child('bridge');
  if (bridgeEl) {
    const br = new ElementReader(bridgeEl);
    const delayText = br.attr('delay');
    let delay = 0;
    if (delayText !== undefined) {
      const d = strToInt(delayText, 'ulp');
      if (!d) throw xmlError(NET, `Invalid delay value in network '${name}'`);
      delay = Number(d.value);
    }
    const macTableManager = br.attr('macTableManager');
    if (macTableManager !== undefined && macTableManager !== 'kernel' && macTableManager !== 'libvirt') {
      throw xmlError(NET, `Invalid macTableManager setting '${macTableManager}' in network '${name}'`);
    }
    def.bridge = { name: br.attr('name'), zone: br.attr('zone'), stp: br.attr('stp') !== 'off', delay, macTableManager, extras: br.extras() };
  }

  const macText = r.child('mac')?.attr('address');
  if (macText !== undefined) {
    const mac = parseMAC(macText);
    if (!mac) throw xmlError(NET, `Invalid bridge mac address '${macText}' in network '${name}'`);
    if (isMulticastMAC(mac)) throw xmlError(NET, `Invalid multicast bridge mac address '${macText}' in network '${name}'`);
    def.mac = mac;
  }

  const mtuText = r.child('mtu')?.attr('size');
  if (mtuText !== undefined) {
    const mtu = strToInt(mtuText, 'ui');
    if (!mtu) throw xmlError(NET, `Invalid mtu size '${mtuText}' in network '${name}'`);
    def.mtu = Number(mtu.value);
  }

  for (const key of ['domain', 'dns', 'vlan', 'bandwidth', 'port', 'virtualport'] as const) {
    const el = r.child(key);
    if (el) def[key] = el.clone();
  }

  for (const ipEl of r.children('ip')) {
    const ir = new ElementReader(ipEl);
    const prefixText = ir.attr('prefix');
    let prefix: number | undefined;
    if (prefixText !== undefined) {
      const p = strToInt(prefixText, 'uip');
      if (!p) throw xmlError(NET, `Invalid ip address prefix value '${prefixText}' in network '${name}'`);
      prefix = Number(p.value);
    }
    def.ips.push({
      family: ir.attr('family'),
      address: ir.attr('address'),
      netmask: ir.attr('netmask'),
      prefix,
      localPtr: ir.attr('localPtr'),
      extras: ir.extras(),
    });
  }

  validateForwardBridge(def);
  def.extras = r.extras();
  return def;
}

function validateForwardBridge(def: NetworkDef): void {
  const mode = def.forward?.mode;
  const bridged = mode === undefined || BRIDGED_MODES.has(mode);
  if (!bridged && def.bridge?.name !== undefined && mode !== 'bridge') {
    throw xmlError(NET, `bridge name not allowed in ${mode} mode (network '${def.name}')`);
  }
  if (def.mtu !== undefined && !bridged && mode !== 'bridge') {
    throw xmlError(NET, `mtu size only allowed in open, route, nat, and isolated mode, not in ${mode} (network '${def.name}')`);
  }
}

/** Whether the network gets a bridge of its own (isolated, nat, route, open). */
export function networkHasOwnBridge(def: NetworkDef): boolean {
  return def.forward === undefined || BRIDGED_MODES.has(def.forward.mode);
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
