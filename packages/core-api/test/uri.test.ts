import { describe, expect, it } from 'vitest';
import { ErrorCode, parseURI, resolveDefaultURI, uriParam, VirtError } from '../src/index.js';

describe('parseURI', () => {
  it('parses local driver URIs', () => {
    const u = parseURI('test:///default');
    expect(u).toMatchObject({ scheme: 'test', driver: 'test', transport: undefined, host: undefined, path: '/default' });
    expect(parseURI('test:///abs/path/node.xml').path).toBe('/abs/path/node.xml');
    expect(parseURI('kvm:///system')).toMatchObject({ driver: 'kvm', path: '/system' });
    expect(parseURI('kvm:///session').path).toBe('/session');
  });

  it('parses transports, users, hosts, ports and parameters', () => {
    const u = parseURI('qemu+ssh://root@example.com:2222/system?keyfile=/k&no_verify=1');
    expect(u).toMatchObject({ driver: 'qemu', transport: 'ssh', user: 'root', host: 'example.com', port: 2222, path: '/system' });
    expect(uriParam(u, 'keyfile')).toBe('/k');
    expect(uriParam(u, 'no_verify')).toBe('1');
    const unix = parseURI('qemu+unix:///system?socket=/run/x%20y.sock');
    expect(unix.transport).toBe('unix');
    expect(uriParam(unix, 'socket')).toBe('/run/x y.sock');
    expect(parseURI('qemu+tcp://[::1]:16509/system')).toMatchObject({ host: '::1', port: 16509 });
    expect(parseURI('qemu+tls://host/system;x=1').path).toBe('/system;x=1');
  });

  it('rejects what libvirt cannot parse, with its message', () => {
    for (const bad of [':::', 'noscheme', '1abc:///x', 'qemu://h:99999/']) {
      let err: unknown;
      try {
        parseURI(bad);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(VirtError);
      expect((err as VirtError).code).toBe(ErrorCode.INTERNAL_ERROR);
      expect((err as VirtError).message).toBe(`internal error: Unable to parse URI ${bad}`);
    }
  });

  it('resolves the default URI from -c, then VIRT_DEFAULT_URI, then LIBVIRT_DEFAULT_URI', () => {
    expect(resolveDefaultURI('test:///a', { VIRT_DEFAULT_URI: 'x', LIBVIRT_DEFAULT_URI: 'y' })).toBe('test:///a');
    expect(resolveDefaultURI(undefined, { VIRT_DEFAULT_URI: 'x', LIBVIRT_DEFAULT_URI: 'y' })).toBe('x');
    expect(resolveDefaultURI(undefined, { VIRT_DEFAULT_URI: '', LIBVIRT_DEFAULT_URI: 'y' })).toBe('y');
    expect(resolveDefaultURI(undefined, {})).toBeUndefined();
  });
});
