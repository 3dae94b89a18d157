/**
 * Build (once, then from the cache) a small real Linux guest from Debian
 * packages and nothing else: linux-image-amd64's kernel, and an initramfs
 * with busybox-static, the virtio modules and init.sh as /init.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { cpioArchive } from './cpio.js';

const here = dirname(fileURLToPath(import.meta.url));
const DEFAULT_CACHE = join(here, '..', '..', '.virt-cache', 'guest-assets');

/** The modules /init loads, in dependency order (the transports before the devices). */
export const GUEST_MODULES = [
  'virtio_ring', 'virtio', 'virtio_pci_legacy_dev', 'virtio_pci_modern_dev', 'virtio_pci', 'virtio_mmio',
  'virtio_blk', 'failover', 'net_failover', 'virtio_net', 'virtio-rng',
];

/** The marker /init prints once the guest is up and has checked its devices. */
export const READY_MARKER = 'VIRT-GUEST-READY';

/**
 * @param {{ cacheDir?: string, log?: (line: string) => void }} [options]
 * @returns {{ kernel: string, initrd: string, kernelVersion: string, extracted: string }}
 */
export function guestAssets(options = {}) {
  const cache = options.cacheDir ?? process.env.VIRT_GUEST_ASSETS ?? DEFAULT_CACHE;
  const log = options.log ?? ((line) => console.error(line));
  const readyFile = join(cache, 'ready.json');
  const sources = [join(here, 'init.sh'), join(here, 'cpio.js'), join(here, 'index.js')];
  if (existsSync(readyFile)) {
    const ready = JSON.parse(readFileSync(readyFile, 'utf8'));
    const built = statSync(readyFile).mtimeMs;
    if (existsSync(ready.kernel) && existsSync(ready.initrd) && sources.every((f) => statSync(f).mtimeMs <= built)) return ready;
  }
  mkdirSync(cache, { recursive: true });
  const debs = join(cache, 'debs');
  const extracted = join(cache, 'root');
  const kernelPackage = debianKernelPackage(log);
  if (!readdirSync(cache).includes('debs') || !readdirSync(debs).some((f) => f.startsWith(kernelPackage))) {
    rmSync(debs, { recursive: true, force: true });
    mkdirSync(debs);
    log(`guest-assets: fetching ${kernelPackage} and busybox-static from Debian`);
    apt(['download', '-o', 'APT::Sandbox::User=root', kernelPackage, 'busybox-static'], debs, log);
  }
  rmSync(extracted, { recursive: true, force: true });
  for (const deb of readdirSync(debs)) execFileSync('dpkg-deb', ['-x', join(debs, deb), extracted]);

  const kernelVersion = readdirSync(join(extracted, 'lib', 'modules'))[0];
  const kernel = join(cache, 'vmlinuz');
  copyFileSync(join(extracted, 'boot', `vmlinuz-${kernelVersion}`), kernel);
  const initrd = join(cache, 'initrd.img');
  writeFileSync(initrd, buildInitramfs({ extracted, kernelVersion, modules: GUEST_MODULES, init: readFileSync(join(here, 'init.sh')) }));
  const ready = { kernel, initrd, kernelVersion, extracted };
  writeFileSync(readyFile, `${JSON.stringify(ready, null, 2)}\n`);
  log(`guest-assets: Linux ${kernelVersion} and its initramfs in ${cache}`);
  return ready;
}

/** The concrete kernel package linux-image-amd64 stands for. */
function debianKernelPackage(log) {
  const depends = () => spawnSync('apt-cache', ['depends', 'linux-image-amd64'], { encoding: 'utf8' }).stdout ?? '';
  let text = depends();
  if (!/Depends: linux-image-/.test(text)) {
    apt(['update', '-qq'], here, log);
    text = depends();
  }
  const match = /Depends: (linux-image-\S+)/.exec(text);
  if (!match) throw new Error('guest-assets: apt knows no linux-image-amd64 (is Debian\'s apt configured?)');
  return match[1];
}

function apt(args, cwd, log) {
  const sudo = process.getuid?.() === 0 ? [] : ['sudo'];
  const [cmd, ...rest] = [...sudo, 'apt-get', ...args];
  const result = spawnSync(cmd, rest, { cwd, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (result.status !== 0) {
    log(result.stderr);
    throw new Error(`guest-assets: apt-get ${args[0]} failed`);
  }
}

/**
 * A gzipped initramfs: busybox-static from `extracted` (the unpacked Debian
 * packages), `init` as /init, and the kernel modules `modules` (loaded by
 * /init in that order, listed in /etc/virt-modules).
 * @param {{ extracted: string, kernelVersion: string, modules: string[], init: Buffer }} spec
 */
export function buildInitramfs({ extracted, kernelVersion, modules, init }) {
  const found = findModules(join(extracted, 'lib', 'modules', kernelVersion, 'kernel'), modules);
  return gzipSync(cpioArchive(initramfsEntries(extracted, found, init)), { level: 6 });
}

/** Each wanted module's .ko file, found by name anywhere in the kernel's module tree. */
function findModules(root, wanted) {
  const found = new Map();
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, e.name);
      if (e.isDirectory()) walk(path);
      else if (e.name.endsWith('.ko')) found.set(e.name.slice(0, -3), path);
    }
  };
  walk(root);
  return wanted.map((name) => {
    const path = found.get(name);
    if (!path) throw new Error(`guest-assets: the kernel package has no module ${name}`);
    return { name, path };
  });
}

function initramfsEntries(extracted, modules, init) {
  return [
    ...['bin', 'dev', 'etc', 'lib', 'lib/modules', 'proc', 'sys', 'tmp'].map((path) => ({ path, kind: 'dir' })),
    { path: 'bin/busybox', kind: 'file', data: readFileSync(join(extracted, 'bin', 'busybox')), mode: 0o755 },
    { path: 'bin/sh', kind: 'symlink', target: 'busybox' },
    { path: 'init', kind: 'file', data: init, mode: 0o755 },
    { path: 'etc/virt-modules', kind: 'file', data: Buffer.from(`${modules.map((m) => m.name).join('\n')}\n`) },
    ...modules.map((m) => ({ path: `lib/modules/${m.name}.ko`, kind: 'file', data: readFileSync(m.path) })),
  ];
}
