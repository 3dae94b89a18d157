import { writeSync } from 'node:fs';

/**
 * Where a command's text goes. virsh writes stdout and stderr in program
 * order (flushing between them), so we write both synchronously: output
 * stays ordered under `2>&1` and nothing is lost when the process exits.
 */
export interface Output {
  /** --quiet: decorative output and table headers are left out. */
  readonly quiet: boolean;
  /** Normal output (vshPrint). */
  print(text: string): void;
  /** Decorative output suppressed by --quiet (vshPrintExtra). */
  printExtra(text: string): void;
  /** An error line: "error: <message>" on stderr (vshError). */
  error(message: string): void;
  /** Text for standard error as is (diagnostics libvirt's libraries print themselves). */
  printStderr(text: string): void;
}

function writeAll(fd: number, text: string): void {
  let buf = Buffer.from(text, 'utf8');
  while (buf.length > 0) {
    try {
      const n = writeSync(fd, buf);
      buf = buf.subarray(n);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') {
        // a non-blocking pipe is full: wait for the reader briefly
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2);
        continue;
      }
      if (code === 'EPIPE') return;
      throw err;
    }
  }
}

export class ConsoleOutput implements Output {
  quiet = false;

  print(text: string): void {
    writeAll(1, text);
  }

  printExtra(text: string): void {
    if (!this.quiet) writeAll(1, text);
  }

  error(message: string): void {
    writeAll(2, `error: ${message}\n`);
  }

  printStderr(text: string): void {
    writeAll(2, text);
  }
}

/** Collects output in memory: for tests and for the JSON renderers. */
export class BufferOutput implements Output {
  quiet = false;
  stdout = '';
  stderr = '';

  print(text: string): void {
    this.stdout += text;
  }

  printExtra(text: string): void {
    if (!this.quiet) this.stdout += text;
  }

  error(message: string): void {
    this.stderr += `error: ${message}\n`;
  }

  printStderr(text: string): void {
    this.stderr += text;
  }
}
