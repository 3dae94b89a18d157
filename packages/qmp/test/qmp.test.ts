import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { QmpClient, QmpCommandError, QmpServer } from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'qmp-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function serve(commands: ConstructorParameters<typeof QmpServer>[0]['commands'] = {}) {
  const path = join(dir, `qmp-${cleanups.length}-${Math.random()}.sock`);
  const server = new QmpServer({ version: { qemu: { major: 0, minor: 1, micro: 0 }, package: 'test' }, commands });
  await server.listen(path);
  cleanups.push(() => server.close());
  return { server, path };
}

/** Talk raw lines to the server: what a client that is not ours would see. */
async function raw(path: string, lines: string[]): Promise<unknown[]> {
  const socket = connect(path);
  let buffer = '';
  socket.on('data', (d) => (buffer += d.toString()));
  for (const line of lines) socket.write(`${line}\n`);
  await new Promise((resolve) => setTimeout(resolve, 100));
  socket.destroy();
  return buffer.trim().split('\r\n').map((l) => JSON.parse(l));
}

describe('the QMP server', () => {
  it('greets, insists on negotiation, and answers as QEMU does', async () => {
    const { path } = await serve({ 'query-status': () => ({ status: 'running', singlestep: false, running: true }) });
    const replies = await raw(path, [
      '{"execute":"query-status"}',
      '{"execute":"qmp_capabilities","id":1}',
      '{"execute":"qmp_capabilities"}',
      '{"execute":"query-status","id":"x"}',
      '{"execute":"nope"}',
      'not json',
      '[1]',
      '{"arguments":{}}',
    ]);
    expect(replies).toEqual([
      { QMP: { version: { qemu: { major: 0, minor: 1, micro: 0 }, package: 'test' }, capabilities: ['oob'] } },
      { error: { class: 'CommandNotFound', desc: "Expecting capabilities negotiation with 'qmp_capabilities'" } },
      { return: {}, id: 1 },
      { error: { class: 'CommandNotFound', desc: 'Capabilities negotiation is already complete, command ignored' } },
      { return: { status: 'running', singlestep: false, running: true }, id: 'x' },
      { error: { class: 'CommandNotFound', desc: 'The command nope has not been found' } },
      { error: { class: 'GenericError', desc: expect.stringMatching(/^JSON parse error/) } },
      { error: { class: 'GenericError', desc: 'QMP input must be a JSON object' } },
      { error: { class: 'GenericError', desc: "QMP input lacks member 'execute'" } },
    ]);
  });
});

describe('the QMP client', () => {
  it('negotiates, runs commands in order, and receives events', async () => {
    const { server, path } = await serve({
      stop: async () => {
        await new Promise((resolve) => setTimeout(resolve, 20));
        server.emit('STOP');
      },
      fail: () => {
        throw new QmpCommandError('GenericError', 'it went wrong');
      },
    });
    const client = await QmpClient.connect(path);
    cleanups.push(() => client.close());
    const events: string[] = [];
    client.on('event', (e) => events.push(e.event));
    expect(await client.execute('stop')).toEqual({});
    await expect(client.execute('fail')).rejects.toMatchObject({ name: 'VirtError', message: "internal error: unable to execute QEMU command 'fail': it went wrong" });
    expect(events).toEqual(['STOP']);
    await server.close();
    await expect(client.execute('stop')).rejects.toThrow(/monitor connection closed/);
  });

  it('fails cleanly when nothing listens', async () => {
    await expect(QmpClient.connect(join(dir, 'absent.sock'))).rejects.toMatchObject({ message: expect.stringMatching(/failed to connect to monitor socket/) });
  });
});

const QEMU = '/usr/bin/qemu-system-x86_64';

describe.runIf(existsSync(QEMU))('against QEMU itself', () => {
  async function qemu(): Promise<string> {
    const path = join(dir, `qemu-${Math.random()}.sock`);
    const child = spawn(QEMU, ['-machine', 'none', '-nodefaults', '-display', 'none', '-qmp', `unix:${path},server=on,wait=off`], { stdio: 'ignore' });
    cleanups.push(() => child.kill('SIGKILL'));
    for (let i = 0; i < 100 && !existsSync(path); i++) await new Promise((resolve) => setTimeout(resolve, 50));
    return path;
  }

  it('our client negotiates with QEMU and runs commands', async () => {
    const client = await QmpClient.connect(await qemu());
    cleanups.push(() => client.close());
    expect(client.greeting?.QMP.version.qemu.major).toBeGreaterThanOrEqual(7);
    expect(await client.execute('query-status')).toEqual({ status: 'running', singlestep: false, running: true });
    await expect(client.execute('nope')).rejects.toThrow("unable to execute QEMU command 'nope': The command nope has not been found");
  });

  it('our server answers the protocol errors word for word as QEMU does', async () => {
    const lines = ['{"execute":"query-status"}', '{"execute":"qmp_capabilities"}', '{"execute":"qmp_capabilities"}', '{"execute":"nope"}', '[1]', '{"arguments":{}}'];
    const theirs = await raw(await qemu(), lines);
    const { path } = await serve();
    const ours = await raw(path, lines);
    expect(ours.slice(1)).toEqual(theirs.slice(1));
  });
});
