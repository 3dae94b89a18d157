import { readFileSync } from 'node:fs';
import { defineConfig } from 'tsup';

const { version } = JSON.parse(readFileSync(new URL('package.json', import.meta.url), 'utf8')) as { version: string };

/*
 * One CommonJS bundle, dist/virt-img.cjs, started by bin/virt-img.cjs
 * through @virt/launch (V8's code cache). The @virt packages are bundled;
 * @virt/storage's native addon is found through the package itself.
 */
export default defineConfig({
  entry: { 'virt-img': 'src/main.ts' },
  format: ['cjs'],
  outExtension: () => ({ js: '.cjs' }),
  splitting: false,
  shims: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
  noExternal: [/^@virt\//],
  define: { VIRT_IMG_VERSION: JSON.stringify(version) },
});
