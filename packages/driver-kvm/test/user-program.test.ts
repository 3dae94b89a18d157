import { afterEach, describe, expect, it } from 'vitest';
import { runProgram } from './helpers.js';

const running: ReturnType<typeof runProgram>[] = [];
afterEach(() => running.splice(0).forEach((r) => r.close()));
const run = (...args: Parameters<typeof runProgram>) => {
  const r = runProgram(...args);
  running.push(r);
  return r;
};

describe('a user-mode guest program on /dev/kvm', () => {
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
