import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'storage-entry-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Users load the built package, not src/: both of its entry points must find the native addon
// (a 1 MiB qcow2 with 64 KiB clusters: the write allocates the first data cluster after its metadata).
const script = (load: string) => `
  ${load}
  const path = ${JSON.stringify(join(dir, 'x.img'))};
  await storage.createImage('qcow2', { path, size: 1 << 20 });
  const { device } = await storage.openImage(path);
  await device.write(4096, Buffer.alloc(512, 7));
  const status = await device.getStatus(0, 1 << 20);
  console.log(JSON.stringify({ status, checked: (await device.read(4096, 1))[0] }));
  await device.close();
`;

describe('the built package', () => {
  it.each([
    ['require (CommonJS)', "const storage = require('@virt/storage');", 'commonjs'],
    ['import (ES module)', "const storage = await import('@virt/storage');", 'module'],
  ])('works through %s', (_how, load, type) => {
    const wrapped = type === 'commonjs' ? `(async () => { ${script(load)} })()` : script(load);
    const out = execFileSync(process.execPath, [`--input-type=${type}`, '-e', wrapped], { cwd: __dirname, encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual({ status: expect.objectContaining({ data: true, length: 65536, offset: 327680 }), checked: 7 });
  });
});
