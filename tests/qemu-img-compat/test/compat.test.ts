import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, inject, it } from 'vitest';
import { readCases, runBoth } from './compare.js';

const scriptDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'scripts');

for (const file of readdirSync(scriptDir).filter((f) => f.endsWith('.qemu-img')).sort()) {
  describe(file, () => {
    it.concurrent.each(readCases(file).map((c) => [c.label, c] as const))('%s', async (_label, testCase) => {
      const { qemu, virt } = await runBoth(inject('fixtures'), testCase);
      expect(virt).toEqual(qemu);
    });
  });
}
