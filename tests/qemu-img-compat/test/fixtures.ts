/*
 * The images every script starts from, made with QEMU's own tools so that
 * both sides read the same bytes: qemu-img creates them, qemu-io writes
 * patterns into them, and a few header and table fields are patched by
 * hand to break them in known ways. The raw and VMDK images are made here,
 * the qcow2 ones in qcow2-fixtures.ts.
 */
import { copyFileSync, mkdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { patch, run } from './fixture-tools.js';
import { buildQcow2Fixtures } from './qcow2-fixtures.js';

/** Build the fixture images in `dir` (which must exist and be empty). */
export function buildFixtures(dir: string): void {
  const img = (...args: string[]): void => run(dir, 'qemu-img', args);
  const io = (file: string, ...commands: string[]): void => run(dir, 'qemu-io', ['-f', file.endsWith('.raw') || file.endsWith('.img') ? 'raw' : file.endsWith('.vmdk') ? 'vmdk' : 'qcow2', ...commands.flatMap((c) => ['-c', c]), file]);
  const at = (name: string): string => join(dir, name);

  // ---- raw ----
  img('create', '-q', 'raw.img', '1G');
  img('create', '-q', '-f', 'raw', 'data.raw', '2M');
  io('data.raw', 'write -P 0x11 0 1M');
  copyFileSync(at('data.raw'), at('diff.raw'));
  patch(at('diff.raw'), 12345, 1, 0x99n);
  img('create', '-q', '-f', 'raw', 'bigger.raw', '3M');
  io('bigger.raw', 'write -P 0x11 0 1M');
  img('create', '-q', '-f', 'raw', 'tail.raw', '3M');
  io('tail.raw', 'write -P 0x11 0 1M', 'write -P 0x22 2621440 1');
  // data with holes and explicit zeros inside an allocated 128 KiB region (convert -S)
  img('create', '-q', '-f', 'raw', 'sparse.raw', '1M');
  io('sparse.raw', 'write -P 0 0 128k', 'write -P 0x33 0 4k', 'write -P 0x33 8k 4k', 'write -P 0x33 20k 4k', 'write -P 0x33 96k 512');
  img('create', '-q', '-f', 'raw', 'full.raw', '4M');
  io('full.raw', 'write -P 0x5a 0 4M');
  img('create', '-q', '-f', 'raw', 'p.raw', '1M');
  writeFileSync(at('odd.raw'), Buffer.alloc(1000, 7));
  writeFileSync(at('empty.raw'), '');
  mkdirSync(at('sub'));
  img('create', '-q', '-f', 'raw', 'sub/s.raw', '64k');
  // a raw file whose first bytes look like a format virt-img does not read
  writeFileSync(at('vhdx.raw'), Buffer.concat([Buffer.from('vhdxfile'), Buffer.alloc(65536 - 8)]));
  truncateSync(at('vhdx.raw'), 65536);

  // ---- vmdk ----
  for (const subformat of ['monolithicSparse', 'monolithicFlat', 'streamOptimized', 'twoGbMaxExtentSparse', 'twoGbMaxExtentFlat']) {
    img('create', '-q', '-f', 'vmdk', '-o', `subformat=${subformat}`, `${subformat}.vmdk`, '5G');
  }
  img('convert', '-O', 'vmdk', 'data.raw', 'data.vmdk');
  img('convert', '-O', 'vmdk', '-o', 'subformat=streamOptimized', 'data.raw', 'so.vmdk');
  img('convert', '-O', 'vmdk', '-o', 'subformat=monolithicFlat', 'data.raw', 'flat.vmdk');
  // broken VMDKs: cut short, a descriptor naming an unknown type, a flat extent gone
  copyFileSync(at('data.vmdk'), at('short.vmdk'));
  truncateSync(at('short.vmdk'), 1000);
  copyFileSync(at('data.vmdk'), at('cut.vmdk'));
  truncateSync(at('cut.vmdk'), 70000);
  img('create', '-q', '-f', 'vmdk', '-o', 'subformat=monolithicFlat', 'noextent.vmdk', '1M');
  rmSync(at('noextent-flat.vmdk'));
  writeFileSync(at('badtype.vmdk'), readFileSync(at('noextent.vmdk'), 'utf8').replace('createType="monolithicFlat"', 'createType="bogusType"'));
  writeFileSync(at('version.txt'), 'version=1\n');

  buildQcow2Fixtures(dir);
}
