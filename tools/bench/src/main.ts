/*
 * `pnpm bench [suite...]`: @virt beside its peers, measured in the same run.
 * Suites: virt (the API and the virt CLI beside virsh), storage (virt-img
 * beside qemu-img). Without arguments, all of them.
 */
import { certificateNote } from './environment.js';
import { benchStorage } from './storage/suite.js';
import { benchVirt } from './virt/suite.js';

const SUITES: Record<string, () => Promise<void>> = { virt: benchVirt, storage: benchStorage };

async function main(): Promise<void> {
  const chosen = process.argv.slice(2);
  for (const name of chosen) if (!SUITES[name]) throw new Error(`unknown suite '${name}' (${Object.keys(SUITES).join(', ')})`);
  for (const [name, run] of Object.entries(SUITES)) if (chosen.length === 0 || chosen.includes(name)) await run();
  const note = await certificateNote();
  if (note) console.log(`\n${note}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
