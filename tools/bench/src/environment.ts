import { spawnSync } from 'node:child_process';
import { timeRuns } from './stats.js';

/**
 * The environment the measured processes run in: the caller's, without
 * NODE_EXTRA_CA_CERTS. Node.js reads that certificate bundle whenever a
 * process starts, before any of the program runs (about 45 ms per process
 * for a distribution's full bundle), which measures the machine's set-up,
 * not the tools; neither tool ever opens a TLS connection.
 */
export const BENCH_ENV: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([name]) => name !== 'NODE_EXTRA_CA_CERTS'));

/** A line for the report when the caller's environment had the bundle set: what it costs each Node.js start here. */
export async function certificateNote(): Promise<string | undefined> {
  if (!process.env.NODE_EXTRA_CA_CERTS) return undefined;
  const median = async (env: NodeJS.ProcessEnv): Promise<number> =>
    (await timeRuns(9, () => spawnSync(process.execPath, ['-e', '0'], { env, stdio: 'ignore' }))).median;
  const [without, withBundle] = [await median(BENCH_ENV), await median(process.env)];
  return `Runs above leave out this shell's NODE_EXTRA_CA_CERTS, which makes every Node.js start read a certificate bundle first: node -e 0 takes ${withBundle.toFixed(1)} ms with it here, ${without.toFixed(1)} ms without.`;
}
