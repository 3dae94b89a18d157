import type { ParsedCommand } from './parsed.js';
import type { Session } from './session.js';

/**
 * Option kinds, as virsh has them:
 * - bool: a flag, `--name`;
 * - string / int: `--name value` (or positionally, unless `reqOpt`);
 * - data: a positional-first string (`[--name] <string>`);
 * - argv: takes every remaining positional argument;
 * - alias: another spelling of an option (`target`, or `target=value` to
 *   turn a flag into an option with a fixed value).
 */
export type OptionType = 'bool' | 'string' | 'int' | 'data' | 'argv' | 'alias';

export interface OptionDef {
  readonly name: string;
  readonly type: OptionType;
  /** Must be given (VSH_OFLAG_REQ). */
  readonly required?: boolean;
  /** May only be given as `--name value`, never positionally (VSH_OFLAG_REQ_OPT). */
  readonly reqOpt?: boolean;
  /** An empty value is accepted (VSH_OFLAG_EMPTY_OK). */
  readonly emptyOk?: boolean;
  /** For aliases: the option this one stands for. */
  readonly aliasOf?: string;
  readonly help: string;
}

/** A command handler: returns true on success, false after reporting an error. */
export type CommandHandler = (session: Session, cmd: ParsedCommand) => Promise<boolean>;

export interface CommandDef {
  readonly name: string;
  /** One line for command lists. */
  readonly help: string;
  /** The paragraph `help NAME` shows. */
  readonly desc: string;
  readonly options: readonly OptionDef[];
  /** The command runs without a connection (help, quit, connect...). */
  readonly noConnect?: boolean;
  /** Loads the handler; handlers live in their own modules so a run loads only what it uses. */
  readonly load: () => Promise<CommandHandler>;
}

export interface CommandGroup {
  readonly name: string;
  readonly keyword: string;
  readonly commands: readonly CommandDef[];
}

export interface CommandTable {
  readonly groups: readonly CommandGroup[];
  find(name: string): CommandDef | undefined;
  findGroup(nameOrKeyword: string): CommandGroup | undefined;
}

export function commandTable(groups: readonly CommandGroup[]): CommandTable {
  const byName = new Map<string, CommandDef>();
  for (const g of groups) for (const c of g.commands) byName.set(c.name, c);
  return {
    groups,
    find: (name) => byName.get(name),
    findGroup: (key) => groups.find((g) => g.name === key || g.keyword === key),
  };
}

// Builders that keep the command tables short and readable.

export const bool = (name: string, help: string): OptionDef => ({ name, type: 'bool', help });

export const str = (name: string, help: string, flags: Partial<Pick<OptionDef, 'required' | 'reqOpt' | 'emptyOk'>> = {}): OptionDef => ({
  name,
  type: 'string',
  help,
  ...flags,
});

export const int = (name: string, help: string, flags: Partial<Pick<OptionDef, 'required' | 'reqOpt'>> = {}): OptionDef => ({
  name,
  type: 'int',
  help,
  ...flags,
});

export const data = (name: string, help: string, flags: Partial<Pick<OptionDef, 'required' | 'emptyOk'>> = { required: true }): OptionDef => ({
  name,
  type: 'data',
  help,
  ...flags,
});

export const argv = (name: string, help: string, flags: Partial<Pick<OptionDef, 'required'>> = {}): OptionDef => ({
  name,
  type: 'argv',
  help,
  ...flags,
});

export const alias = (name: string, aliasOf: string): OptionDef => ({ name, type: 'alias', aliasOf, help: aliasOf });
