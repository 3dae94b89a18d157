import { Connect, registerDriver } from '@virt/core-api';
import { testDriver } from '@virt/driver-test';
import { DOMAIN_COUNT, domainName, domainXML } from './domains.js';
import { summarize, timeRuns, type Timing } from '../stats.js';

export interface ApiResults {
  definePerDomain: Timing;
  listAll: Timing;
  lookupByName: Timing;
}

/** @virt/core-api over the test driver, in this process: no peer to compare with in-process. */
export async function benchApi(): Promise<ApiResults> {
  registerDriver(testDriver);
  const conn = await Connect.open('test:///default');
  try {
    const defines: number[] = [];
    for (let i = 0; i < DOMAIN_COUNT; i++) {
      const xml = domainXML(i);
      const start = process.hrtime.bigint();
      await conn.defineDomainXML(xml);
      defines.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
    const listAll = await timeRuns(30, async () => {
      const all = await conn.listAllDomains();
      if (all.length !== DOMAIN_COUNT + 1) throw new Error(`listed ${all.length} domains`);
    });
    const lookupByName = await timeRuns(10_000, (i) => conn.lookupDomainByName(domainName((i * 7919) % DOMAIN_COUNT)));
    return { definePerDomain: summarize(defines), listAll, lookupByName };
  } finally {
    await conn.close();
  }
}
