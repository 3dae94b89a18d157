/*
 * The virt suite:
 *  - the API: define 10,000 domains in the test driver, then list them all
 *    and look them up by name (in-process, no peer);
 *  - the CLI: one `list --all` process (start-up included), the in-process
 *    time of `list --all` and of a lookup over 10,000 domains, and defining
 *    10,000 domains from files in one process — virt beside virsh.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchApi } from './api.js';
import { available, commandTimes, NODE, VIRSH, VIRT, wallTimes, type Cli } from './cli.js';
import { DOMAIN_COUNT, domainName, writeDomainFiles, writeNodeFile } from './domains.js';
import { printTable, type Row } from '../report.js';
import { formatMs, summarize, type Timing } from '../stats.js';

/** The virt suite: @virt/core-api and the virt CLI beside virsh on libvirt's test driver. */
export async function benchVirt(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'virt-bench-'));
  try {
    const api = await benchApi();
    console.log(`@virt/core-api on test:///default, in-process (${DOMAIN_COUNT.toLocaleString('en')} domains defined)`);
    console.log(`  defineDomainXML      median ${formatMs(api.definePerDomain.median)}, p95 ${formatMs(api.definePerDomain.p95)} per domain`);
    console.log(`  listAllDomains       median ${formatMs(api.listAll.median)}, p95 ${formatMs(api.listAll.p95)} for all ${DOMAIN_COUNT + 1}`);
    console.log(`  lookupDomainByName   median ${formatMs(api.lookupByName.median)}, p95 ${formatMs(api.lookupByName.p95)}`);

    const clis: Cli[] = available(VIRSH) ? [VIRT, VIRSH] : [VIRT];
    if (clis.length === 1) console.log('\n(virsh not found: install libvirt-clients to compare with it)');
    const row = (what: string, timings: Map<string, Timing>): Row => ({ what, ours: timings.get('virt')!, peer: timings.get('virsh') });

    const startup = wallTimes([...clis, NODE], ['-c', 'test:///default', 'list', '--all'], 30);
    const rows: Row[] = [row('one process: -c test:///default list --all', startup)];

    const nodeFile = writeNodeFile(work, DOMAIN_COUNT);
    const uri = `test://${nodeFile}`;
    // one list, then lookups of names spread over the 10,000: each CLI's first lookup pays for loading its code
    const lookups = Array.from({ length: 20 }, (_, i) => `domid ${domainName((i * 4999) % DOMAIN_COUNT)}`);
    const times = commandTimes(clis, uri, ['list --all', ...lookups], 5);
    const pick = (select: (perCommand: number[][]) => number[]): Map<string, Timing> => new Map([...times].map(([n, t]) => [n, summarize(select(t))]));
    rows.push(row(`list --all over ${DOMAIN_COUNT.toLocaleString('en')} domains (-t, in-process)`, pick((t) => t[0]!)));
    rows.push(row('domid NAME among them, after the first (-t, in-process)', pick((t) => t.slice(2).flat())));
    rows.push(row(`one process: load a ${DOMAIN_COUNT.toLocaleString('en')}-domain node file, list --all`, wallTimes(clis, ['-q', '-c', uri, 'list --all'], 5)));

    const files = writeDomainFiles(work, DOMAIN_COUNT);
    const defineAll = files.map((f) => `define ${f}\n`).join('');
    rows.push(row(`one process: define ${DOMAIN_COUNT.toLocaleString('en')} domains from files`, wallTimes(clis, ['-q', '-c', 'test:///default'], 3, defineAll)));

    printTable('virt beside virsh (libvirt 9.0 test driver), same machine, same run', ['virt', 'virsh'], rows);
    const node = startup.get('node')!.median;
    console.log(`\nNode.js itself starts in ${formatMs(node)} here (node -e 0, same run): virt's own share of a list --all process is ${formatMs(startup.get('virt')!.median - node)}.`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

