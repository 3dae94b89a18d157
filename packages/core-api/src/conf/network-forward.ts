import { ErrorDomain } from '../errors/codes.js';
import { parseIPAddress, type IPAddress } from '../ip-address.js';
import type { XmlElement } from '../xml/node.js';
import { strToInt } from '../util/strtol.js';
import { formatPCIAddress, nonEmpty, parsePCIAddress, unsupportedConfig, xmlDetail, xmlError, yesNoAttribute } from './common.js';
import { checkAddressRange } from './network-ip.js';
import type { NetworkDef } from './network.js';

const NET = ErrorDomain.NETWORK;

/** Forward modes (virNetworkForwardType); 'none' is an isolated network, as if `<forward>` were absent. */
export const FORWARD_MODES = ['none', 'nat', 'route', 'open', 'bridge', 'private', 'vepa', 'passthrough', 'hostdev'] as const;
export type ForwardMode = (typeof FORWARD_MODES)[number];

/** Modes in which the network has a bridge of its own, made by libvirt. */
const OWN_BRIDGE_MODES: readonly ForwardMode[] = ['none', 'nat', 'route', 'open'];

export function hasOwnBridge(mode: ForwardMode): boolean {
  return OWN_BRIDGE_MODES.includes(mode);
}

/** What the checks across the whole network need to know about its `<forward>`. */
export interface ForwardSummary {
  mode: ForwardMode;
  /** `dev='…'`, when given and not empty. */
  dev?: string;
  /** Host interfaces or PCI devices the network forwards to (`dev`, `<interface>`, `<address>`). */
  interfaceCount: number;
  /** `<pf>` elements (at most one). */
  pfCount: number;
}

const NO_FORWARD: ForwardSummary = { mode: 'none', interfaceCount: 0, pfCount: 0 };

/** Parse and check a `<forward>` element (virNetworkForwardDefParseXML); its children stay as written. */
export function parseForward(el: XmlElement | undefined, network: string): ForwardSummary {
  if (!el) return NO_FORWARD;
  const modeText = nonEmpty(el.attr('mode'));
  const mode = modeText === undefined ? 'nat' : FORWARD_MODES.find((m) => m === modeText);
  if (!mode) throw unsupportedConfig(NET, `unknown forwarding type '${modeText}'`);
  checkForwardDriver(el, network);

  const interfaces = el.childrenNamed('interface');
  const addresses = el.childrenNamed('address');
  const pfs = el.childrenNamed('pf');
  const nats = el.childrenNamed('nat');
  if (nats.length > 1) throw xmlError(NET, `Only one <nat> element is allowed in <forward> of network ${network}`);
  if (nats.length === 1) checkNat(nats[0]!, mode, network);

  const dev = nonEmpty(el.attr('dev'));
  if (dev !== undefined && (addresses.length > 0 || pfs.length > 0)) {
    // libvirt's message really ends in a literal "%s" (its format string lacks the argument)
    throw xmlError(NET, "the <forward> 'dev' attribute cannot be used when <address> or <pf> sub-elements are present in network %s");
  }

  const summary: ForwardSummary = { mode, dev, interfaceCount: 0, pfCount: 0 };
  if (interfaces.length > 0 || dev !== undefined) {
    summary.interfaceCount = checkForwardInterfaces(interfaces, dev, network);
  } else if (addresses.length > 0) {
    summary.interfaceCount = checkForwardAddresses(addresses, network);
  } else if (pfs.length > 1) {
    throw xmlError(NET, `Only one <pf> element is allowed in <forward> of network ${network}`);
  } else if (pfs.length === 1) {
    if (pfs[0]!.attr('dev') === undefined) throw xmlError(NET, `Missing required dev attribute in <pf> element of network '${network}'`);
    summary.pfCount = 1;
  }
  return summary;
}

const FORWARD_DRIVERS = ['default', 'kvm', 'vfio'];

function checkForwardDriver(el: XmlElement, network: string): void {
  const name = nonEmpty(el.child('driver')?.attr('name'));
  // 'default' is the enum's zero, which may not be written
  if (name !== undefined && FORWARD_DRIVERS.indexOf(name) <= 0) {
    throw unsupportedConfig(NET, `Unknown forward <driver name='${name}'/> in network ${network}`);
  }
}

/** `dev` counts as the first interface; `<interface>` elements must name distinct devices. Returns how many there are. */
function checkForwardInterfaces(interfaces: readonly XmlElement[], dev: string | undefined, network: string): number {
  const devices = dev === undefined ? [] : [dev];
  interfaces.forEach((iface, i) => {
    const name = iface.attr('dev');
    if (name === undefined) throw xmlError(NET, `Missing required dev attribute in <forward> <interface> element of network ${network}`);
    if (i === 0 && dev !== undefined) {
      if (name !== dev) throw xmlError(NET, `<forward dev='${dev}'> must match first <interface dev='${name}'/> in network ${network}`);
      return;
    }
    if (devices.includes(name)) throw xmlError(NET, `interface '${name}' can only be listed once in network ${network}`);
    devices.push(name);
  });
  return devices.length;
}

const HOSTDEV_ADDRESS_TYPES = ['none', 'pci', 'netdev'];

