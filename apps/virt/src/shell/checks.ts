import type { ParsedCommand } from './parsed.js';
import type { Session } from './session.js';

/** virsh's VSH_EXCLUSIVE_OPTIONS: fail when both options are given. */
export function exclusive(session: Session, cmd: ParsedCommand, a: string, b: string): void {
  if (cmd.bool(a) && cmd.bool(b)) return session.fail(`Options --${a} and --${b} are mutually exclusive`);
}

/** virsh's VSH_REQUIRE_OPTION: `option` needs `needed`. */
export function requireOption(session: Session, cmd: ParsedCommand, option: string, needed: string): void {
  if (cmd.bool(option) && !cmd.bool(needed)) return session.fail(`Option --${needed} is required by option --${option}`);
}
