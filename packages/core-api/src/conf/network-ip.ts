import { ErrorCode, ErrorDomain } from '../errors/codes.js';
import { VirtError } from '../errors/virt-error.js';
import {
  addressUnits,
  broadcastIPAddress,
  formatIPAddress,
  maskIPAddress,
  networkPrefix,
  parseIPAddress,
  sameIPAddress,
  type IPAddress,
} from '../ip-address.js';
import { isMulticastMAC, parseMAC } from '../mac.js';
import type { XmlElement } from '../xml/node.js';
import { ElementReader, type XmlExtras } from '../xml/reader.js';
import { enumAttribute, intAttribute, nonEmpty, unsupportedConfig, xmlError, yesNoAttribute } from './common.js';

const NET = ErrorDomain.NETWORK;

export interface NetworkIPDef {
  family?: string;
  /** As libvirt prints it back: 10.1 becomes 10.0.0.1, IPv6 is compressed. */
  address?: string;
  netmask?: string;
  /** Only a prefix above 0 is kept (libvirt treats 0 as none). */
  prefix?: number;
  localPtr?: string;
  /** tftp, dhcp (ranges, hosts, bootp) and anything else, as written. */
  extras?: XmlExtras;
}

/** An `<ip>` once its addresses are known: what DHCP ranges are checked against. */
interface IPNetwork {
  address: IPAddress;
  netmask?: IPAddress;
  prefix: number;
}

function internalError(detail: string): VirtError {
  return VirtError.create(ErrorCode.INTERNAL_ERROR, NET, detail);
}

/**
 * An address libvirt reads with virSocketAddrParse and no message of its
 * own: what the user then sees is the system error getaddrinfo gives.
 */
function socketAddress(text: string): IPAddress {
  const addr = parseIPAddress(text);
  if (!addr) throw VirtError.system(NET, `Cannot parse socket address '${text}'`, 'Name or service not known');
  return addr;
}

/** Parse one `<ip>` of a network (virNetworkIPDefParseXML), checking it as libvirt does. */
export function parseNetworkIP(el: XmlElement, network: string): NetworkIPDef {
  const r = new ElementReader(el);
  const family = nonEmpty(r.attr('family'));
  const addressText = nonEmpty(r.attr('address'));
  if (addressText === undefined) throw xmlError(NET, `Missing required address attribute in network '${network}'`);
  const address = parseIPAddress(addressText);
  if (!address) throw xmlError(NET, `Invalid address '${addressText}' in network '${network}'`);
  const netmaskText = nonEmpty(r.attr('netmask'));
  const netmask = netmaskText === undefined ? undefined : parseIPAddress(netmaskText);
  if (netmaskText !== undefined && !netmask) throw xmlError(NET, `Invalid netmask '${netmaskText}' in network '${network}'`);
  const prefix = intAttribute(r, 'prefix', 'uip', NET) ?? 0;
  const localPtr = yesNoAttribute(r, 'localPtr', NET);

  const ip = { address, netmask, prefix };
  checkFamily(family, ip, addressText, netmaskText, network);
  // dhcp and tftp stay in the extras, as written: only looked at here
  const dhcp = el.child('dhcp');
  if (dhcp) checkDHCP(dhcp, ip, network);
  if (el.child('tftp') && address.family !== 'ipv4') {
    throw unsupportedConfig(NET, `Unsupported <tftp> element in an IPv6 element in network '${network}'`);
  }
  return {
    family,
    address: formatIPAddress(address),
    netmask: netmask && formatIPAddress(netmask),
    prefix: prefix > 0 ? prefix : undefined,
    localPtr: localPtr === undefined ? undefined : localPtr ? 'yes' : 'no',
    extras: r.extras(),
  };
}

/** The address, netmask and prefix must agree with the family (no family means IPv4). */
function checkFamily(family: string | undefined, ip: IPNetwork, addressText: string, netmaskText: string | undefined, network: string): void {
  const { address, netmask, prefix } = ip;
  if (family === undefined || family === 'ipv4') {
    if (address.family !== 'ipv4') {
      throw unsupportedConfig(NET, `${family ?? 'no'} family specified for non-IPv4 address '${addressText}' in network '${network}'`);
    }
    if (netmask) {
      if (netmask.family !== 'ipv4') {
        throw unsupportedConfig(NET, `Invalid netmask '${netmaskText}' for address '${addressText}' in network '${network}' (both must be IPv4)`);
      }
      if (prefix > 0) throw unsupportedConfig(NET, `Network '${network}' IP address cannot have both a prefix and a netmask`);
    } else if (prefix > 32) {
      throw unsupportedConfig(NET, `Invalid IPv4 prefix '${prefix}' in network '${network}'`);
    }
  } else if (family === 'ipv6') {
    if (address.family !== 'ipv6') throw unsupportedConfig(NET, `Family 'ipv6' specified for non-IPv6 address '${addressText}' in network '${network}'`);
    if (netmask) throw unsupportedConfig(NET, `netmask not allowed for IPv6 address '${addressText}' in network '${network}'`);
    if (prefix > 128) throw unsupportedConfig(NET, `Invalid IPv6 prefix '${prefix}' in network '${network}'`);
  } else {
    throw xmlError(NET, `Unrecognized family '${family}' in network '${network}'`);
  }
}

/** `<dhcp>`: ranges and hosts must fit the network; bootp is only read for IPv4. */
function checkDHCP(dhcp: XmlElement, ip: IPNetwork, network: string): void {
  for (const child of dhcp.elements()) {
    if (child.name === 'range') checkDHCPRange(child, ip, network);
    else if (child.name === 'host') checkDHCPHost(child, ip, network);
    else if (child.name === 'bootp' && ip.address.family === 'ipv4') checkBootp(child);
  }
}

