import { closeSync, constants, openSync, writeSync } from 'node:fs';
import { DebugLevel } from './output.js';
import { PROGRAM } from './usage.js';

/*
 * O_SYNC, so that a line is on disk before the next step runs (a log is
 * most useful when the run it records crashes); O_APPEND, so that runs
 * sharing the file add to it. The mode is virsh's 0644, less the umask.
 */
const FLAGS = constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_SYNC;
const MODE = 0o644;

/** virsh writes NOTICE lines as INFO. */
const LEVEL_NAMES: Record<DebugLevel, string> = {
  [DebugLevel.DEBUG]: 'DEBUG',
  [DebugLevel.INFO]: 'INFO',
  [DebugLevel.NOTICE]: 'INFO',
  [DebugLevel.WARNING]: 'WARNING',
  [DebugLevel.ERROR]: 'ERROR',
};

const pad = (n: number): string => String(n).padStart(2, '0');

/** "YYYY.MM.DD HH:MM:SS" in local time. */
function timestamp(now: Date): string {
  const date = `${now.getFullYear()}.${pad(now.getMonth() + 1)}.${pad(now.getDate())}`;
  return `${date} ${pad(now.getHours())}:${pad(now.getMinutes())}:${pad(now.getSeconds())}`;
}

/**
 * The file of -l / VIRT_LOG_FILE: one line per debug message or error,
 * `[YYYY.MM.DD HH:MM:SS virt PID] LEVEL message`, as virsh writes them.
 */
export class LogFile {
  private constructor(private readonly fd: number) {}

  /** Open (creating) a log file for appending; throws when it cannot be opened. */
  static open(path: string): LogFile {
    return new LogFile(openSync(path, FLAGS, MODE));
  }

  /** Write one entry; throws when the write fails. */
  write(level: DebugLevel, message: string): void {
    // a message that brings its own line break gets no second one
    const text = message.endsWith('\n') ? message.slice(0, -1) : message;
    const line = Buffer.from(`[${timestamp(new Date())} ${PROGRAM} ${process.pid}] ${LEVEL_NAMES[level]} ${text}\n`, 'utf8');
    let done = 0;
    while (done < line.length) done += writeSync(this.fd, line, done);
  }

  close(): void {
    closeSync(this.fd);
  }
}
