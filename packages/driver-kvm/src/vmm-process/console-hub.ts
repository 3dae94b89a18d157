/**
 * The guest's serial console on the host side: output goes to the log file,
 * an optional <serial type='file'> file and every attached client; input
 * from clients goes to the serial port, held back while its FIFO is full.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { listenOnUnixSocket } from '@virt/core-api';
import type { Machine } from '../vmm/machine.js';

/** How often to offer input again while the guest's receive FIFO is full. */
const INPUT_RETRY_MS = 5;

export class ConsoleHub {
  private server: Server | undefined;
  private readonly clients = new Set<Socket>();
  private readonly files: WriteStream[];
  private machine: Machine | undefined;
  private output: Socket | undefined;

  constructor(logFile: string, serialFile?: string) {
    this.files = [logFile, ...(serialFile ? [serialFile] : [])].map((path) => createWriteStream(path, { flags: 'a' }));
  }

  listen(path: string): Promise<void> {
    this.server = createServer((socket) => this.accept(socket));
    return listenOnUnixSocket(this.server, path);
  }

  /** Follow a (new) machine's serial port: after a reboot the console carries on. */
  attach(machine: Machine): void {
    this.output?.destroy();
    this.machine = machine;
    this.output = machine.serialOutput();
    this.output.on('data', (chunk: Buffer) => {
      for (const file of this.files) file.write(chunk);
      for (const client of this.clients) client.write(chunk);
    });
  }

  async close(): Promise<void> {
    this.output?.destroy();
    for (const client of this.clients) client.end();
    await Promise.all(this.files.map((f) => new Promise<void>((resolve) => f.end(() => resolve()))));
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private accept(socket: Socket): void {
    this.clients.add(socket);
    socket.on('close', () => this.clients.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.on('data', (chunk: Buffer) => this.input(socket, chunk));
  }

  private input(socket: Socket, chunk: Buffer): void {
    const machine = this.machine;
    if (!machine || machine.destroyed) return;
    const taken = machine.serialInput(chunk);
    if (taken === chunk.length) {
      socket.resume();
      return;
    }
    // nothing more is read from this client until the rest is in, so input keeps its order
    socket.pause();
    setTimeout(() => this.input(socket, chunk.subarray(taken)), INPUT_RETRY_MS);
  }
}
