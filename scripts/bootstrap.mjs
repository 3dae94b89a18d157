#!/usr/bin/env node
/*
 * What `npm start`, `npm test` and `npm run bench` run on a fresh machine:
 * install whatever is missing (pnpm, the workspace's dependencies, the
 * Debian packages the job needs), build, then do the job. Every step is
 * skipped when already done, so a second run starts at once.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const PNPM_VERSION = '10.34.9';
/** What building needs: a C++ toolchain, zstd and zlib for @virt/storage's native addon. */
const BUILD_PACKAGES = ['g++', 'make', 'cmake', 'pkg-config', 'libzstd-dev', 'zlib1g-dev'];
/** Debian packages each job needs besides: the real tools the tests and benchmarks compare against. */
const DEBIAN_PACKAGES = {
  start: BUILD_PACKAGES,
  test: [...BUILD_PACKAGES, 'libvirt-clients', 'qemu-utils'],
  // time: GNU time measures each tool's peak memory
  bench: [...BUILD_PACKAGES, 'libvirt-clients', 'qemu-utils', 'time'],
};

const env = { ...process.env, TURBO_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1' };

function run(cmd, args, options = {}) {
  const result = spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit', env, ...options });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

function must(cmd, args, options) {
  const status = run(cmd, args, options);
  if (status !== 0) {
    console.error(`bootstrap: '${cmd} ${args.join(' ')}' failed (exit ${status})`);
    process.exit(status);
  }
}

function output(cmd, args) {
  const result = spawnSync(cmd, args, { cwd: ROOT, encoding: 'utf8', env });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

function ensurePnpm() {
  if (output('pnpm', ['--version']) === PNPM_VERSION) return;
  console.error(`bootstrap: installing pnpm ${PNPM_VERSION}`);
  must('npm', ['install', '--global', `pnpm@${PNPM_VERSION}`]);
}

function ensureDependencies() {
  const marker = join(ROOT, 'node_modules', '.modules.yaml');
  const lock = join(ROOT, 'pnpm-lock.yaml');
  if (existsSync(marker) && existsSync(lock) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs) return;
  must('pnpm', ['install', ...(existsSync(lock) ? ['--frozen-lockfile'] : [])]);
}

function ensureDebianPackages(packages) {
  const missing = packages.filter((p) => !output('dpkg-query', ['-W', '-f=${Status}', p])?.includes('install ok installed'));
  if (missing.length === 0) return;
  const sudo = process.getuid?.() === 0 ? [] : ['sudo'];
  console.error(`bootstrap: installing Debian packages: ${missing.join(' ')}`);
  const aptEnv = { ...env, DEBIAN_FRONTEND: 'noninteractive' };
  must(sudo[0] ?? 'apt-get', [...sudo.slice(1), ...(sudo.length ? ['apt-get'] : []), 'update', '-qq'], { env: aptEnv });
  must(sudo[0] ?? 'apt-get', [...sudo.slice(1), ...(sudo.length ? ['apt-get'] : []), 'install', '-y', '-qq', ...missing], { env: aptEnv });
}

function build() {
  must('pnpm', ['exec', 'turbo', 'run', 'build', '--output-logs=errors-only']);
}

const job = process.argv[2] ?? 'start';
ensurePnpm();
// before the dependencies: installing the workspace compiles the native addon
ensureDebianPackages(DEBIAN_PACKAGES[job] ?? []);
ensureDependencies();
build();

switch (job) {
  case 'start': {
    // the main job on the embedded default hypervisor: a short lifecycle
    const demo = join(ROOT, 'scripts', 'demo-domain.xml');
    const script = [
      'version',
      'list --all',
      `define ${demo}`,
      'start demo',
      'list --all',
      'dominfo demo',
      'suspend demo',
      'domstate demo --reason',
      'resume demo',
      'shutdown demo',
      'domstate demo --reason',
      'list --all',
    ].join('; ');
    console.log(`$ virt -c test:///default '${script}'\n`);
    process.exit(run(join(ROOT, 'apps', 'virt', 'bin', 'virt.cjs'), ['-c', 'test:///default', script]));
  }
  case 'test':
    process.exit(run('pnpm', ['exec', 'turbo', 'run', 'test', '--concurrency=1']));
  case 'bench':
    // suites named after `npm run bench --` (virt, storage); all without
    process.exit(run('pnpm', ['--filter', '@virt/bench', 'run', 'bench', ...process.argv.slice(3)]));
  default:
    console.error(`bootstrap: unknown job '${job}' (start, test or bench)`);
    process.exit(2);
}
