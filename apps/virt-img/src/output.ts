import { writeAllSync } from '@virt/launch';
import { isatty } from 'node:tty';

/** The name messages start with, where qemu-img prints "qemu-img: ". */
export const PROGRAM = 'virt-img';

/** How much standard output C stdio holds back when it does not go to a terminal. */
const STDIO_BUFFER = 4096;

/**
 * Where virt-img's text goes, written synchronously so that nothing is lost
 * at exit. As qemu-img's C stdio: standard error is unbuffered; standard
 * output is line-buffered on a terminal and otherwise held back in 4 KiB
 * blocks until flushed, so that under `2>&1` the lines interleave as
 * qemu-img's do (a driver's diagnostics before the summary printed earlier).
 */
export class Output {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private readonly holdBack: boolean;

  constructor(
    private readonly stdoutFd = 1,
    private readonly stderrFd = 2,
  ) {
    this.holdBack = !isatty(stdoutFd);
  }

  /** Normal output. */
  print(text: string): void {
    if (!this.holdBack) {
      writeAllSync(this.stdoutFd, text);
      return;
    }
    const bytes = Buffer.from(text);
    this.pending.push(bytes);
    this.pendingBytes += bytes.length;
    if (this.pendingBytes >= STDIO_BUFFER) {
      const all = Buffer.concat(this.pending);
      const whole = all.length - (all.length % STDIO_BUFFER);
      writeAllSync(this.stdoutFd, all.subarray(0, whole));
      this.pending = [all.subarray(whole)];
      this.pendingBytes = all.length - whole;
    }
  }

  /** Write what standard output holds back (fflush). */
  flush(): void {
    if (this.pendingBytes > 0) writeAllSync(this.stdoutFd, Buffer.concat(this.pending));
    this.pending = [];
    this.pendingBytes = 0;
  }

  /** "virt-img: <message>" on standard error (error_report). */
  error(message: string): void {
    this.printError(`${PROGRAM}: ${message}\n`);
  }

  /** "virt-img: warning: <message>" (warn_report). */
  warn(message: string): void {
    this.printError(`${PROGRAM}: warning: ${message}\n`);
  }

  /** Text for standard error as is: hints, and diagnostics drivers print without a prefix. */
  printError(text: string): void {
    writeAllSync(this.stderrFd, text);
  }
}
