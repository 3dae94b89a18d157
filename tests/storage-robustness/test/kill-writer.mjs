/*
 * The victim of the kill test: writes to an image through @virt/storage
 * until it is killed. Before each operation it logs "op <n> <kind> <offset>
 * <length>" and after each completed flush "flushed <n>" (all operations up
 * to n are durable), with synchronous writes to stdout so that what was
 * logged survives the kill. The data of operation n is derived from its
 * number, so the test can replay the log.
 */
import { writeSync } from 'node:fs';
import { openImage } from '@virt/storage';
import { pattern } from './pattern.mjs';

const [path, format, opsSpec] = process.argv.slice(2);
const kinds = opsSpec.split(',');

let state = 0x9e3779b9 ^ process.pid;
const random = (n) => {
  state = (Math.imul(state ^ (state >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
  return state % n;
};

const { device } = await openImage(path, { format });
const log = (line) => writeSync(1, `${line}\n`);
for (let n = 0; ; n++) {
  const kind = kinds[random(kinds.length)];
  const sector = 512;
  const length = (1 + random(256)) * sector;
  const offset = random(Math.floor((device.size - length) / sector)) * sector;
  log(`op ${n} ${kind} ${offset} ${length}`);
  if (kind === 'write') await device.write(offset, pattern(n, length));
  else if (kind === 'zero') await device.writeZeroes(offset, length, { mayUnmap: random(2) === 0 });
  else if (kind === 'discard') await device.discard(offset, length);
  if (n % 4 === 3) {
    await device.flush();
    log(`flushed ${n}`);
  }
}
