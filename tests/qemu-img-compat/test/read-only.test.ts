/*
 * Read-only commands never change an image. Every fixture, sound or
 * damaged, goes through the commands that only read it (writing their
 * results, if any, elsewhere), and afterwards every file of the fixture
 * folder holds the same bytes as before.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, expect, inject, it } from 'vitest';
import { execute, VIRT_IMG } from './compare.js';

const work = mkdtempSync(join(tmpdir(), 'virt-img-read-only-'));
const fixtures = join(work, 'fixtures');
const scratch = join(work, 'out');
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Files up to this size are compared by content; larger (sparse) ones by size and modification time, which any write changes. */
const HASHED = 64 << 20;

/** Every file below `dir`, by path relative to it: size, modification time in ns, and the SHA-256 of smaller files. */
function fingerprints(dir: string): Map<string, string> {
  const result = new Map<string, string>();
  const walk = (at: string): void => {
    for (const name of readdirSync(at)) {
      const path = join(at, name);
      const st = statSync(path, { bigint: true });
      if (st.isDirectory()) {
        walk(path);
        continue;
      }
      const hash = st.size <= HASHED ? createHash('sha256').update(readFileSync(path)).digest('hex') : '';
      result.set(relative(dir, path), `${st.size} ${st.mtimeNs} ${hash}`);
    }
  };
  walk(dir);
  return result;
}

const IMAGE = /\.(qcow2|vmdk|raw|img)$/;

/** The read-only commands run on one image; outputs go to the scratch folder. */
function commandsFor(image: string, n: number): string[][] {
  return [
    ['info', image],
    ['info', '--output=json', '--backing-chain', image],
    ['check', '--output=json', image],
    ['map', '--output=json', image],
    ['measure', '--output=json', '-O', 'qcow2', image],
    ['snapshot', '-l', image],
    ['compare', image, image],
    ['convert', '-O', 'qcow2', image, join(scratch, `${n}.qcow2`)],
    ['dd', `if=${image}`, `of=${join(scratch, `${n}.dd`)}`, 'bs=64k', 'count=4'],
  ];
}

it('leaves every image as it was', async () => {
  execFileSync('cp', ['-a', `${inject('fixtures')}/.`, fixtures]);
  execFileSync('mkdir', ['-p', scratch]);
  const before = fingerprints(fixtures);
  const images = [...before.keys()].filter((p) => IMAGE.test(p));
  expect(images.length).toBeGreaterThan(20);

  const runs = images.flatMap((image, n) => commandsFor(image, n));
  // four processes at a time: each is mostly Node starting
  const queue = [...runs];
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      for (let args = queue.shift(); args; args = queue.shift()) {
        const { code } = await execute(process.execPath, [VIRT_IMG, ...args], fixtures);
        expect(code, `virt-img ${args.join(' ')} did not finish`).not.toBe(-9);
      }
    }),
  );
  expect(fingerprints(fixtures)).toEqual(before);
}, 300_000);
