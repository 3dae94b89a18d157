/*
 * The victim of the kill test: writes to an image through @virt/storage
 * until it is killed. Before each operation it logs "op <n> <kind> <offset>
 * <length>" and after each completed flush "flushed <n>" (all operations up
 * to n are durable), with synchronous writes to stdout so that what was
 * logged survives the kill. The data of operation n is derived from its
 * number, so the test can replay the log. With "together", the four
 * operations between flushes are in flight at once, on ranges that share
 * no byte but often share clusters (within one 256 KiB window).
 */
import { writeSync } from 'node:fs';
import { openImage } from '@virt/storage';
import { pattern } from './pattern.mjs';

const [path, format, opsSpec, mode] = process.argv.slice(2);
const kinds = opsSpec.split(',');

let state = 0x9e3779b9 ^ process.pid;
const random = (n) => {
  state = (Math.imul(state ^ (state >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
  return state % n;
};

const { device } = await openImage(path, { format });
const log = (line) => writeSync(1, `${line}\n`);
const SECTOR = 512;

/** Start operation n (kind picked at random) on [offset, offset + length). */
function start(n, offset, length) {
  const kind = kinds[random(kinds.length)];
  log(`op ${n} ${kind} ${offset} ${length}`);
  if (kind === 'write') return device.write(offset, pattern(n, length));
  if (kind === 'zero') return device.writeZeroes(offset, length, { mayUnmap: random(2) === 0 });
  return device.discard(offset, length);
}

/** Four ranges, in sectors, sharing no byte, all within one 256 KiB window. */
function disjointRanges() {
  const window = 512;
  const base = random(device.size / SECTOR - window);
  const cuts = new Set();
  while (cuts.size < 8) cuts.add(random(window + 1));
  const sorted = [...cuts].sort((a, b) => a - b);
  return [0, 2, 4, 6].map((i) => ({ offset: (base + sorted[i]) * SECTOR, length: (sorted[i + 1] - sorted[i]) * SECTOR }));
}

for (let n = 0; ; n += 4) {
  if (mode === 'together') {
    await Promise.all(disjointRanges().map((range, i) => start(n + i, range.offset, range.length)));
  } else {
    for (let i = 0; i < 4; i++) {
      const length = (1 + random(256)) * SECTOR;
      await start(n + i, random(Math.floor((device.size - length) / SECTOR)) * SECTOR, length);
    }
  }
  await device.flush();
  log(`flushed ${n + 3}`);
}
