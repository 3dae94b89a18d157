import type { Session } from '../shell/session.js';

/**
 * `--json` output: one JSON document, two-space indented, with the keys
 * documented in the README (snake_case, stable across releases).
 */
export function printJSON(session: Session, value: unknown): void {
  session.out.print(`${JSON.stringify(value, null, 2)}\n`);
}
