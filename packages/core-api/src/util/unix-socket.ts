import { existsSync, unlinkSync } from 'node:fs';
import type { Server } from 'node:net';

/** Listen on a unix socket at `path`, replacing a socket file a dead process left there. */
export function listenOnUnixSocket(server: Server, path: string): Promise<void> {
  if (existsSync(path)) unlinkSync(path);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => resolve());
  });
}
