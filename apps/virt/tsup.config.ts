import { defineConfig } from 'tsup';

/*
 * The CLI is one CommonJS bundle, dist/virt.cjs, started by bin/virt.cjs through @virt/launch
 * through V8's code cache (see there). Command handlers stay behind
 * dynamic imports, which the bundle keeps as lazy initialisers: a run
 * executes the command table and only the handlers it needs.
 */
export default defineConfig({
  entry: { virt: 'src/main.ts' },
  format: ['cjs'],
  outExtension: () => ({ js: '.cjs' }),
  splitting: false,
  shims: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
  // the @virt packages and their XML parser are bundled; the XPath engine
  // (only for --xpath) stays a dependency loaded on demand
  noExternal: [/^@virt\//, 'saxes', 'xmlchars'],
  external: ['@xmldom/xmldom', 'xpath'],
});
