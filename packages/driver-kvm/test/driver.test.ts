import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import {
  Connect,
  DomainCreateFlags,
  DomainEventID,
  DomainPausedReason,
  DomainRunningReason,
  DomainShutoffReason,
  DomainState,
  registerDriver,
  type DomainEvent,
} from '@virt/core-api';
import { guestProgram } from '@virt/guest-programs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { kvmDriver } from '../src/index.js';
import { kvm } from './helpers.js';

// kvm:///session keeps its files under the XDG directories: a private set per run
const root = mkdtempSync(join(tmpdir(), 'kvm-driver-'));
for (const [name, dir] of [['XDG_CONFIG_HOME', 'config'], ['XDG_RUNTIME_DIR', 'run'], ['XDG_CACHE_HOME', 'cache']] as const) process.env[name] = join(root, dir);

const xml = (name: string, program: string, extra = '') => `
<domain type='kvm'>
  <name>${name}</name>
  <memory unit='MiB'>64</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64'>hvm</type><kernel>${guestProgram(program)}</kernel></os>
  ${extra}
  <devices><serial type='pty'/><console type='pty'/></devices>
</domain>`;

let conn: Connect;
beforeAll(async () => {
  registerDriver(kvmDriver);
  conn = await Connect.open('kvm:///session');
});
afterEach(async () => {
  for (const dom of await conn.listAllDomains(0)) {
    if (await dom.isActive()) await dom.destroy();
    if (await dom.isPersistent()) await dom.undefine();
  }
});
afterAll(async () => {
  await conn.close();
  rmSync(root, { recursive: true, force: true });
});

/** Everything the console prints from now on, and a way to wait for text in it. */
function consoleOf(stream: Duplex) {
  let text = '';
  stream.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
  return {
    text: () => text,
    waitFor: (want: string | RegExp, timeoutMs = 15_000) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`console still ${JSON.stringify(text)}`)), timeoutMs);
        const check = () => {
          if (typeof want === 'string' ? !text.includes(want) : !want.test(text)) return;
          clearTimeout(timer);
          stream.off('data', check);
          resolve();
        };
        stream.on('data', check);
        check();
      }),
  };
}

function lifecycleEvents() {
  const seen: string[] = [];
  const names = ['defined', 'undefined', 'started', 'suspended', 'resumed', 'stopped'];
  void conn.domainEventRegisterAny(null, DomainEventID.LIFECYCLE, (e: DomainEvent) => {
    if (e.id === DomainEventID.LIFECYCLE) seen.push(`${names[e.event]}/${e.detail}`);
  });
  void conn.domainEventRegisterAny(null, DomainEventID.REBOOT, () => seen.push('reboot'));
  return seen;
}

const until = async (check: () => Promise<boolean>, timeoutMs = 15_000) => {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await new Promise((r) => setTimeout(r, 20))) if (await check()) return;
  throw new Error('timed out');
};

describe.runIf(kvm.available)('kvm:///session', () => {
  it('defines, starts, pauses, resumes, talks on the console and destroys a domain', async () => {
    const events = lifecycleEvents();
    const dom = await conn.defineDomainXML(xml('echo', 'echo'));
    expect(await dom.getState()).toEqual({ state: DomainState.SHUTOFF, reason: 0 });
    // started paused, as `virt start --paused`: the console is attached before the guest prints
    await dom.createWithFlags(DomainCreateFlags.START_PAUSED);
    expect(dom.getID()).toBeGreaterThan(0);
    expect(await dom.getState()).toEqual({ state: DomainState.PAUSED, reason: DomainPausedReason.USER });
    const console = consoleOf(await dom.openConsole());
    await dom.resume();
    expect(await dom.getState()).toEqual({ state: DomainState.RUNNING, reason: DomainRunningReason.UNPAUSED });
    await console.waitFor('ready\n');

    await dom.suspend();
    expect(await dom.getState()).toEqual({ state: DomainState.PAUSED, reason: DomainPausedReason.USER });
    await dom.resume();

    const stream = await dom.openConsole();
    stream.write('kvm');
    await console.waitFor('KVM');
    // the guest ends by resetting; on_reboot is restart, so it boots again
    stream.write('q');
    await console.waitFor(/bye\nready\n$/);
    stream.destroy();
    expect(await dom.isActive()).toBe(true);

    await dom.destroy();
    expect(await dom.getState()).toEqual({ state: DomainState.SHUTOFF, reason: DomainShutoffReason.DESTROYED });
    // events are delivered from the event loop, after the call returns
    await until(async () => events.length === 8);
    expect(events).toEqual(['defined/0', 'started/0', 'suspended/0', 'resumed/0', 'suspended/0', 'resumed/0', 'reboot', 'stopped/1']);
  });

  it('follows on_reboot destroy: the guest resetting shuts a transient domain off for good', async () => {
    const events = lifecycleEvents();
    const dom = await conn.createDomainXML(xml('once', 'hello', '<on_reboot>destroy</on_reboot>'), 0);
    await until(async () => (await conn.listAllDomains(0)).length === 0);
    expect(events).toEqual(['started/0', 'stopped/0']);
    await expect(dom.getState()).rejects.toThrow(/Domain not found/);
  });

  it('is found again by another process, and a VMM that dies is a crash', async () => {
    const dom = await conn.defineDomainXML(xml('ticker', 'ticker'));
    await dom.create();
    const cli = join(__dirname, '..', '..', '..', 'apps', 'virt', 'bin', 'virt.cjs');
    const list = execFileSync(process.execPath, [cli, '-c', 'kvm:///session', 'list'], { encoding: 'utf8' });
    expect(list).toContain(` ${dom.getID()}    ticker   running`);
    const pid = Number(execFileSync('pgrep', ['-f', 'virt-kvm ticker'], { encoding: 'utf8' }).trim());
    process.kill(pid, 'SIGKILL');
    await until(async () => !(await dom.isActive()));
    expect(await dom.getState()).toEqual({ state: DomainState.SHUTOFF, reason: DomainShutoffReason.CRASHED });
  });

  it('refuses what it cannot honour, naming it', async () => {
    await expect(conn.defineDomainXML(xml('disky', 'hello').replace('<devices>', "<devices><disk type='file' device='disk'><source file='/x.img'/><target dev='vda' bus='virtio'/></disk>"))).rejects.toMatchObject({
      code: 67,
      message: 'unsupported configuration: <disk> is not supported yet',
    });
    await expect(conn.defineDomainXML(xml('firmware', 'hello').replace(/<kernel>.*<\/kernel>/, ''))).rejects.toThrow(/without <kernel>/);
    const notKernel = join(root, 'not-a-kernel');
    writeFileSync(notKernel, 'hello');
    const dom = await conn.defineDomainXML(xml('junk', 'hello').replace(/<kernel>.*<\/kernel>/, `<kernel>${notKernel}</kernel>`));
    await expect(dom.create()).rejects.toThrow(`cannot load kernel '${notKernel}': not a bzImage, a PVH ELF image or a @virt user-mode program`);
    expect(await dom.isActive()).toBe(false);
  });
});
