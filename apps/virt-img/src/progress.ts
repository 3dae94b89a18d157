import { isatty } from 'node:tty';
import type { Output } from './output.js';
import { formatFixed } from './format/printf.js';

/**
 * qemu-img's progress (-p): "    (xx.xx/100%)" and a carriage return on
 * standard output each time the value moves by more than the command's
 * step (and always at exactly 0 and 100), a newline at the end. The value
 * is a C float, as in qemu-img. Without -p nothing is shown, but SIGUSR1
 * prints the current value on standard error.
 */
export class Progress {
  private current = 0;
  private lastPrinted = 0;
  private readonly onSignal = (): void => this.out.printError(`    (${this.text()}/100%)\n`);

  constructor(
    private readonly out: Output,
    private readonly enabled: boolean,
    private readonly minStep: number,
  ) {
    if (!enabled) process.on('SIGUSR1', this.onSignal);
  }

  /**
   * The progress of a command run with -p (`requested`) and without -q: a
   * bar is drawn only when standard output is a terminal, as a log or a
   * pipe has no use for carriage returns.
   */
  static start(out: Output, requested: boolean, minStep: number): Progress {
    const progress = new Progress(out, requested && isatty(1), minStep);
    progress.set(0);
    return progress;
  }

  /** Set the progress to `percent` (0 to 100). */
  set(percent: number): void {
    this.update(Math.fround(percent));
  }

  /** The final newline (when shown). */
  end(): void {
    if (this.enabled) this.out.print('\n');
    else process.off('SIGUSR1', this.onSignal);
  }

  private update(value: number): void {
    const current = value > 100 ? 100 : value;
    this.current = current;
    const step = Math.fround(this.minStep);
    if (current > Math.fround(this.lastPrinted + step) || current < Math.fround(this.lastPrinted - step) || current === 100 || current === 0) {
      this.lastPrinted = current;
      if (this.enabled) {
        this.out.print(`    (${this.text()}/100%)\r`);
        this.out.flush();
      }
    }
  }

  private text(): string {
    return formatFixed(this.current, 2, 3);
  }
}
