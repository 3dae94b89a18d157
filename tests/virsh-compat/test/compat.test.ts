import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readScripts, runBoth } from './compare.js';

const scriptDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'scripts');

for (const file of readdirSync(scriptDir).filter((f) => f.endsWith('.virsh')).sort()) {
  describe(file, () => {
    it.concurrent.each(readScripts(file).map((s) => [s.label, s] as const))('%s', async (_label, script) => {
      const { virsh, virt } = await runBoth(script);
      expect({ stdout: virt.stdout, stderr: virt.stderr, code: virt.code }).toEqual({ stdout: virsh.stdout, stderr: virsh.stderr, code: virsh.code });
    });
  });
}
