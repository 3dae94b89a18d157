import type { ImageFile } from '../io/image-file.js';

/**
 * A host file under a qcow2 image (the image itself, or its external data
 * file), with its length tracked in memory and write barriers: `barrier()`
 * makes every write issued so far durable before the next one is issued,
 * and costs nothing when nothing was written since the last one.
 */
export class HostFile {
  private unsynced = false;
  /** The last sync started (settled or not). */
  private syncing: Promise<void> | undefined;

  private constructor(
    readonly file: ImageFile,
    private currentLength: number,
  ) {}

  static async open(file: ImageFile): Promise<HostFile> {
    return new HostFile(file, await file.size());
  }

  get path(): string {
    return this.file.path;
  }

  /** The file's length as this process last left it. */
  get length(): number {
    return this.currentLength;
  }

  /** Read bytes that may lie past the end of the file (they read as zeros, as in QEMU). */
  async readData(offset: number, buf: Buffer): Promise<void> {
    await this.file.read(offset, buf, 'zeros');
  }

  async write(offset: number, buf: Buffer): Promise<void> {
    if (buf.length === 0) return;
    await this.changing(() => this.file.write(offset, buf));
    this.currentLength = Math.max(this.currentLength, offset + buf.length);
  }

  /** Make the range read as zeros; false when the file system cannot do it without writing. */
  async zeroRange(offset: number, length: number, unmap: boolean): Promise<boolean> {
    if (length === 0) return true;
    const done = await this.changing(() => this.file.zeroRange(offset, length, unmap));
    // punching a hole keeps the size; zeroing a range past the end grows the file
    if (done && !unmap) this.currentLength = Math.max(this.currentLength, offset + length);
    return done;
  }

  async truncate(length: number): Promise<void> {
    await this.changing(() => this.file.truncate(length));
    this.currentLength = length;
  }

  async allocate(offset: number, length: number): Promise<void> {
    await this.changing(() => this.file.allocate(offset, length));
    this.currentLength = Math.max(this.currentLength, offset + length);
  }

  /**
   * Run a change to the file. It is unsynced from its start, and again
   * once it completes: a barrier that ran while it was under way (writes
   * run side by side) may not have covered it.
   */
  private async changing<T>(change: () => Promise<T>): Promise<T> {
    this.unsynced = true;
    try {
      return await change();
    } finally {
      this.unsynced = true;
    }
  }

  /** Let every write so far reach the disk before any later one. */
  async barrier(): Promise<void> {
    if (this.unsynced) {
      this.unsynced = false;
      this.syncing = this.file.flush().catch((err: unknown) => {
        // what it was to make durable may not be: the next barrier tries again
        this.unsynced = true;
        throw err;
      });
    }
    // a barrier already under way (started by another request) covers what was written before it
    await this.syncing;
  }

  async allocatedSize(): Promise<number> {
    return this.file.allocatedSize();
  }

  async close(): Promise<void> {
    await this.file.close();
  }
}
