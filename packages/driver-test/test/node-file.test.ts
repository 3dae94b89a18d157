import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DomainState, ErrorCode, setXmlWarningSink } from '@virt/core-api';
import { describe, expect, it } from 'vitest';
import { connect, expectVirtError } from './helpers.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');

describe('test:///path/node.xml', () => {
  it('builds the host the file describes, objects included from other files', async () => {
    const conn = await connect(`test://${fixtures}/node.xml`);
    expect(await conn.nodeGetInfo()).toEqual({ model: 'x86_64', memory: 16777216, cpus: 8, mhz: 3000, nodes: 1, sockets: 1, cores: 4, threads: 2 });
    const domains = await conn.listAllDomains();
    const states = await Promise.all(domains.map(async (d) => [d.getName(), (await d.getState()).state, await d.isPersistent()]));
    expect(states.sort()).toEqual([
      ['db', DomainState.SHUTOFF, true],
      ['guest', DomainState.RUNNING, false],
      ['web', DomainState.PAUSED, true],
    ]);
    expect(await (await conn.lookupDomainByName('db')).hasManagedSaveImage()).toBe(true);
    expect(await (await conn.lookupNetworkByName('lan')).getBridgeName()).toBe('br-lan');
    const pool = await conn.lookupStoragePoolByName('images');
    expect((await pool.listAllVolumes()).map((v) => v.getName())).toEqual(['root.img']);
  });

  it('gives each connection a host of its own', async () => {
    const a = await connect(`test://${fixtures}/node.xml`);
    const b = await connect(`test://${fixtures}/node.xml`);
    await (await a.lookupDomainByName('guest')).destroy();
    expect((await b.listAllDomains()).map((d) => d.getName())).toContain('guest');
  });

  it('names the file it cannot read, after libxml2 warning', async () => {
    const warnings: string[] = [];
    setXmlWarningSink((text) => warnings.push(text));
    const path = join(fixtures, 'missing-file.xml');
    const nowhere = join(fixtures, 'nowhere.xml');
    await expectVirtError(connect(`test://${path}`), ErrorCode.XML_ERROR, `XML error: failed to parse xml document '${nowhere}'`);
    expect(warnings).toEqual([`I/O warning : failed to load external entity "${nowhere}"\n`]);
  });
});
