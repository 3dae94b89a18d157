import { DomainState, ErrorCode, ListDomainsFlags, DomainRunningReason } from '@virt/core-api';
import { describe, expect, it } from 'vitest';
import { connect, expectVirtError } from './helpers.js';

describe('test:///default', () => {
  it('starts with libvirt test driver objects', async () => {
    const conn = await connect();
    const domains = await conn.listAllDomains();
    expect(domains.map((d) => [d.getName(), d.getID(), d.getUUIDString()])).toEqual([['test', 1, '6695eb01-f6a4-8304-79aa-97f2502e193f']]);
    expect(await domains[0]!.getState()).toEqual({ state: DomainState.RUNNING, reason: DomainRunningReason.UNKNOWN });
    expect((await conn.listAllNetworks()).map((n) => n.getName())).toEqual(['default']);
    expect((await conn.listAllStoragePools()).map((p) => p.getName())).toEqual(['default-pool']);
    expect((await conn.listAllInterfaces()).map((i) => i.getName())).toEqual(['eth1']);
    expect(await conn.getType()).toBe('TEST');
    expect(await conn.getURI()).toBe('test:///default');
  });

  it('reports the same node as libvirt', async () => {
    const conn = await connect();
    expect(await conn.nodeGetInfo()).toEqual({ model: 'i686', memory: 3145728, cpus: 16, mhz: 1400, nodes: 2, sockets: 2, cores: 2, threads: 2 });
    const caps = await conn.getCapabilities();
    expect(caps).toContain('<arch>i686</arch>');
    expect(caps).toContain("<cells num='2'>");
    expect(caps).toContain('<os_type>hvm</os_type>');
    expect(caps).toContain("<domain type='test'/>");
  });

  it('is one host shared by every open connection, fresh again after the last closes', async () => {
    const a = await connect();
    const b = await connect();
    await (await a.lookupDomainByName('test')).destroy();
    expect(await (await b.lookupDomainByName('test')).isActive()).toBe(false);
    await a.close();
    await b.close();
    const c = await connect();
    expect(await (await c.lookupDomainByName('test')).isActive()).toBe(true);
  });

  it('filters domain lists with libvirt flags', async () => {
    const conn = await connect();
    await conn.defineDomainXML("<domain type='test'><name>off</name><memory>1024</memory><os><type>hvm</type></os></domain>");
    const names = async (flags: number) => (await conn.listAllDomains(flags)).map((d) => d.getName());
    expect(await names(0)).toEqual(['test', 'off']);
    expect(await names(ListDomainsFlags.ACTIVE)).toEqual(['test']);
    expect(await names(ListDomainsFlags.INACTIVE)).toEqual(['off']);
    expect(await names(ListDomainsFlags.SHUTOFF)).toEqual(['off']);
    expect(await names(ListDomainsFlags.TRANSIENT)).toEqual([]);
  });

  it('refuses changes on a read-only connection', async () => {
    const conn = await connect('test:///default', true);
    const dom = await conn.lookupDomainByName('test');
    await expectVirtError(dom.destroy(), ErrorCode.OPERATION_DENIED, 'operation forbidden: read only access prevents virDomainDestroy');
    expect(await dom.isActive()).toBe(true);
  });

  it('needs a path or default', async () => {
    await expectVirtError(connect('test://'), ErrorCode.INVALID_ARG, 'invalid argument: testOpen: supply a path or use test:///default');
  });

  it('fails once closed', async () => {
    const conn = await connect();
    await conn.close();
    await expectVirtError(conn.listAllDomains(), ErrorCode.INVALID_CONN, 'invalid connection pointer in virConnect');
  });
});
