import { describe, expect, it } from 'vitest';
import {
  ErrorCode,
  formatNetworkXML,
  formatStoragePoolXML,
  formatStorageVolXML,
  parseNetworkXML,
  parseStoragePoolXML,
  parseStorageVolXML,
  VirtError,
} from '../src/index.js';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function errorOf(fn: () => unknown): { code: ErrorCode; message: string } {
  try {
    fn();
  } catch (err) {
    if (err instanceof VirtError) return { code: err.code, message: err.message };
    throw err;
  }
  throw new Error('no error');
}

describe('network XML', () => {
  it('normalises as libvirt: generated UUID, bridge defaults, and keeps what it does not know', () => {
    const def = parseNetworkXML("<network ipv6='yes' x-extra='1'><name>lan</name><bridge name='br0'/><future-thing a='b'/></network>");
    expect(def.uuid).toMatch(UUID_V4);
    expect(formatNetworkXML(def)).toBe(
      [
        "<network ipv6='yes' x-extra='1'>",
        '  <name>lan</name>',
        `  <uuid>${def.uuid}</uuid>`,
        "  <bridge name='br0' stp='on' delay='0'/>",
        "  <future-thing a='b'/>",
        '</network>',
        '',
      ].join('\n'),
    );
  });

  it('names what is wrong', () => {
    expect(errorOf(() => parseNetworkXML('<network/>'))).toEqual({ code: ErrorCode.NO_NAME, message: 'missing name information' });
    expect(errorOf(() => parseNetworkXML("<network><name>x</name><forward mode='teleport'/></network>"))).toEqual({
      code: ErrorCode.CONFIG_UNSUPPORTED,
      message: "unsupported configuration: unknown forwarding type 'teleport'",
    });
  });

  it('checks addresses and the forward mode as libvirt does', () => {
    const net = (body: string): string => `<network><name>x</name>${body}</network>`;
    expect(errorOf(() => parseNetworkXML(net("<forward mode='nat'/>")))).toEqual({
      code: ErrorCode.XML_ERROR,
      message: "XML error: nat forwarding requested, but no IP address provided for network 'x'",
    });
    expect(errorOf(() => parseNetworkXML(net("<ip address='::1'/>")))).toEqual({
      code: ErrorCode.CONFIG_UNSUPPORTED,
      message: "unsupported configuration: no family specified for non-IPv4 address '::1' in network 'x'",
    });
    expect(errorOf(() => parseNetworkXML(net("<ip address='10.0.0.1' prefix='24'><dhcp><range start='10.0.0.9' end='10.0.0.5'/></dhcp></ip>")))).toEqual({
      code: ErrorCode.INTERNAL_ERROR,
      message: 'internal error: range 10.0.0.9 - 10.0.0.5 is reversed ',
    });
    expect(errorOf(() => parseNetworkXML(net("<forward mode='nat'><nat><port start='70000' end='1'/></nat></forward><ip address='10.0.0.1'/>")))).toEqual({
      code: ErrorCode.XML_DETAIL,
      message: "Missing or invalid 'start' attribute in <port> in <nat> in <forward> in network x",
    });
  });

  it('reads addresses with the inet_aton shorthands and writes them in full', () => {
    const def = parseNetworkXML("<network><name>x</name><ip address='10.1' netmask='255.0.0.0'/><ip family='ipv6' address='FD00:0:0:0::1' prefix='64'/></network>");
    expect(def.ips.map((ip) => ip.address)).toEqual(['10.0.0.1', 'fd00::1']);
  });
});

