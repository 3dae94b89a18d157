import { readFileSync } from 'node:fs';
import { guestProgram } from '@virt/guest-programs';
import { bootUserProgram, kvmHost, Machine, parseElf, type GuestEvent, type MachineOptions } from '../src/index.js';

/** Whether this host can run guests: the tests that need /dev/kvm are skipped (and say so) without it. */
export const kvm = kvmHost();
if (!kvm.available) console.warn(`skipping the tests that run guests: ${kvm.reason}`);

/** A machine running guest program `name`, with its serial output collected. */
export function runProgram(name: string, options: Partial<MachineOptions> = {}) {
  const path = guestProgram(name);
  const machine = new Machine({ memory: 64 << 20, vcpus: 1, ...options });
  bootUserProgram(machine, parseElf(readFileSync(path), path), path);
  let output = '';
  const serial = machine.serialOutput();
  serial.setEncoding('latin1');
  serial.on('data', (chunk: string) => (output += chunk));
  const event = new Promise<GuestEvent>((resolve) => machine.once('guest-event', resolve));
  machine.start();
  return {
    machine,
    event,
    output: () => output,
    /** Resolves with the serial output once it contains `text` (or passes the test). */
    waitFor: (text: string | ((output: string) => boolean), timeoutMs = 15_000) =>
      new Promise<string>((resolve, reject) => {
        const done = typeof text === 'string' ? (o: string) => o.includes(text) : text;
        const timer = setTimeout(() => reject(new Error(`serial output still ${JSON.stringify(output)}`)), timeoutMs);
        const check = () => {
          if (!done(output)) return;
          clearTimeout(timer);
          serial.off('data', check);
          resolve(output);
        };
        serial.on('data', check);
        check();
      }),
    close: () => {
      if (!machine.destroyed) machine.destroy();
      serial.destroy();
    },
  };
}

/**
 * A minimal bzImage: one setup sector, boot protocol 2.15 with the 64-bit
 * entry, and `entry64` placed at the protected-mode kernel's 64-bit entry
 * (+0x200); `patch` edits the header afterwards.
 */
export function standInBzImage(entry64: Buffer = Buffer.alloc(0), patch: (image: Buffer) => void = () => undefined): Buffer {
  const image = Buffer.alloc(Math.max(4096, 1024 + 0x200 + entry64.length));
  image[0x1f1] = 1;
  image.writeUInt16LE(0xaa55, 0x1fe);
  image.write('HdrS', 0x202, 'latin1');
  image.writeUInt16LE(0x20f, 0x206);
  image[0x211] = 1;
  image.writeUInt32LE(0x7fff_ffff, 0x22c);
  image.writeUInt16LE(1, 0x236);
  image.writeUInt32LE(0x7ff, 0x238);
  entry64.copy(image, 1024 + 0x200);
  patch(image);
  return image;
}
