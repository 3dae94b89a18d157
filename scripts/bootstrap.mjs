#!/usr/bin/env node
/*
 * What `npm start`, `npm test` and `npm run bench` run on a fresh machine:
 * install whatever is missing (pnpm, the workspace's dependencies, the
 * Debian packages the job needs), build, then do the job. Every step is
 * skipped when already done, so a second run starts at once.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const PNPM_VERSION = '10.34.9';
/** What building needs: a C++ toolchain, zstd and zlib for @virt/storage's native addon. */
const BUILD_PACKAGES = ['g++', 'make', 'cmake', 'pkg-config', 'libzstd-dev', 'zlib1g-dev'];
/** Debian packages each job needs besides: the real tools the tests and benchmarks compare against. */
const DEBIAN_PACKAGES = {
  start: BUILD_PACKAGES,
  // qemu-system-x86: the QMP peer, and the emulator that boots the guest assets and hosts the nested-KVM tests
  test: [...BUILD_PACKAGES, 'libvirt-clients', 'qemu-utils', 'qemu-system-x86'],
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

/** Whether this machine can run guests under the kvm driver. */
function kvmUsable() {
  try {
    closeSync(openSync('/dev/kvm', 'r+'));
    return true;
  } catch {
    return false;
  }
}

/** Where there is no /dev/kvm: a short lifecycle on the embedded test:///default hypervisor. */
function startTestDemo() {
  console.log('There is no usable /dev/kvm here, so this runs on the embedded test:///default hypervisor.\n');
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
  return run(VIRT, ['-c', 'test:///default', script]);
}

/**
 * Where there is /dev/kvm: a guest under @virt's own VMM (kvm:///session),
 * its console shown once it has finished. Where /dev/kvm is PVM, guest
 * kernel code is emulated, so the guest is a small program running in user
 * mode; the same program runs on hardware virtualisation.
 */
async function startKvmDemo() {
  const flavour = existsSync('/sys/module/kvm_pvm') ? 'pvm' : 'hardware';
  if (flavour === 'pvm') {
    console.log(
      '/dev/kvm here is PVM: guest code at CPL3 runs at native speed, but guest kernel (CPL0) code is emulated,\n' +
        'about a thousand times slower, so a Linux kernel cannot boot in useful time. The guest is therefore a small\n' +
        'program that runs in 64-bit user mode (tools/guest-programs/programs/demo.c) on our VMM.\n',
    );
  }
  const program = join(ROOT, 'tools', 'guest-programs', 'dist', 'demo.elf');
  const xml = join(tmpdir(), `virt-demo-${process.pid}.xml`);
  writeFileSync(
    xml,
    `<domain type='kvm'>\n  <name>demo</name>\n  <memory unit='MiB'>64</memory>\n  <vcpu>2</vcpu>\n` +
      `  <os><type arch='x86_64'>hvm</type><kernel>${program}</kernel></os>\n  <on_reboot>destroy</on_reboot>\n` +
      `  <devices><serial type='pty'/><console type='pty'/></devices>\n</domain>\n`,
  );
  const log = join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'virt', 'kvm', 'log', 'demo.log');
  const logStart = existsSync(log) ? statSync(log).size : 0;
  const script = `create ${xml}; list; dominfo demo`;
  console.log(`$ virt -c kvm:///session '${script}'\n`);
  const status = run(VIRT, ['-c', 'kvm:///session', script]);
  rmSync(xml, { force: true });
  if (status !== 0) return status;
  // the guest ends by itself; then its console log is complete
  for (let i = 0; i < 600 && output(VIRT, ['-c', 'kvm:///session', 'domstate demo']) === 'running'; i++) await new Promise((r) => setTimeout(r, 100));
  console.log(`$ tail -c +${logStart + 1} ${log}    # what the guest printed on its serial console\n`);
  process.stdout.write(readFileSync(log).subarray(logStart));
  console.log(`\n$ virt -c kvm:///session 'list --all'\n`);
  return run(VIRT, ['-c', 'kvm:///session', 'list --all']);
}

const VIRT = join(ROOT, 'apps', 'virt', 'bin', 'virt.cjs');
const job = process.argv[2] ?? 'start';
ensurePnpm();
// before the dependencies: installing the workspace compiles the native addon
ensureDebianPackages(DEBIAN_PACKAGES[job] ?? []);
ensureDependencies();
build();

switch (job) {
  case 'start':
    process.exit(kvmUsable() ? await startKvmDemo() : startTestDemo());
  case 'test':
    process.exit(run('pnpm', ['exec', 'turbo', 'run', 'test', '--concurrency=1']));
  case 'bench':
    // suites named after `npm run bench --` (virt, storage); all without
    process.exit(run('pnpm', ['--filter', '@virt/bench', 'run', 'bench', ...process.argv.slice(3)]));
  default:
    console.error(`bootstrap: unknown job '${job}' (start, test or bench)`);
    process.exit(2);
}
