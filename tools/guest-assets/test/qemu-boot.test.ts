// The guest assets against the real peer: QEMU (TCG) boots them to the
// ready marker, with a virtio disk and a virtio NIC that /init checks.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { guestAssets, READY_MARKER } from '../index.js';

const dir = mkdtempSync(join(tmpdir(), 'guest-assets-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('boots under QEMU to the ready marker, seeing its disk and network', () => {
  const { kernel, initrd } = guestAssets();
  const disk = join(dir, 'disk.raw');
  const image = Buffer.alloc(1 << 20);
  image.write('first sector of the test disk', 0);
  writeFileSync(disk, image);
  const result = spawnSync(
    'qemu-system-x86_64',
    [
      '-accel', 'tcg', '-cpu', 'max', '-m', '256', '-smp', '2', '-nodefaults', '-nographic', '-no-reboot', '-serial', 'stdio',
      '-kernel', kernel, '-initrd', initrd, '-append', 'console=ttyS0 panic=-1 quiet',
      '-drive', `file=${disk},format=raw,if=virtio`,
      '-netdev', 'user,id=n0', '-device', 'virtio-net-pci,netdev=n0,mac=52:54:00:12:34:56',
    ],
    { encoding: 'utf8', timeout: 120_000 },
  );
  const md5 = createHash('md5').update(image.subarray(0, 512)).digest('hex');
  expect(result.stdout).toMatch(/virt-guest: Linux \S+ up after [\d.]+ s, 2 CPU\(s\)/);
  expect(result.stdout).toContain(`virt-guest: disk vda 2048 sectors, first sector ${md5}`);
  expect(result.stdout).toContain('virt-guest: eth0 52:54:00:12:34:56');
  expect(result.stdout).toContain(READY_MARKER);
  expect(result.stdout).toContain('reboot: Power down');
}, 150_000);
