/**
 * The server side of QMP on a unix socket, as QEMU behaves: greet, insist
 * on qmp_capabilities first, dispatch commands to handlers in order per
 * client, and broadcast events to every negotiated client.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { listenOnUnixSocket } from '@virt/core-api';
import { lineSplitter, qmpTimestamp, type QmpCommand, type QmpErrorClass, type QmpEvent, type QmpGreeting } from './protocol.js';

/** What a handler throws to answer with a QMP error. */
export class QmpCommandError extends Error {
  constructor(
    readonly errorClass: QmpErrorClass,
    desc: string,
  ) {
    super(desc);
  }
}

export type QmpHandler = (args: Record<string, unknown>) => unknown;

export interface QmpServerOptions {
  version: QmpGreeting['QMP']['version'];
  commands: Record<string, QmpHandler>;
}

interface Client {
  socket: Socket;
  negotiated: boolean;
  /** Commands of one client run one after another, as QEMU's monitor does. */
  queue: Promise<void>;
}

export class QmpServer {
  private server: Server | undefined;
  private readonly clients = new Set<Client>();

  constructor(private readonly options: QmpServerOptions) {}

  listen(path: string): Promise<void> {
    this.server = createServer((socket) => this.accept(socket));
    return listenOnUnixSocket(this.server, path);
  }

  emit(event: string, data?: Record<string, unknown>): void {
    const message: QmpEvent = { event, ...(data ? { data } : {}), timestamp: qmpTimestamp() };
    const line = `${JSON.stringify(message)}\r\n`;
    for (const client of this.clients) if (client.negotiated) client.socket.write(line);
  }

  /** Stop listening and drop every client (after flushing what was written to them). */
  async close(): Promise<void> {
    for (const client of this.clients) client.socket.end();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private accept(socket: Socket): void {
    const client: Client = { socket, negotiated: false, queue: Promise.resolve() };
    this.clients.add(client);
    socket.on('close', () => this.clients.delete(client));
    socket.on('error', () => socket.destroy());
    const greeting: QmpGreeting = { QMP: { version: this.options.version, capabilities: ['oob'] } };
    socket.write(`${JSON.stringify(greeting)}\r\n`);
    const split = lineSplitter(
      (line) => (client.queue = client.queue.then(() => this.handle(client, line))),
      () => this.reply(client, { error: { class: 'GenericError', desc: 'JSON parse error, line too long' } }),
    );
    socket.on('data', split);
  }

  private async handle(client: Client, line: string): Promise<void> {
    let input: unknown;
    try {
      input = JSON.parse(line);
    } catch (err) {
      return this.reply(client, { error: { class: 'GenericError', desc: `JSON parse error, ${(err as Error).message}` } });
    }
    if (typeof input !== 'object' || input === null || Array.isArray(input)) {
      return this.reply(client, { error: { class: 'GenericError', desc: 'QMP input must be a JSON object' } });
    }
    const command = input as QmpCommand;
    const id = 'id' in command ? { id: command.id } : {};
    if (typeof command.execute !== 'string') {
      return this.reply(client, { error: { class: 'GenericError', desc: "QMP input lacks member 'execute'" }, ...id });
    }
    if (command.arguments !== undefined && (typeof command.arguments !== 'object' || command.arguments === null || Array.isArray(command.arguments))) {
      return this.reply(client, { error: { class: 'GenericError', desc: "QMP input member 'arguments' must be an object" }, ...id });
    }
    if (command.execute === 'qmp_capabilities') {
      if (client.negotiated) {
        return this.reply(client, { error: { class: 'CommandNotFound', desc: 'Capabilities negotiation is already complete, command ignored' }, ...id });
      }
      client.negotiated = true;
      return this.reply(client, { return: {}, ...id });
    }
    if (!client.negotiated) {
      return this.reply(client, { error: { class: 'CommandNotFound', desc: "Expecting capabilities negotiation with 'qmp_capabilities'" }, ...id });
    }
    const handler = Object.hasOwn(this.options.commands, command.execute) ? this.options.commands[command.execute] : undefined;
    if (!handler) return this.reply(client, { error: { class: 'CommandNotFound', desc: `The command ${command.execute} has not been found` }, ...id });
    try {
      const result = await handler(command.arguments ?? {});
      this.reply(client, { return: result ?? {}, ...id });
    } catch (err) {
      const errorClass = err instanceof QmpCommandError ? err.errorClass : 'GenericError';
      this.reply(client, { error: { class: errorClass, desc: (err as Error).message }, ...id });
    }
  }

  private reply(client: Client, message: object): void {
    if (!client.socket.destroyed) client.socket.write(`${JSON.stringify(message)}\r\n`);
  }
}
