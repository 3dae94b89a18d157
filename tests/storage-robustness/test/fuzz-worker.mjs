/*
 * One fuzzing campaign on one seed image, in a worker thread so that the
 * test can stop it if it hangs. For each iteration: mutate the seed,
 * open the result and use it as a reader (and sometimes a writer) would.
 * Every failure must be a VirtError; anything else, or an allocation larger
 * than the cap, is reported with the iteration number so it can be
 * replayed.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { VirtError } from '@virt/core-api';
import { openImage } from '@virt/storage';

const { seed, iterations, firstIteration, workPath, allocationCap } = workerData;

// no buffer sized by an untrusted header: anything over the cap is a finding
for (const name of ['alloc', 'allocUnsafe', 'allocUnsafeSlow']) {
  const original = Buffer[name].bind(Buffer);
  Buffer[name] = (size, ...rest) => {
    if (size > allocationCap) throw new Error(`allocation of ${size} bytes`);
    return original(size, ...rest);
  };
}

/** mulberry32, as in random.ts (workers cannot import the TypeScript helper). */
function prng(seedValue) {
  let state = seedValue >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

const pristine = readFileSync(seed.path);
const INTERESTING = [0n, 1n, 0x7fn, 0x80n, 0xffn, 0x1ffn, 0x200n, 0xffffn, 0x10000n, 0x7fffffffn, 0x80000000n, 0xffffffffn, 1n << 62n, 1n << 63n, (1n << 64n) - 1n];

/**
 * Where damage hurts: the first KiB (headers, descriptors) and every
 * 8-byte word of the metadata area that holds something (table entries in
 * use). Most of a table cluster is unused zeros; damage there mostly tests
 * nothing.
 */
function hotWords() {
  const area = Math.min(pristine.length, seed.metadataBytes) & ~7;
  const words = [];
  for (let at = 0; at < area; at += 8) {
    if (at < 1024 || pristine.readBigUInt64BE(at) !== 0n) words.push(at);
  }
  return { area, words };
}
const { area, words } = hotWords();

/** An 8-byte-aligned offset to damage: mostly a hot word, sometimes anywhere in the metadata area. */
function target(random) {
  return random() % 4 === 0 ? (random() % (area / 8)) * 8 : words[random() % words.length];
}

/** Damage a copy of the seed: a random byte, or an interesting 64/32-bit value, at a word that matters. */
function mutate(random) {
  const buf = Buffer.from(pristine);
  const edits = 1 + (random() % 4);
  for (let i = 0; i < edits; i++) {
    const kind = random() % 3;
    const word = target(random);
    if (kind === 0) {
      buf[word + (random() % 8)] = random() & 0xff;
    } else {
      const value = INTERESTING[random() % INTERESTING.length] + BigInt(random() % 3) - 1n;
      if (kind === 1) buf.writeBigUInt64BE(BigInt.asUintN(64, value), word);
      else buf.writeUInt32BE(Number(BigInt.asUintN(32, value)), word + 4 * (random() % 2));
    }
  }
  // sometimes cut the file short too
  return random() % 8 === 0 ? buf.subarray(0, random() % buf.length) : buf;
}

const CHUNK = 256 * 1024;
const MAX_READ = 2 << 20;

/** Use an image the way readers do; write a little when asked. */
async function exercise(path, random, write) {
  const { device } = await openImage(path, { format: seed.format, readOnly: !write });
  try {
    await device.describe();
    let offset = 0;
    for (let steps = 0; offset < device.size && steps < 4096; steps++) {
      const status = await device.getStatus(offset, device.size - offset);
      if (!(status.length >= 1)) throw new Error(`getStatus returned length ${status.length}`);
      offset += status.length;
    }
    const buf = Buffer.allocUnsafe(CHUNK);
    const readable = Math.min(device.size, MAX_READ);
    for (let at = 0; at + CHUNK <= readable; at += CHUNK) await device.readInto(at, buf);
    if (device.size > CHUNK) await device.readInto(device.size - CHUNK, buf);
    if (write && device.size >= CHUNK) {
      const at = (random() % Math.floor(device.size / 4096)) * 4096;
      await device.write(Math.min(at, device.size - 4096), buf.subarray(0, 4096));
      await device.flush();
    }
    if (device.check) await device.check();
  } finally {
    await device.close();
  }
}

/** Damaged images that were still read to the end (the rest were refused with a VirtError). */
let survived = 0;
for (let i = firstIteration; i < firstIteration + iterations; i++) {
  const random = prng(seed.fuzzSeed * 1_000_003 + i);
  writeFileSync(workPath, mutate(random));
  parentPort.postMessage({ type: 'start', iteration: i });
  try {
    await exercise(workPath, random, workerData.writable && random() % 3 === 0);
    survived++;
  } catch (err) {
    if (!(err instanceof VirtError)) {
      parentPort.postMessage({ type: 'finding', iteration: i, error: String(err?.stack ?? err) });
    }
  }
}
parentPort.postMessage({ type: 'done', survived });