describe('storage pool and volume XML', () => {
  it('formats a pool with its sizes and a tidied target path', () => {
    const def = parseStoragePoolXML("<pool type='dir'><name>p</name><uuid>aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee</uuid><target><path>//var//lib/p/</path></target></pool>");
    expect(formatStoragePoolXML(def, { capacity: 100n, allocation: 40n, available: 60n })).toBe(
      [
        "<pool type='dir'>",
        '  <name>p</name>',
        '  <uuid>aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee</uuid>',
        "  <capacity unit='bytes'>100</capacity>",
        "  <allocation unit='bytes'>40</allocation>",
        "  <available unit='bytes'>60</available>",
        '  <source>',
        '  </source>',
        '  <target>',
        // a leading double slash is kept (POSIX gives it a meaning of its own)
        '    <path>//var/lib/p</path>',
        '  </target>',
        '</pool>',
        '',
      ].join('\n'),
    );
  });

  it('reads volume sizes with units into bytes', () => {
    const def = parseStorageVolXML("<volume><name>v.img</name><capacity unit='GiB'>2</capacity><allocation unit='M'>1</allocation></volume>", 'dir');
    expect(def.capacity).toBe(2n * 1024n ** 3n);
    expect(formatStorageVolXML(def, 'dir')).toContain("<capacity unit='bytes'>2147483648</capacity>");
    expect(errorOf(() => parseStoragePoolXML("<pool type='nonsense'><name>x</name></pool>"))).toEqual({
      code: ErrorCode.XML_ERROR,
      message: "XML error: Invalid value for attribute 'type' in element 'pool': 'nonsense'.",
    });
  });
});

describe('storage XML checks', () => {
  it('refuses what libvirt refuses, with its words', () => {
    const vol = (body: string): { code: ErrorCode; message: string } => errorOf(() => parseStorageVolXML(`<volume><name>v</name>${body}</volume>`, 'dir'));
    expect(vol('<capacity></capacity>')).toEqual({ code: ErrorCode.XML_ERROR, message: 'XML error: missing capacity element' });
    expect(vol("<capacity>1</capacity><target><compat>1.1.1</compat></target>")).toEqual({
      code: ErrorCode.XML_ERROR,
      message: "XML error: forbidden characters in 'compat' attribute",
    });
    expect(vol('<capacity>1</capacity><target><clusterSize>x</clusterSize></target>')).toEqual({
      code: ErrorCode.XML_ERROR,
      message: "XML error: Invalid value 'x' for element or attribute './target/clusterSize'",
    });
    expect(vol("<capacity>1</capacity><target><encryption format='luks'><ivgen name='x'/></encryption></target>")).toEqual({
      code: ErrorCode.XML_ERROR,
      message: 'XML error: ivgen element found, but cipher is missing',
    });
    const pool = (xml: string): { code: ErrorCode; message: string } => errorOf(() => parseStoragePoolXML(xml));
    expect(pool("<pool type='dir'><name>p</name><target><path>/x</path><permissions><owner>-5</owner></permissions></target></pool>")).toEqual({
      code: ErrorCode.XML_ERROR,
      message: 'XML error: malformed owner element',
    });
    expect(pool("<pool type='fs'><name>p</name><source><device path='/dev/a'/><format type='ext3'/><protocol ver='3'/></source><target><path>/x</path></target></pool>")).toEqual({
      code: ErrorCode.CONFIG_UNSUPPORTED,
      message: "unsupported configuration: storage pool protocol ver unsupported for pool type 'glusterfs'",
    });
    expect(pool("<pool type='scsi'><name>p</name><target><path>/x</path></target></pool>")).toEqual({
      code: ErrorCode.XML_ERROR,
      message: 'XML error: missing storage pool source adapter',
    });
  });
});

describe('VirtError', () => {
  it("carries libvirt's numbers and words", () => {
    expect([ErrorCode.NO_SUPPORT, ErrorCode.NO_DOMAIN, ErrorCode.OPERATION_INVALID]).toEqual([3, 42, 55]);
    const err = VirtError.create(ErrorCode.NO_DOMAIN, 10, "no domain with matching name 'x'");
    expect(err.message).toBe("Domain not found: no domain with matching name 'x'");
    expect(VirtError.noSupport(10, 'virDomainAttachDeviceFlags').message).toBe('this function is not supported by the connection driver: virDomainAttachDeviceFlags');
  });
});
