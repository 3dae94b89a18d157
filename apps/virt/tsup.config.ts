import { defineConfig } from 'tsup';

/*
 * The CLI is one ESM bundle split at the dynamic imports, so a run loads
 * the command table and only the handlers it needs.
 */
export default defineConfig({
  entry: ['src/main.ts'],
  format: ['esm'],
  splitting: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
  // the @virt packages and their XML parser are bundled; the XPath engine
  // (only for --xpath) stays a dependency loaded on demand
  noExternal: [/^@virt\//, 'saxes', 'xmlchars'],
  external: ['@xmldom/xmldom', 'xpath'],
});
