import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const dist = fileURLToPath(new URL('./dist/', import.meta.url));

/** The built ELF of a guest program in programs/ (npm run build compiles them). */
export function guestProgram(name) {
  return join(dist, `${name}.elf`);
}
