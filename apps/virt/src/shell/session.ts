import { Connect, resolveDefaultURI, VirtError } from '@virt/core-api';
import type { CommandTable } from './command.js';
import { DebugLevel, type Output } from './output.js';
import { CommandFailed, type ParsedCommand } from './parsed.js';

export interface SessionOptions {
  /** The URI from -c, if given. */
  uri?: string;
  readOnly?: boolean;
  interactive?: boolean;
  /** -t: print how long each command took. */
  timing?: boolean;
  /** -k: seconds between keepalive probes (0 turns keepalive off). */
  keepaliveInterval?: number;
  /** -K: unanswered probes before the connection counts as dead. */
  keepaliveCount?: number;
}

/** virsh's keepalive settings when -k and -K are not given. */
const KEEPALIVE_INTERVAL = 5;
const KEEPALIVE_COUNT = 6;

/**
 * One virt invocation: the connection (opened on first use, as virsh
 * delays connecting until a command needs it), the libvirt error waiting
 * to be reported, and the loop that runs parsed commands.
 */
export class Session {
  private conn: Connect | undefined;
  private uri: string | undefined;
  private readOnly: boolean;
  private lastError: VirtError | undefined;
  private quitting = false;
  readonly interactive: boolean;

  constructor(
    readonly commands: CommandTable,
    readonly out: Output,
    private readonly options: SessionOptions = {},
  ) {
    this.uri = options.uri;
    this.readOnly = options.readOnly ?? false;
    this.interactive = options.interactive ?? false;
  }

  get quitRequested(): boolean {
    return this.quitting;
  }

  quit(): void {
    this.quitting = true;
  }

  /** Remember a libvirt error for the end of the command (virsh's error handler). */
  record(err: VirtError): void {
    this.lastError = err;
  }

  /** Forget a libvirt error on a fallback path (vshResetLibvirtError). */
  resetError(): void {
    this.lastError = undefined;
  }

  error(message: string): void {
    this.out.error(message);
  }

  debug(level: DebugLevel, message: string): void {
    this.out.debug(level, message);
  }

  /**
   * Report an error line and fail the command. A libvirt error passed as
   * `cause` is printed after it when the command ends.
   */
  fail(message: string, cause?: unknown): never {
    if (cause !== undefined) this.absorb(cause);
    this.out.error(message);
    throw new CommandFailed();
  }

  /** Keep a VirtError as the pending libvirt error; rethrow anything else. */
  absorb(cause: unknown): void {
    if (cause instanceof VirtError) this.lastError = cause;
    else if (!(cause instanceof CommandFailed)) throw cause;
  }

  async connect(): Promise<Connect> {
    if (this.conn && !this.conn.isClosed) return this.conn;
    await this.open(this.uri, this.readOnly);
    return this.conn!;
  }

  /** The connection if one is open, without opening one. */
  get connection(): Connect | undefined {
    return this.conn;
  }

  async reconnect(uri: string | undefined, readOnly: boolean): Promise<void> {
    if (this.conn) {
      await this.conn.close();
      this.conn = undefined;
    }
    await this.open(uri ?? this.uri, readOnly);
    if (uri !== undefined) this.uri = uri;
  }

  private async open(uri: string | undefined, readOnly: boolean): Promise<void> {
    try {
      const conn = await Connect.open(resolveDefaultURI(uri), { readOnly });
      await this.setUpKeepAlive(conn);
      this.conn = conn;
      this.readOnly = readOnly;
    } catch (err) {
      this.fail('failed to connect to the hypervisor', err);
    }
  }

  /**
   * Ask for keepalive as virsh does on every connection: a failure (our
   * drivers run in-process and have none) is only a debug message, unless
   * -k or -K asked for keepalive explicitly, which makes the connection fail.
   */
  private async setUpKeepAlive(conn: Connect): Promise<void> {
    const { keepaliveInterval, keepaliveCount } = this.options;
    const interval = keepaliveInterval ?? KEEPALIVE_INTERVAL;
    if (interval <= 0) return;
    try {
      await conn.setKeepAlive(interval, keepaliveCount ?? KEEPALIVE_COUNT);
    } catch (err) {
      if (!(err instanceof VirtError)) throw err;
      if (keepaliveInterval !== undefined || keepaliveCount !== undefined) {
        this.out.error('Cannot setup keepalive on connection as requested, disconnecting');
        await conn.close();
        throw err;
      }
      this.debug(DebugLevel.INFO, 'Failed to setup keepalive on connection');
    }
  }

  /** Print the pending libvirt error, if any (vshReportError). */
  reportError(): void {
    if (this.lastError) this.out.error(this.lastError.message);
    this.lastError = undefined;
  }

  /**
   * Run commands in order (vshCommandRun): a failing command reports its
   * error and the next one still runs; the result is the last command's.
   * After each command a blank line is printed (suppressed by --quiet).
   */
  async run(commands: readonly ParsedCommand[]): Promise<boolean> {
    let ok = true;
    for (const cmd of commands) {
      const started = process.hrtime.bigint();
      ok = await this.runOne(cmd);
      const elapsed = process.hrtime.bigint() - started;
      if (!ok) this.reportError();
      if (cmd.def.name === 'quit' || cmd.def.name === 'exit') return ok;
      if (this.options.timing) this.out.print(`\n(Time: ${(Number(elapsed) / 1e6).toFixed(3)} ms)\n\n`);
      else this.out.printExtra('\n');
    }
    return ok;
  }

  private async runOne(cmd: ParsedCommand): Promise<boolean> {
    try {
      if (!cmd.def.noConnect) await this.connect();
      const handler = await cmd.def.load();
      return await handler(this, cmd);
    } catch (err) {
      this.absorb(err);
      return false;
    }
  }

  async close(): Promise<void> {
    await this.conn?.close();
    this.conn = undefined;
  }
}
