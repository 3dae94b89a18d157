import { defineConfig } from 'tsup';

/** How every library package builds: ESM and CommonJS, with type declarations, from src/index.ts. */
export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  // import.meta.url in the CommonJS build (e.g. @virt/storage finding its addon)
  shims: true,
  clean: true,
  target: 'node20',
});
