// The harness itself: inside, KVM is the hardware-style kvm-amd, this
// machine's files are there, writes go to the overlay only, and the
// command's output and exit status come back.
import { expect, it } from 'vitest';
import { runNested } from '../index.js';

it('runs a command where /dev/kvm is SVM, with the host root read-only under an overlay', async () => {
  const result = await runNested(
    [
      'test -c /dev/kvm && echo "kvm device"',
      'grep -qw svm /proc/cpuinfo && echo "svm cpu"',
      'test -d /sys/module/kvm_amd && echo "kvm_amd loaded"',
      'node -e "console.log(\'node\', process.version)"',
      'echo scratch > /etc/nested-kvm-scratch && cat /etc/nested-kvm-scratch',
      'exit 3',
    ].join('\n'),
    { timeoutMs: 280_000 },
  );
  expect(result.status, result.console.slice(-3000)).toBe(3);
  expect(result.output).toBe(`kvm device\nsvm cpu\nkvm_amd loaded\nnode ${process.version}\nscratch\n`);
}, 300_000);
