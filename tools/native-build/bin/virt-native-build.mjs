#!/usr/bin/env node
/*
 * Build the native addon of the package in the current directory
 * (build/Release/<name>.node) with cmake-js, unless it is newer than every
 * native source. With --if-missing (a package's install script) an existing
 * binary is kept as it is. cmake-js takes Node's headers from
 * node-api-headers ("binary.napi_versions" in the package's package.json),
 * so no download is needed. CMake gets VIRT_NATIVE_SUPPORT, the directory
 * of the C++ sources every addon shares.
 *
 *   virt-native-build <addon-name> [--if-missing] [-- <cmake-js options>]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const [name, ...rest] = process.argv.slice(2);
if (!name) {
  console.error('usage: virt-native-build <addon-name> [--if-missing]');
  process.exit(2);
}
const root = process.cwd();
const support = join(dirname(dirname(fileURLToPath(import.meta.url))), 'support');
const binary = join(root, 'build', 'Release', `${name}.node`);

function filesUnder(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]));
}

function upToDate() {
  if (!existsSync(binary)) return false;
  const built = statSync(binary).mtimeMs;
  const sources = [join(root, 'CMakeLists.txt'), ...filesUnder(join(root, 'native')), ...filesUnder(support)];
  return sources.every((f) => statSync(f).mtimeMs <= built);
}

if (rest.includes('--if-missing') ? existsSync(binary) : upToDate()) process.exit(0);

const cmakeJs = createRequire(import.meta.url).resolve('cmake-js/bin/cmake-js');
const extra = rest.includes('--') ? rest.slice(rest.indexOf('--') + 1) : [];
const args = [cmakeJs, 'compile', '--directory', root, `--CDVIRT_NATIVE_SUPPORT=${support}`, ...extra];
const result = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
if (result.status !== 0) {
  console.error(`${name}: building the native addon failed; it needs a C++ compiler, cmake and pkg-config (see the package's README)`);
  process.exit(result.status ?? 1);
}
