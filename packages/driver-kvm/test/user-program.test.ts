import { readFileSync } from 'node:fs';
import { guestProgram } from '@virt/guest-programs';
import { afterEach, describe, expect, it } from 'vitest';
import { kvm, runProgram } from './helpers.js';

const running: ReturnType<typeof runProgram>[] = [];
afterEach(() => running.splice(0).forEach((r) => r.close()));
const run = (...args: Parameters<typeof runProgram>) => {
  const r = runProgram(...args);
  running.push(r);
  return r;
};

describe.runIf(kvm.available)('a user-mode guest program on /dev/kvm', () => {
  it('prints on the serial port and resets through the i8042', async () => {
    const r = run('hello');
    const event = await r.event;
    expect(event).toEqual({ kind: 'reset', vcpu: 0, detail: 'reset by the keyboard controller' });
    await r.waitFor('\n');
    expect(r.output()).toBe('hello from vCPU 0 of 1\n');
    expect(r.machine.state).toBe('guest-stopped');
  });

  it('runs every vCPU on its own thread', async () => {
    const r = run('hello', { vcpus: 4 });
    await r.event;
    const lines = (await r.waitFor((o) => o.split('\n').length === 5)).trim().split('\n').sort();
    expect(lines).toEqual([0, 1, 2, 3].map((i) => `hello from vCPU ${i} of 4`));
    const threads = new Set([0, 1, 2, 3].map((i) => r.machine.vcpuStats(i).threadId));
    expect(threads.size).toBe(4);
  });
});

describe.runIf(kvm.available)('the serial port and interrupts', () => {
  it('takes input through the receive interrupt of a CPL3 handler', async () => {
    const r = run('echo');
    await r.waitFor('ready\n');
    // one interrupt after another, each taken after the last has returned
    expect(r.machine.serialInput(Buffer.from('hello'))).toBe(5);
    await r.waitFor('HELLO');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(r.machine.serialInput(Buffer.from(', kvm'))).toBe(5);
    await r.waitFor('HELLO, KVM');
    await new Promise((resolve) => setTimeout(resolve, 50));
    r.machine.serialInput(Buffer.from('q'));
    expect(await r.event).toMatchObject({ kind: 'reset' });
    expect(await r.waitFor('bye\n')).toBe('ready\nHELLO, KVM\nbye\n');
  });
});

describe.runIf(kvm.available)('pause and resume', () => {
  it('stops every vCPU until resumed', async () => {
    const r = run('ticker');
    await r.waitFor('tick 3\n');
    r.machine.pause();
    expect(r.machine.state).toBe('paused');
    // what was already in the pipe arrives; then nothing more
    await new Promise((resolve) => setTimeout(resolve, 100));
    const paused = r.output();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(r.output()).toBe(paused);
    r.machine.resume();
    expect(r.machine.state).toBe('running');
    const last = Math.max(...[...paused.matchAll(/tick (\d+)\n/g)].map((m) => Number(m[1])));
    await r.waitFor(`tick ${last + 3}\n`);
    expect(() => r.machine.resume()).toThrow(/machine is running/);
  });
});

describe.runIf(kvm.available)('the native handle', () => {
  it('refuses what is not a machine, and a destroyed machine', async () => {
    const { native } = await import('../src/native.js');
    expect(() => native().machineState({} as never)).toThrow(expect.objectContaining({ name: 'VirtError', message: expect.stringMatching(/not a machine handle/) }));
    const r = run('hello');
    await r.event;
    r.machine.destroy();
    expect(() => r.machine.state).toThrow(/has been destroyed/);
    expect(() => r.machine.writeMemory(0x20_0000, Buffer.alloc(1))).toThrow(/has been destroyed/);
  });

  it('keeps guest memory access inside guest RAM', async () => {
    const r = run('hello');
    await r.event;
    expect(() => r.machine.writeMemory((64 << 20) - 2, Buffer.alloc(4))).toThrow(/is not in guest RAM/);
    expect(() => r.machine.readMemory(2 ** 52, 1)).toThrow(/is not in guest RAM/);
    expect(() => r.machine.readMemory(0, 2 ** 40)).toThrow(/at most 64 MiB/);
    expect(() => r.machine.readMemory(-1, 1)).toThrow(/non-negative integer/);
    expect(r.machine.readMemory(0x10_0000, 4)).toEqual(readFileSync(guestProgram('hello')).subarray(0x1000, 0x1004));
  });
});