/** `<address type='pci' …/>` elements: PCI only, each listed once. Returns how many there are. */
function checkForwardAddresses(addresses: readonly XmlElement[], network: string): number {
  const seen: string[] = [];
  for (const address of addresses) {
    const type = address.attr('type');
    if (type === undefined) throw xmlError(NET, `missing address type in network ${network}`);
    if (!HOSTDEV_ADDRESS_TYPES.includes(type)) throw unsupportedConfig(NET, `unknown address type '${type}' in network ${network}`);
    if (type !== 'pci') throw xmlError(NET, `unsupported address type '${type}' in network ${network}`);
    const pci = formatPCIAddress(parsePCIAddress(address, NET));
    if (seen.includes(pci)) throw xmlError(NET, `PCI device '${pci}' can only be listed once in network ${network}`);
    seen.push(pci);
  }
  return addresses.length;
}

/** `<nat>`: NAT mode only; at most one address range (IPv4) and one port range. */
function checkNat(el: XmlElement, mode: ForwardMode, network: string): void {
  if (mode !== 'nat') throw xmlError(NET, `The <nat> element can only be used when <forward> 'mode' is 'nat' in network ${network}`);
  yesNoAttribute(el, 'ipv6', NET);
  const where = `in <nat> in <forward> in network ${network}`;
  const addresses = el.childrenNamed('address');
  if (addresses.length > 1) throw xmlError(NET, `Only one <address> element is allowed ${where}`);
  if (addresses.length === 1) checkNatAddressRange(addresses[0]!, network);
  const ports = el.childrenNamed('port');
  if (ports.length > 1) throw xmlError(NET, `Only one <port> element is allowed ${where}`);
  if (ports.length === 1) checkNatPortRange(ports[0]!, where);
}

function checkNatAddressRange(el: XmlElement, network: string): void {
  const startText = el.attr('start');
  if (startText === undefined) throw xmlError(NET, `missing 'start' attribute in <address> element in <nat> in <forward> in network ${network}`);
  const endText = el.attr('end');
  if (endText === undefined) throw xmlError(NET, `missing 'end' attribute in <address> element in <nat> in <forward> in network ${network}`);
  const ipv4 = (text: string, which: string): IPAddress => {
    const addr = parseIPAddress(text);
    if (addr?.family !== 'ipv4') throw xmlError(NET, `Bad ipv4 ${which} address '${text}' in <nat> in <forward> in network '${network}'`);
    return addr;
  };
  checkAddressRange(ipv4(startText, 'start'), ipv4(endText, 'end'));
}

function checkNatPortRange(el: XmlElement, where: string): void {
  // read as virXPathUInt does: an empty or malformed value counts as missing
  const port = (name: string): number | undefined => {
    const parsed = strToInt(el.attr(name) ?? '', 'uip');
    return parsed && Number(parsed.value);
  };
  const start = port('start');
  if (start === undefined || start > 65535) throw xmlDetail(NET, `Missing or invalid 'start' attribute in <port> ${where}`);
  const end = port('end');
  if (end === undefined || end > 65535 || end < start) throw xmlDetail(NET, `Missing or invalid 'end' attribute in <port> ${where}`);
}

/**
 * Checks across the network that depend on the forward mode (the end of
 * virNetworkDefParseXML): routed modes need an address, and the bridge
 * settings libvirt manages itself are refused where it does not make the
 * bridge.
 */
export function checkForwardMode(forward: ForwardSummary, def: NetworkDef): void {
  const { mode, interfaceCount, pfCount } = forward;
  const bridge = def.bridge;
  const inNetwork = `(network '${def.name}')`;
  switch (mode) {
    case 'none':
      break;
    case 'nat':
    case 'route':
    case 'open':
      if (def.ips.length === 0) throw xmlError(NET, `${mode} forwarding requested, but no IP address provided for network '${def.name}'`);
      if (interfaceCount > 1) throw xmlError(NET, `multiple forwarding interfaces specified for network '${def.name}', only one is supported`);
      // an open network puts no limit on where traffic goes, so a forward device means nothing
      if (mode === 'open' && interfaceCount > 0) {
        throw xmlError(NET, `forward dev not allowed for network '${def.name}' with forward mode='${mode}'`);
      }
      break;
    default:
      if (mode !== 'bridge') {
        if (bridge?.name !== undefined) throw xmlError(NET, `bridge name not allowed in ${mode} mode ${inNetwork}`);
        if (bridge?.zone !== undefined) throw xmlError(NET, `bridge zone not allowed in ${mode} mode ${inNetwork}`);
        if (bridge?.macTableManager !== undefined) throw xmlError(NET, `bridge macTableManager setting not allowed in ${mode} mode ${inNetwork}`);
      }
      if (bridge && (bridge.delay !== 0 || bridge.stp !== undefined || bridge.zone !== undefined)) {
        throw xmlError(NET, `bridge delay/stp/zone options only allowed in route, nat, and isolated mode, not in ${mode} ${inNetwork}`);
      }
      if (bridge?.name !== undefined && (interfaceCount > 0 || pfCount > 0)) {
        throw xmlError(NET, `A network with forward mode='${mode}' can specify a bridge name or a forward dev, but not both ${inNetwork}`);
      }
  }
  if (def.mtu !== undefined && !hasOwnBridge(mode)) {
    throw xmlError(NET, `mtu size only allowed in open, route, nat, and isolated mode, not in ${mode} ${inNetwork}`);
  }
}
