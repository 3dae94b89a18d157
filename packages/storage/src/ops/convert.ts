import type { BlockDevice } from '../block/device.js';
import { OrderedTurns } from '../block/ordered-turns.js';
import { TaskPool } from '../block/task-pool.js';
import { invalidArgument } from '../errors.js';
import { isZero } from '../io/zeros.js';
import { BufferPool } from './buffer-pool.js';
import { IO_CHUNK, SECTOR } from './chunks.js';
import { Concatenation } from './concatenation.js';
import { during } from './failure.js';
import { dataOrSparse, SectorMap } from './sparse.js';

export interface ConvertOptions {
  /**
   * -S: zero runs of data at least this many bytes long are not written
   * (a multiple of 512, default 4096); 0 writes every byte, zeros included,
   * so that the target is fully allocated.
   */
  sparseSize?: number;
  /** The target reads as zeros already (a new image without a backing file): zeros need no writing. */
  targetIsZero?: boolean;
  /** The target has a backing file (-B): what a source's own top layer does not hold is left to it. */
  targetHasBacking?: boolean;
  /**
   * The size of the target's backing file: past it the target reads as
   * zeros already, so zeros there are left unallocated, as qemu-img does.
   */
  targetBackingSize?: number;
  /** -c: write whole clusters compressed (target.writeCompressed). */
  compress?: boolean;
  /** -m: requests in flight (default 8). */
  parallel?: number;
  /** -W: let writes complete in any order (default: in disk order). */
  outOfOrder?: boolean;
  /** Called as the copy advances, with the percentage done. */
  onProgress?: (percent: number) => void;
}

/** What one piece of the disk asks of the target. */
type PieceKind = 'data' | 'zero' | 'backing';

interface Piece {
  pos: number;
  length: number;
  kind: PieceKind;
}

/**
 * Copy the sources, one after another, into `target` (qemu-img convert):
 * the sources' block status decides what is read; zero ranges are skipped
 * or written as zeros, data is scanned for sparse runs. Up to `parallel`
 * pieces of at most 2 MiB are in flight, so memory stays bounded whatever
 * the size; compression runs on the thread pool, several clusters at once.
 */
export async function convert(sources: readonly BlockDevice[], target: BlockDevice, options: ConvertOptions = {}): Promise<void> {
  const disk = new Concatenation(sources);
  if (target.size < disk.size) throw invalidArgument('output file is smaller than input file');
  if (options.compress && !target.writeCompressed) throw invalidArgument('Compression not supported for this file format');
  const sparse = options.sparseSize ?? 4096;
  const unit = options.compress ? (target.clusterSize ?? 65536) : IO_CHUNK;
  const copier = new PieceCopier(disk, target, options, sparse);

  let total = 0;
  if (options.onProgress) {
    for await (const piece of pieces(disk, unit, options)) if (copier.reads(piece)) total += piece.length;
  }
  let done = 0;
  options.onProgress?.(0);
  const pool = new TaskPool(options.parallel ?? 8);
  for await (const piece of pieces(disk, unit, options)) {
    if (copier.reads(piece)) {
      done += piece.length;
      options.onProgress?.(total === 0 ? 100 : (done / total) * 100);
    }
    await pool.add(copier.task(piece));
  }
  await pool.drain();
  options.onProgress?.(100);
  await during('error while flushing the output image', () => target.flush());
}

/** The disk cut into pieces that are all data, all zero or all left to the backing file. */
async function* pieces(disk: Concatenation, unit: number, options: ConvertOptions): AsyncGenerator<Piece> {
  for (let pos = 0; pos < disk.size; ) {
    // compressed clusters are written whole: one piece per cluster
    let limit = Math.min(disk.size, options.compress ? Math.floor(pos / unit) * unit + unit : pos + unit);
    const backingEnd = options.targetHasBacking ? options.targetBackingSize : undefined;
    if (backingEnd !== undefined && pos < backingEnd) limit = Math.min(limit, backingEnd);
    const status = await during(`error while reading block status at offset ${disk.locate(pos).offset}`, () => disk.status(pos, limit - pos));
    let kind: PieceKind;
    if (options.targetHasBacking && (status.depth > 0 || !status.present)) kind = 'backing';
    else if (status.zero && backingEnd !== undefined && pos >= backingEnd) kind = 'backing';
    else if (status.zero) kind = 'zero';
    else kind = 'data';
    // a cluster only partly zero or unallocated is read and compressed whole
    const length = options.compress && status.length < limit - pos ? limit - pos : status.length;
    if (options.compress && length !== status.length) kind = 'data';
    yield { pos, length, kind };
    pos += length;
  }
}

