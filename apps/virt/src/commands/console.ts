import type { Domain } from '@virt/core-api';
import type { Session } from '../shell/session.js';

/**
 * Attach the terminal to a domain's console (virsh's cmdRunConsole). Needs
 * a terminal on standard input; Ctrl-] detaches.
 */
export async function runConsole(session: Session, dom: Domain, device?: string): Promise<void> {
  if (!process.stdin.isTTY) return session.fail('Cannot run interactive console without a controlling TTY');
  const stream = await dom.openConsole(device);
  session.out.printExtra(`Connected to domain '${dom.getName()}'\nEscape character is ^] (Ctrl + ])\n`);
  await new Promise<void>((resolve, reject) => {
    const stdin = process.stdin;
    stdin.setRawMode(true);
    stdin.resume();
    const finish = (err?: Error): void => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onInput);
      stream.off('data', onOutput);
      stream.destroy();
      session.out.print('\n');
      if (err) reject(err);
      else resolve();
    };
    const onInput = (data: Buffer): void => {
      const escape = data.indexOf(0x1d);
      if (escape >= 0) {
        if (escape > 0) stream.write(data.subarray(0, escape));
        finish();
        return;
      }
      stream.write(data);
    };
    const onOutput = (data: Buffer): void => {
      process.stdout.write(data);
    };
    stdin.on('data', onInput);
    stream.on('data', onOutput);
    stream.once('end', () => finish());
    stream.once('error', (err: Error) => finish(err));
  });
}
