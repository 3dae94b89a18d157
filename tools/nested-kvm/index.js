/**
 * Run a command where /dev/kvm is hardware-style KVM. On a PVM host (see the
 * README) guest kernels cannot run at useful speed, but QEMU's TCG with
 * `-cpu max,+svm` gives its guest SVM and NPT: there Debian's kvm-amd
 * loads, and this machine's own build, reached over 9p, runs guests.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildInitramfs, guestAssets } from '@virt/guest-assets';

const here = dirname(fileURLToPath(import.meta.url));

/** KVM for SVM, the 9p root, the overlay on it, and TUN and bridges for network tests, in load order. */
export const HARNESS_MODULES = [
  'irqbypass', 'kvm', 'ccp', 'kvm-amd',
  'virtio_ring', 'virtio', 'virtio_pci_legacy_dev', 'virtio_pci_modern_dev', 'virtio_pci',
  'netfs', 'fscache', '9pnet', '9pnet_virtio', '9p', 'overlay', 'tun', 'llc', 'stp', 'bridge',
];

const PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
let runs = 0;

/** The harness's initramfs, built next to the guest assets and reused while its sources are unchanged. */
export function harnessInitrd() {
  const assets = guestAssets();
  const initrd = join(dirname(assets.initrd), 'nested-kvm-initrd.img');
  const sources = [join(here, 'init.sh'), join(here, 'index.js'), assets.initrd];
  if (existsSync(initrd) && sources.every((f) => statSync(f).mtimeMs <= statSync(initrd).mtimeMs)) return { kernel: assets.kernel, initrd };
  writeFileSync(initrd, buildInitramfs({ extracted: assets.extracted, kernelVersion: assets.kernelVersion, modules: HARNESS_MODULES, init: readFileSync(join(here, 'init.sh')) }));
  return { kernel: assets.kernel, initrd };
}

/**
 * Run `command` (sh syntax) in the nested guest, in directory `cwd`.
 * Resolves with what it printed and its exit status (null when the guest
 * never reported one, with everything the console showed in `console`).
 * @param {string} command
 * @param {{ cwd?: string, memoryMiB?: number, timeoutMs?: number, onOutput?: (text: string) => void }} [options]
 */
export function runNested(command, options = {}) {
  const { kernel, initrd } = harnessInitrd();
  // the command goes in a file the guest reads over 9p: the kernel command line holds only 2 KiB
  // (not under /tmp, which the guest mounts afresh)
  const script = join(dirname(initrd), `run-${process.pid}-${runs++}.sh`);
  writeFileSync(script, `export PATH=${PATH} HOME=/root\ncd ${JSON.stringify(options.cwd ?? '/')} || exit 1\n${command}\n`);
  const args = [
    '-M', 'q35', '-accel', 'tcg', '-cpu', 'max,+svm', '-smp', '2', '-m', String(options.memoryMiB ?? 4096),
    '-nodefaults', '-nographic', '-no-reboot', '-serial', 'stdio',
    '-kernel', kernel, '-initrd', initrd,
    '-append', `console=ttyS0 quiet panic=-1 virt.run=${script}`,
    '-virtfs', 'local,path=/,mount_tag=host,security_model=none,readonly=on,multidevs=remap',
  ];
  return new Promise((resolve, reject) => {
    const qemu = spawn('qemu-system-x86_64', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let console = '';
    let stderr = '';
    qemu.stdout.on('data', (d) => {
      const text = d.toString('latin1');
      console += text;
      options.onOutput?.(text);
    });
    qemu.stderr.on('data', (d) => (stderr += d.toString()));
    const timer = setTimeout(() => qemu.kill('SIGKILL'), options.timeoutMs ?? 600_000);
    qemu.on('error', reject);
    qemu.on('exit', () => {
      clearTimeout(timer);
      rmSync(script, { force: true });
      const clean = console.replace(/\r/g, '');
      const start = clean.indexOf('nested-kvm: running\n');
      const end = /nested-kvm: exit (\d+)\n/.exec(clean);
      if (start < 0 || !end) return resolve({ output: '', status: null, console: `${clean}${stderr}` });
      resolve({ output: clean.slice(start + 'nested-kvm: running\n'.length, end.index), status: Number(end[1]), console: clean });
    });
  });
}
