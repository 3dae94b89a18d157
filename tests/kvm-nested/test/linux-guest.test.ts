// Tier 2 of the kvm driver's tests: on this machine kind /dev/kvm is PVM,
// where Linux cannot boot in useful time, so the driver runs inside a QEMU
// TCG guest with SVM, where KVM is hardware-style (tools/nested-kvm).
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { guestAssets, READY_MARKER } from '@virt/guest-assets';
import { runNested } from '@virt/nested-kvm';
import { expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const virt = join(root, 'apps', 'virt', 'bin', 'virt.cjs');

it('boots Debian\'s Linux with 2 vCPUs under our VMM to its ready marker', async () => {
  const { kernel, initrd } = guestAssets();
  const xml = `<domain type='kvm'><name>linux</name><memory unit='MiB'>256</memory><vcpu>2</vcpu>
    <os><type arch='x86_64'>hvm</type><kernel>${kernel}</kernel><initrd>${initrd}</initrd><cmdline>console=ttyS0 reboot=k panic=-1</cmdline></os>
    <devices><serial type='pty'/></devices></domain>`;
  const log = '/tmp/x/cache/virt/kvm/log/linux.log';
  const script = [
    'export XDG_CONFIG_HOME=/tmp/x/config XDG_RUNTIME_DIR=/tmp/x/run XDG_CACHE_HOME=/tmp/x/cache',
    'mkdir -p /tmp/x',
    `printf '%s' ${JSON.stringify(xml)} > /tmp/x/linux.xml`,
    `node -e "const {kvmHost}=require('${join(root, 'packages', 'driver-kvm', 'dist', 'index.cjs')}'); console.log('flavour', kvmHost().flavour)"`,
    `node ${virt} -c kvm:///session "create /tmp/x/linux.xml"`,
    `for i in $(seq 1 1800); do grep -q ${READY_MARKER} ${log} 2>/dev/null && break; sleep 0.1; done`,
    `grep '^virt-guest' ${log}`,
    // transient: once destroyed it is gone
    `node ${virt} -c kvm:///session "domstate linux --reason; destroy linux; list --all"`,
  ].join('\n');
  const result = await runNested(script, { timeoutMs: 500_000 });
  expect(result.status, result.console.slice(-4000)).toBe(0);
  expect(result.output).toContain('flavour svm');
  expect(result.output).toMatch(/virt-guest: Linux \S+ up after [\d.]+ s, 2 CPU\(s\)/);
  expect(result.output).toContain('virt-guest: no disk');
  // the guest's clock is the host's date, and Linux found our CMOS RTC
  expect(result.output).toContain(`virt-guest: clock ${new Date().toISOString().slice(0, 10)}, rtc rtc_cmos`);
  expect(result.output).toMatch(/running \(booted\)\s+Domain 'linux' destroyed\s+Id   Name   State\s+-+\s*$/);
}, 600_000);
