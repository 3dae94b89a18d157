import type { VirtError } from '@virt/core-api';
import { corruptImage, invalidOperation } from '../errors.js';

/** Where corruption events go, when a program shows them itself (as QEMU prints them on stderr). */
let eventListener: ((line: string) => void) | undefined;

/**
 * Show qcow2 corruption events as they happen, one line each ("qcow2:
 * Image is corrupt: ..."); the failed request then fails with just
 * "Input/output error", as in QEMU. Without a listener the event's line
 * is the failed request's message, with the file's name.
 */
export function onCorruptionEvent(listener: ((line: string) => void) | undefined): void {
  eventListener = listener;
}

/** C's "%#x": 0x before a hexadecimal number, but a zero is just "0" (QEMU's corruption messages). */
export function alternateHex(n: number): string {
  return n === 0 ? '0' : `0x${n.toString(16)}`;
}

/**
 * What happens when I/O finds the image's metadata inconsistent, as QEMU
 * signals it: a writable image is marked corrupt (the header's corrupt
 * bit, so that QEMU refuses to write it until `qemu-img check -r` has run)
 * and refuses every further request; a read-only one just fails the
 * request. Only the first event of an image is reported, as in QEMU.
 */
export class Corruption {
  private reason: string | undefined;
  private reported = false;

  constructor(
    private readonly path: string,
    private readonly writable: () => boolean,
    private readonly markCorrupt: () => Promise<void>,
  ) {}

  /** The error for `problem`, after marking a writable image corrupt. */
  async signal(problem: string): Promise<VirtError> {
    let line: string;
    if (!this.writable()) {
      line = `qcow2: Image is corrupt: ${problem}; further non-fatal corruption events will be suppressed`;
    } else {
      if (this.reason === undefined) {
        this.reason = problem;
        await this.markCorrupt();
      }
      line = `qcow2: Marking image as corrupt: ${problem}; further corruption events will be suppressed`;
    }
    if (!eventListener) return corruptImage(`'${this.path}': ${line}`);
    if (!this.reported) eventListener(line);
    this.reported = true;
    return corruptImage('Input/output error');
  }

  /** Refuse requests once the image was found corrupt while open for writing. */
  checkUsable(): void {
    if (this.reason !== undefined) {
      throw invalidOperation(`'${this.path}': the image was marked corrupt (${this.reason}); run 'qemu-img check -r all' on it`);
    }
  }
}
