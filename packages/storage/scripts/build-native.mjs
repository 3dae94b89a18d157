#!/usr/bin/env node
/*
 * Build the native addon (build/Release/virt_storage.node) with cmake-js,
 * unless it is newer than every native source. With --if-missing (the
 * package's install script) an existing binary is kept as it is. cmake-js
 * takes Node's headers from node-api-headers ("binary.napi_versions" in
 * package.json), so no download is needed.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const binary = join(root, 'build', 'Release', 'virt_storage.node');

function upToDate() {
  if (!existsSync(binary)) return false;
  const built = statSync(binary).mtimeMs;
  const sources = [join(root, 'CMakeLists.txt'), ...readdirSync(join(root, 'native')).map((f) => join(root, 'native', f))];
  return sources.every((f) => statSync(f).mtimeMs <= built);
}

if (process.argv.includes('--if-missing') ? existsSync(binary) : upToDate()) process.exit(0);

const cmakeJs = createRequire(import.meta.url).resolve('cmake-js/bin/cmake-js');
const result = spawnSync(process.execPath, [cmakeJs, 'compile', '--directory', root], { cwd: root, stdio: 'inherit' });
if (result.status !== 0) {
  console.error('@virt/storage: building the native addon failed; it needs a C++ compiler, cmake, pkg-config and libzstd-dev');
  process.exit(result.status ?? 1);
}
