import { writeAllSync } from '@virt/launch';
import type { LogFile } from './log-file.js';

/** virsh's debug levels (-d): a debug message shows when its level is at least the chosen one. */
export enum DebugLevel {
  DEBUG = 0,
  INFO = 1,
  NOTICE = 2,
  WARNING = 3,
  ERROR = 4,
}

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
  /** An error line: "error: <message>" on stderr, and in the log file (vshError). */
  error(message: string): void;
  /** Text for standard error as is (diagnostics libvirt's libraries print themselves). */
  printStderr(text: string): void;
  /** A debug line (vshDebug): on stdout and in the log file, when `level` reaches the debug level. */
  debug(level: DebugLevel, message: string): void;
}

/** The debug level when neither -d nor the environment sets one. */
export const DEFAULT_DEBUG_LEVEL = DebugLevel.ERROR;

/** The common part of the outputs: --quiet, the debug level and the log file. */
abstract class BaseOutput implements Output {
  quiet = false;
  debugLevel = DEFAULT_DEBUG_LEVEL;
  private log: LogFile | undefined;

  protected abstract writeStdout(text: string): void;
  protected abstract writeStderr(text: string): void;

  /** Log from now on to `log` (or nowhere), closing the file used so far. */
  setLogFile(log: LogFile | undefined): void {
    this.log?.close();
    this.log = log;
  }

  print(text: string): void {
    this.writeStdout(text);
  }

  printExtra(text: string): void {
    if (!this.quiet) this.writeStdout(text);
  }

  error(message: string): void {
    this.writeLog(DebugLevel.ERROR, message);
    this.writeStderr(`error: ${message}\n`);
  }

  printStderr(text: string): void {
    this.writeStderr(text);
  }

  debug(level: DebugLevel, message: string): void {
    if (level < this.debugLevel) return;
    this.writeLog(level, message);
    this.writeStdout(`${message}\n`);
  }

  private writeLog(level: DebugLevel, message: string): void {
    if (!this.log) return;
    try {
      this.log.write(level, message);
    } catch {
      // as virsh: stop logging, and say so once
      this.setLogFile(undefined);
      this.error('failed to write the log file');
    }
  }
}


export class ConsoleOutput extends BaseOutput {
  protected writeStdout(text: string): void {
    writeAllSync(1, text);
  }

  protected writeStderr(text: string): void {
    writeAllSync(2, text);
  }
}

/** Collects output in memory: for tests and for the JSON renderers. */
export class BufferOutput extends BaseOutput {
  stdout = '';
  stderr = '';

  protected writeStdout(text: string): void {
    this.stdout += text;
  }

  protected writeStderr(text: string): void {
    this.stderr += text;
  }
}