function checkDHCPRange(el: XmlElement, ip: IPNetwork, network: string): void {
  const endpoint = (attr: 'start' | 'end'): IPAddress => {
    const text = el.attr(attr);
    if (text === undefined) throw xmlError(NET, `Missing '${attr}' attribute in dhcp range for network '${network}'`);
    return socketAddress(text);
  };
  const start = endpoint('start');
  const end = endpoint('end');
  checkAddressRange(start, end, { address: ip.address, prefix: networkPrefix(ip.address, ip.netmask, ip.prefix) });
  for (const lease of el.childrenNamed('lease')) checkLease(lease);
}

function checkDHCPHost(el: XmlElement, ip: IPNetwork, network: string): void {
  const ipv6 = ip.address.family === 'ipv6';
  const mac = el.attr('mac');
  if (mac !== undefined) {
    if (ipv6) throw xmlError(NET, `Invalid to specify MAC address '${mac}' in network '${network}' IPv6 static host definition`);
    const parsed = parseMAC(mac);
    if (!parsed) throw xmlError(NET, `Cannot parse MAC address '${mac}' in network '${network}'`);
    if (isMulticastMAC(parsed)) throw xmlError(NET, `expected unicast mac address, found multicast '${mac}' in network '${network}'`);
  }
  const id = el.attr('id');
  const badIdChar = id === undefined ? null : /[^0-9a-fA-F:]/.exec(id);
  if (badIdChar) throw xmlError(NET, `Invalid character '${badIdChar[0]}' in id '${id}' of network '${network}'`);
  const name = el.attr('name');
  if (name !== undefined && !/^[A-Za-z0-9]/.test(name)) throw xmlError(NET, `Cannot use host name '${name}' in network '${network}'`);
  const address = el.attr('ip');
  if (address !== undefined && !parseIPAddress(address)) {
    throw xmlError(NET, `Invalid IP address in static host definition for network '${network}'`);
  }
  // a host is found by name or id (IPv6), or by name or MAC (IPv4)
  if (ipv6 && id === undefined && name === undefined) {
    throw xmlError(NET, `Static host definition in IPv6 network '${network}' must have id or name attribute`);
  }
  if (!ipv6 && mac === undefined && name === undefined) {
    throw xmlError(NET, `Static host definition in IPv4 network '${network}' must have mac or name attribute`);
  }
  if (address === undefined) throw xmlError(NET, `Missing IP address in static host definition for network '${network}'`);
  for (const lease of el.childrenNamed('lease')) checkLease(lease);
}

function checkBootp(el: XmlElement): void {
  const server = el.attr('server');
  // libvirt ignores a bootp without a file, server included
  if (el.attr('file') !== undefined && server !== undefined) socketAddress(server);
}

const LEASE_UNITS = ['seconds', 'minutes', 'hours'] as const;

/** `<lease expiry='…' unit='…'/>`: 0 means forever, otherwise dnsmasq wants two minutes at least. */
function checkLease(el: XmlElement): void {
  const expiry = intAttribute(el, 'expiry', 'ullp', NET, { base: 0 });
  if (expiry === undefined) return;
  const unit = enumAttribute(el, 'unit', LEASE_UNITS, NET) ?? 'minutes';
  const tooShort = (unit === 'seconds' && expiry < 120) || (unit === 'minutes' && expiry < 2);
  if (expiry > 0 && tooShort) throw unsupportedConfig(NET, 'The minimum lease time should be greater than 2 minutes');
}

/**
 * Check an address range as virSocketAddrGetRange does: same family, and
 * when the network is known, inside it and not on its network or broadcast
 * address; at most 65536 addresses, start before end.
 */
export function checkAddressRange(start: IPAddress, end: IPAddress, network?: { address: IPAddress; prefix: number | undefined }): void {
  const range = `${formatIPAddress(start)} - ${formatIPAddress(end)}`;
  if (start.family !== end.family) throw internalError(`mismatch of address family in range ${range}`);
  if (network) checkRangeInNetwork(start, end, range, network.address, network.prefix);
  const a = addressUnits(start);
  const b = addressUnits(end);
  // all but the last 16 bits must match
  const fixed = start.family === 'ipv4' ? 2 : 7;
  if (a.slice(0, fixed).some((v, i) => v !== b[i])) throw internalError(`range ${range} is too large (> 65535)`);
  if (start.family === 'ipv4') {
    if ((b[2]! - a[2]!) * 256 + (b[3]! - a[3]!) < 0) throw internalError(`range ${range} is reversed `);
  } else if (b[7]! < a[7]!) {
    throw internalError(`range ${range} start larger than end`);
  }
}

function checkRangeInNetwork(start: IPAddress, end: IPAddress, range: string, address: IPAddress, prefix: number | undefined): void {
  const net = formatIPAddress(address);
  if (start.family !== address.family) throw internalError(`mismatch of address family in range ${range} for network ${net}`);
  const maxPrefix = address.family === 'ipv4' ? 32 : 128;
  if (prefix === undefined || prefix > maxPrefix) {
    throw internalError(`bad prefix ${prefix ?? -1} for network ${net} when  checking range ${range}`);
  }
  const subnet = maskIPAddress(address, prefix);
  const inside = (a: IPAddress): boolean => sameIPAddress(maskIPAddress(a, prefix), subnet);
  if (!inside(start) || !inside(end)) throw internalError(`range ${range} is not entirely within network ${net}/${prefix}`);
  if (address.family !== 'ipv4') return;
  if (sameIPAddress(start, subnet)) throw internalError(`start of range ${range} in network ${net}/${prefix} is the network address`);
  if (sameIPAddress(end, broadcastIPAddress(address, prefix))) {
    throw internalError(`end of range ${range} in network ${net}/${prefix} is the broadcast address`);
  }
}
