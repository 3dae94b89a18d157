import { defineConfig, type Options } from 'tsup';

/**
 * How every CLI builds: one CommonJS bundle, dist/<name>.cjs, from
 * src/main.ts, started by bin/<name>.cjs through @virt/launch (V8's code
 * cache: an ES module entry would start Node's ESM loader, which costs more
 * than it loads). The @virt packages are bundled in; `options` adds what a
 * CLI bundles or leaves out besides, and its build-time constants.
 */
export function cliBundle(name: string, options: Pick<Options, 'noExternal' | 'external' | 'define'> = {}) {
  return defineConfig({
    entry: { [name]: 'src/main.ts' },
    format: ['cjs'],
    outExtension: () => ({ js: '.cjs' }),
    splitting: false,
    shims: true,
    sourcemap: true,
    clean: true,
    target: 'node20',
    ...options,
    noExternal: [/^@virt\//, ...(options.noExternal ?? [])],
  });
}
