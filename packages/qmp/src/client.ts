/**
 * A QMP client on a unix socket: connects, checks the greeting, negotiates
 * capabilities, then runs commands one reply per command in order and
 * passes events on. Serves QEMU and @virt's own VMM alike.
 */
import { EventEmitter } from 'node:events';
import { connect, type Socket } from 'node:net';
import { ErrorCode, ErrorDomain, VirtError } from '@virt/core-api';
import { lineSplitter, type QmpEvent, type QmpGreeting } from './protocol.js';

interface Pending {
  command: string;
  resolve: (value: unknown) => void;
  reject: (err: Error) => void;
}

/** "internal error: unable to execute QEMU command 'cont': ..." as libvirt words a failed command. */
export function qmpCommandFailed(command: string, desc: string): VirtError {
  return VirtError.create(ErrorCode.INTERNAL_ERROR, ErrorDomain.QEMU, `unable to execute QEMU command '${command}': ${desc}`);
}

function monitorClosed(): VirtError {
  return VirtError.create(ErrorCode.OPERATION_FAILED, ErrorDomain.QEMU, 'monitor connection closed');
}

export class QmpClient extends EventEmitter<{ event: [QmpEvent]; close: [] }> {
  greeting: QmpGreeting | undefined;
  private readonly pending: Pending[] = [];
  private closed = false;
  private onGreeting: (() => void) | undefined;

  private constructor(private readonly socket: Socket) {
    super();
  }

  /** Connect to the monitor at `path` and negotiate capabilities. */
  static async connect(path: string, timeoutMs = 10_000): Promise<QmpClient> {
    const socket = connect(path);
    const client = new QmpClient(socket);
    const greeted = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(VirtError.create(ErrorCode.OPERATION_TIMEOUT, ErrorDomain.QEMU, `no QMP greeting on ${path}`)), timeoutMs);
      socket.once('error', (err) => {
        clearTimeout(timer);
        reject(VirtError.system(ErrorDomain.QEMU, `failed to connect to monitor socket '${path}'`, err));
      });
      client.onGreeting = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    socket.on(
      'data',
      lineSplitter(
        (line) => client.receive(line),
        () => client.fail(VirtError.create(ErrorCode.INTERNAL_ERROR, ErrorDomain.QEMU, 'QMP reply too long')),
      ),
    );
    socket.on('close', () => client.fail(monitorClosed()));
    socket.on('error', () => socket.destroy());
    try {
      await greeted;
      await client.execute('qmp_capabilities');
    } catch (err) {
      socket.destroy();
      throw err;
    }
    return client;
  }

  /** Run `command`; resolves with its "return" value. */
  execute<T = unknown>(command: string, args?: Record<string, unknown>): Promise<T> {
    if (this.closed) return Promise.reject(monitorClosed());
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ command, resolve: resolve as (value: unknown) => void, reject });
      this.socket.write(`${JSON.stringify(args ? { execute: command, arguments: args } : { execute: command })}\n`);
    });
  }

  close(): void {
    this.socket.destroy();
  }

  private receive(line: string): void {
    let message: Record<string, unknown>;
    try {
      message = JSON.parse(line) as Record<string, unknown>;
    } catch {
      return this.fail(VirtError.create(ErrorCode.INTERNAL_ERROR, ErrorDomain.QEMU, `cannot parse QMP reply: ${line.slice(0, 200)}`));
    }
    if ('QMP' in message) {
      this.greeting = message as unknown as QmpGreeting;
      this.onGreeting?.();
    } else if ('event' in message) {
      this.emit('event', message as unknown as QmpEvent);
    } else if ('return' in message || 'error' in message) {
      const waiting = this.pending.shift();
      if (!waiting) return;
      const error = message.error as { desc?: string } | undefined;
      if (error) waiting.reject(qmpCommandFailed(waiting.command, String(error.desc)));
      else waiting.resolve(message.return);
    }
  }

  private fail(err: Error): void {
    if (this.closed) return;
    this.closed = true;
    for (const waiting of this.pending.splice(0)) waiting.reject(err);
    this.socket.destroy();
    this.emit('close');
  }
}
