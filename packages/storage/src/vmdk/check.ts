import { SECTOR } from './constants.js';
import { requestFailed } from './io-errors.js';
import type { PlacedExtent } from './vmdk-image.js';

/**
 * QEMU's check of a VMDK: walk the disk a grain at a time (a flat extent
 * as one piece) and make sure that every allocated grain starts inside its
 * extent file. The first problem ends the check with QEMU's line on the
 * report and its error: "points after EOF" (Invalid argument), or an
 * entry that cannot be looked up (Operation not permitted). Runs of alike
 * grains are taken at once, so large images check quickly.
 */
export async function checkExtents(placed: readonly PlacedExtent[], size: number, report: (line: string) => void): Promise<void> {
  const fileLengths = new Map<PlacedExtent, number>();
  let index = 0;
  for (let sector = 0; sector * SECTOR < size; ) {
    while ((placed[index]?.start ?? 0) + (placed[index]?.extent.size ?? 0) <= sector * SECTOR) index++;
    const entry = placed[index];
    if (!entry) break;
    const { extent, start } = entry;
    let fileLength = fileLengths.get(entry);
    if (fileLength === undefined) {
      fileLength = await extent.file.size();
      fileLengths.set(entry, fileLength);
    }
    const offset = sector * SECTOR - start;
    const run = await extent.map(offset, extent.size - offset);
    // QEMU steps by the extent's grain (the whole extent when flat) from wherever it stands
    const steps = Math.ceil(run.length / extent.grainSize);
    if (run.kind === 'invalid') {
      report(`ERROR: could not get cluster_offset for sector ${sector}`);
      throw requestFailed('Check failed', 'EPERM');
    }
    if (run.kind === 'data' || run.kind === 'compressed') {
      const firstGrain = run.kind === 'data' ? run.fileOffset - (offset % extent.grainSize) : run.fileOffset;
      const pastEnd = firstGrain >= fileLength ? 0 : Math.ceil((fileLength - firstGrain) / extent.grainSize);
      if (pastEnd < steps) {
        report(`ERROR: cluster offset for sector ${sector + (pastEnd * extent.grainSize) / SECTOR} points after EOF`);
        throw requestFailed('Check failed', 'EINVAL');
      }
    }
    sector += (steps * extent.grainSize) / SECTOR;
  }
}