/** Copies pieces: reads side by side, writes in turn (unless out of order). */
class PieceCopier {
  private readonly turns = new OrderedTurns();
  private readonly alignment: number;
  /** Pieces are at most IO_CHUNK (a cluster when compressing), one buffer per piece in flight. */
  private readonly buffers = new BufferPool(IO_CHUNK);

  constructor(
    private readonly disk: Concatenation,
    private readonly target: BlockDevice,
    private readonly options: ConvertOptions,
    private readonly sparse: number,
  ) {
    // writes of data start and end on this many sectors where they can
    this.alignment = sparse === 0 ? 1 : 2 ** Math.floor(Math.log2(sparse / SECTOR));
  }

  /** Whether a piece is read (and so counts for progress): data, and zeros that -S 0 writes out. */
  reads(piece: Piece): boolean {
    return piece.kind === 'data' || (piece.kind === 'zero' && this.sparse === 0);
  }

  task(piece: Piece): () => Promise<void> {
    return async () => {
      const turn = this.options.outOfOrder ? undefined : this.turns.take();
      let buf: Buffer | undefined;
      try {
        buf = this.reads(piece) ? await this.read(piece) : undefined;
        // where the zeros are, found before this piece's turn comes (side by side with other pieces');
        // a compressed piece is one cluster, written whole unless it is all zeros
        const map = buf && this.sparse > 0 && !this.options.compress ? await SectorMap.of(buf) : undefined;
        await turn?.wait;
        // the target takes requests in the order they are made (its allocations follow it): once
        // this piece has made its own, the next may make theirs while these are still under way
        const writes = this.options.compress && buf ? [this.writeCompressed(piece.pos, buf)] : this.writes(piece, buf, map);
        turn?.pass();
        await allSettled(writes);
      } finally {
        turn?.pass();
        if (buf) this.buffers.give(buf);
      }
    };
  }

  private async read(piece: Piece): Promise<Buffer> {
    const buf = this.buffers.take(piece.length);
    if (piece.kind === 'zero') return buf.fill(0);
    await during(`error while reading at byte ${piece.pos}`, () => this.disk.read(piece.pos, buf));
    return buf;
  }

  private async writeCompressed(pos: number, buf: Buffer): Promise<void> {
    if (this.sparse > 0 && isZero(buf)) return this.writeZeroes(pos, buf.length);
    await during(`error while writing at byte ${pos}`, () => this.target.writeCompressed!(pos, buf));
  }

  /** Start the writes a piece needs: one per run of data or zeros. */
  private writes(piece: Piece, buf: Buffer | undefined, map: SectorMap | undefined): Promise<void>[] {
    if (piece.kind === 'backing') return [];
    if (!buf) return [this.writeZeroes(piece.pos, piece.length)];
    if (!map) return [this.writeData(piece.pos, buf)];
    const writes: Promise<void>[] = [];
    const count = Math.ceil(buf.length / SECTOR);
    for (let sector = 0; sector < count; ) {
      const run = dataOrSparse(map, sector, count - sector, piece.pos / SECTOR + sector, this.sparse / SECTOR, this.alignment);
      const at = sector * SECTOR;
      const part = buf.subarray(at, Math.min(buf.length, at + run.sectors * SECTOR));
      writes.push(run.data ? this.writeData(piece.pos + at, part) : this.writeZeroes(piece.pos + at, part.length));
      sector += run.sectors;
    }
    return writes;
  }

  private async writeData(pos: number, buf: Buffer): Promise<void> {
    await during(`error while writing at byte ${pos}`, () => this.target.write(pos, buf));
  }

  private async writeZeroes(pos: number, length: number): Promise<void> {
    if (this.options.targetIsZero && this.sparse > 0) return;
    await during(`error while writing at byte ${pos}`, () => this.target.writeZeroes(pos, length, { mayUnmap: true }));
  }
}

/** Wait for every one of `tasks` (they share a buffer that goes back to the pool after), then throw the first failure. */
async function allSettled(tasks: Promise<void>[]): Promise<void> {
  const failed = (await Promise.allSettled(tasks)).find((result) => result.status === 'rejected');
  if (failed) throw failed.reason;
}
