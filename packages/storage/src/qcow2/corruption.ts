import type { VirtError } from '@virt/core-api';
import { corruptImage, invalidOperation } from '../errors.js';

/**
 * What happens when I/O finds the image's metadata inconsistent, as QEMU
 * signals it: a writable image is marked corrupt (the header's corrupt
 * bit, so that QEMU refuses to write it until `qemu-img check -r` has run)
 * and refuses every further request; a read-only one just fails the
 * request. Either way the error names the file and the problem.
 */
export class Corruption {
  private reason: string | undefined;

  constructor(
    private readonly path: string,
    private readonly writable: () => boolean,
    private readonly markCorrupt: () => Promise<void>,
  ) {}

  /** The error for `problem`, after marking a writable image corrupt. */
  async signal(problem: string): Promise<VirtError> {
    if (!this.writable()) {
      return corruptImage(`'${this.path}': qcow2: Image is corrupt: ${problem}; further non-fatal corruption events will be suppressed`);
    }
    if (this.reason === undefined) {
      this.reason = problem;
      await this.markCorrupt();
    }
    return corruptImage(`'${this.path}': qcow2: Marking image as corrupt: ${problem}; further corruption events will be suppressed`);
  }

  /** Refuse requests once the image was found corrupt while open for writing. */
  checkUsable(): void {
    if (this.reason !== undefined) {
      throw invalidOperation(`'${this.path}': the image was marked corrupt (${this.reason}); run 'qemu-img check -r all' on it`);
    }
  }
}
