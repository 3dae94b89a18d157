// The 64-bit boot protocol's hand-over, checked by a stand-in kernel: a
// bzImage whose 64-bit entry prints the command line it finds through RSI
// (boot_params.cmd_line_ptr) and resets. A few instructions at CPL0, so it
// is quick even on PVM.
import { afterEach, describe, expect, it } from 'vitest';
import { bootLinux, Machine, parseBzImage, type GuestEvent } from '../src/index.js';
import { kvm, standInBzImage } from './helpers.js';

// mov ecx,[rsi+0x228]; l: mov al,[rcx]; test al,al; jz d; mov dx,0x3f8; out dx,al; inc rcx; jmp l; d: mov al,0xfe; out 0x64,al; hlt
const ENTRY_64 = Buffer.from('8b8e280200008a0184c0740a66baf803ee48ffc1ebf0b0fee664f4', 'hex');

let machine: Machine | undefined;
afterEach(() => machine?.destroy());

describe.runIf(kvm.available)('booting a bzImage', () => {
  it('enters the 64-bit entry in long mode with RSI at the zero page', async () => {
    machine = new Machine({ memory: 64 << 20, vcpus: 2 });
    bootLinux(machine, { kernel: parseBzImage(standInBzImage(ENTRY_64), '/stand-in'), kernelPath: '/stand-in', initrd: Buffer.alloc(8192, 1), initrdPath: '/initrd', cmdline: 'console=ttyS0 root=/dev/vda' });
    let output = '';
    const serial = machine.serialOutput();
    serial.on('data', (d: Buffer) => (output += d.toString('latin1')));
    const event = new Promise<GuestEvent>((resolve) => machine!.once('guest-event', resolve));
    machine.start();
    expect(await event).toMatchObject({ kind: 'reset', vcpu: 0 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    serial.destroy();
    expect(output).toBe('console=ttyS0 root=/dev/vda');
    // the initrd sits page-aligned at the top of RAM, as boot_params says
    const zeroPage = machine.readMemory(0x7000, 4096);
    const initrdAt = zeroPage.readUInt32LE(0x218);
    expect([initrdAt, zeroPage.readUInt32LE(0x21c)]).toEqual([(64 << 20) - 8192, 8192]);
    expect(machine.readMemory(initrdAt, 4)).toEqual(Buffer.alloc(4, 1));
    expect(machine.readMemory(0x9_fc00, 4).toString('latin1')).toBe('_MP_');
  });

  it('refuses a command line longer than the kernel takes', () => {
    machine = new Machine({ memory: 64 << 20, vcpus: 1 });
    const kernel = parseBzImage(standInBzImage(ENTRY_64), '/stand-in');
    expect(() => bootLinux(machine!, { kernel, kernelPath: '/stand-in', cmdline: 'x'.repeat(0x800) })).toThrow("the command line is longer than the kernel's 2047 bytes");
  });
});
