/*
 * The storage suite: virt-img beside qemu-img on the same machine in the
 * same run. Converting a 1 GiB raw image of half random data and half
 * zeros to qcow2, raw and vmdk, compressed qcow2 (zlib) and streamOptimized
 * vmdk, with both tools' default cache semantics (qemu-img convert writes
 * its destination with cache=unsafe: no flush); the peak memory of each;
 * and `info --backing-chain` on a qcow2 with a 5-deep backing chain.
 * Beside them, the floor: how long a C program that does nothing but the
 * copy takes (native/copy-floor.c), and so the least any Node.js program
 * can take once Node.js has started.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { printTable, type Row } from '../report.js';
import { formatMs } from '../stats.js';
import { measureTools, NODE, QEMU_IMG, VIRT_IMG, type ImageTool, type RunStats } from './processes.js';
import { writeBackingChain, writeHalfRandomSource } from './images.js';

const GiB = 1 << 30;
const MiB = 1 << 20;

const formatMiB = (bytes: number): string => `${(bytes / MiB).toFixed(0)} MiB`;

/** tools/bench/native/copy-floor.c, compiled into `dir`: the floor under any tool's convert -O raw. */
function copyFloor(dir: string): ImageTool {
  const binary = join(dir, 'copy-floor');
  const source = fileURLToPath(new URL('../native/copy-floor.c', import.meta.url));
  const cc = spawnSync('cc', ['-O2', '-pthread', '-o', binary, source], { encoding: 'utf8' });
  if (cc.status !== 0) throw new Error(`cc copy-floor.c failed: ${cc.stderr}`);
  return { name: 'copy floor', argv0: binary, prefix: [] };
}

export async function benchStorage(): Promise<void> {
  // on the same file system as the data the tools write, not a tmpfs
  const work = mkdtempSync(join(process.env.BENCH_DIR ?? '/var/tmp', 'virt-img-bench-'));
  try {
    const source = join(work, 'source.raw');
    writeHalfRandomSource(source, GiB);
    // the source's pages go to disk now, not under the first runs
    spawnSync('sync');
    const out = join(work, 'out.img');
    const timeFile = join(work, 'time.txt');
    const tools = [VIRT_IMG, QEMU_IMG];
    const row = (what: string, stats: Map<string, RunStats>): Row => {
      const [ours, peer] = [stats.get('virt-img')!, stats.get('qemu-img')!];
      return { what, ours: ours.wall, peer: peer.wall, extra: [formatMiB(ours.peakRss), formatMiB(peer.peakRss)] };
    };
    const convert = (what: string, args: string[], runs: number): Row =>
      row(what, measureTools(tools, ['convert', ...args, source, out], runs, timeFile, () => rmSync(out, { force: true })));

    const floor = copyFloor(work);
    const rawStats = measureTools([...tools, floor], ['convert', '-f', 'raw', '-O', 'raw', source, out], 7, timeFile, () => rmSync(out, { force: true }));
    const rows = [
      convert('convert -O qcow2', ['-f', 'raw', '-O', 'qcow2'], 7),
      row('convert -O raw', rawStats),
      convert('convert -O vmdk', ['-f', 'raw', '-O', 'vmdk'], 7),
      convert('convert -c -O qcow2 (zlib)', ['-f', 'raw', '-c', '-O', 'qcow2'], 2),
      convert('convert -O vmdk -o subformat=streamOptimized', ['-f', 'raw', '-O', 'vmdk', '-o', 'subformat=streamOptimized'], 2),
    ];
    const top = writeBackingChain(work, 5);
    rows.push(row('info --backing-chain, 5-deep qcow2 chain', measureTools(tools, ['info', '--backing-chain', top], 20, timeFile)));
    printTable('virt-img beside qemu-img: 1 GiB raw source, half random data, half zeros', ['virt-img', 'qemu-img'], rows, 'peak RSS');
    // the part of every virt-img row that is Node.js starting, which no change to virt-img can remove
    const node = measureTools([NODE], ['-e', '0'], 10, timeFile).get('node')!;
    console.log(`\nNode.js itself starts in ${formatMs(node.wall.median)} here (node -e 0, same run; peak RSS ${formatMiB(node.peakRss)}).`);
    const [floorMs, peer] = [rawStats.get(floor.name)!.wall.median, rawStats.get(QEMU_IMG.name)!.wall.median];
    const fastest = Math.min(floorMs, peer);
    const bound = fastest + node.wall.median;
    console.log(
      `The fastest native copy of this source here: ${formatMs(fastest)} (${floor.name}, a C program that only maps, scans and writes: ${formatMs(floorMs)}; ` +
        `qemu-img convert -O raw: ${formatMs(peer)}). A Node.js program starts Node.js first: none converts it in less than ${formatMs(bound)} here ` +
        `(${(bound / peer).toFixed(2)}× qemu-img).`,
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
