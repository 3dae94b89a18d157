import type { CommandDef, CommandTable, OptionDef } from './command.js';
import { DebugLevel } from './output.js';
import { ParsedCommand, type ErrorReporter, type ParsedOption } from './parsed.js';

type Token = { kind: 'arg'; text: string } | { kind: 'end' } | { kind: 'next-command' } | { kind: 'error' };

interface TokenSource {
  next(report: ErrorReporter): Token;
}

/** Tokens of a command string: shell-like quoting, `;` or newline between commands, `#` comments. */
class StringTokens implements TokenSource {
  private pos = 0;

  constructor(private readonly text: string) {}

  next(report: ErrorReporter): Token {
    const s = this.text;
    let p = this.pos;
    while (s[p] === ' ' || s[p] === '\t' || (s[p] === '\\' && s[p + 1] === '\n')) p += s[p] === '\\' ? 2 : 1;
    if (p >= s.length) {
      this.pos = p;
      return { kind: 'end' };
    }
    if (s[p] === ';' || s[p] === '\n') {
      this.pos = p + 1;
      return { kind: 'next-command' };
    }
    if (s[p] === '#') {
      while (p < s.length && s[p] !== '\n') p++;
      this.pos = p < s.length ? p + 1 : p;
      return { kind: 'next-command' };
    }
    let single = false;
    let double = false;
    let out = '';
    while (p < s.length) {
      const c = s[p]!;
      if (!single && !double && (c === ' ' || c === '\t' || c === ';' || c === '\n')) break;
      if (!double && c === "'") {
        single = !single;
        p++;
        continue;
      }
      if (!single && c === '\\') {
        // as in a shell: a backslash escapes outside single quotes
        p++;
        if (p >= s.length) {
          report.error('dangling \\');
          return { kind: 'error' };
        }
        if (s[p] === '\n') {
          p++;
          continue;
        }
      } else if (!single && c === '"') {
        double = !double;
        p++;
        continue;
      }
      out += s[p]!;
      p++;
    }
    if (double) {
      report.error('missing "');
      return { kind: 'error' };
    }
    this.pos = p;
    return { kind: 'arg', text: out };
  }
}

/** Tokens of an argv vector: one command, each element one argument. */
class ArgvTokens implements TokenSource {
  private index = 0;

  constructor(private readonly args: readonly string[]) {}

  next(): Token {
    const text = this.args[this.index];
    if (text === undefined) return { kind: 'end' };
    this.index++;
    return { kind: 'arg', text };
  }
}

const HELP_OPTION: OptionDef = { name: 'help', type: 'bool', help: 'print help for this function' };

function isAlnum(c: string | undefined): boolean {
  return c !== undefined && /^[A-Za-z0-9]$/.test(c);
}

/**
 * Parse one or more commands with virsh's rules: options by `--name value`
 * or `--name=value`, the remaining values fill positional options in
 * definition order, `--` ends option parsing, aliases resolve to their
 * target, and `--help` turns any command into `help COMMAND`. A syntax
 * error anywhere rejects the whole input (nothing runs), as in virsh.
 */
function parse(source: TokenSource, table: CommandTable, report: ErrorReporter): ParsedCommand[] | undefined {
  const commands: ParsedCommand[] = [];
  for (;;) {
    let def: CommandDef | undefined;
    let options: ParsedOption[] = [];
    let positional: number[] = [];
    const seen = new Set<number>();
    let dataOnly = false;
    let token: Token;

    for (;;) {
      token = source.next(report);
      if (token.kind === 'error') return undefined;
      if (token.kind !== 'arg') break;
      const text = token.text;

      if (!def) {
        if (text.startsWith('#')) {
          do token = source.next(report);
          while (token.kind === 'arg');
          break;
        }
        def = table.find(text);
        if (!def) {
          report.error(`unknown command: '${text}'`);
          return undefined;
        }
        positional = def.options.flatMap((o, i) => (o.type !== 'bool' && o.type !== 'alias' && !o.reqOpt ? [i] : []));
        continue;
      }

      let opt: OptionDef | undefined;
      let value: string | undefined;
      if (!dataOnly && text.startsWith('--') && isAlnum(text[2])) {
        const eq = text.indexOf('=', 2);
        let name = eq >= 0 ? text.slice(2, eq) : text.slice(2);
        let inline = eq >= 0 ? text.slice(eq + 1) : undefined;
        let index = -1;
        if (name === 'help') {
          opt = HELP_OPTION;
        } else {
          for (let i = 0; i < def.options.length; i++) {
            const candidate = def.options[i]!;
            if (candidate.name !== name) continue;
            if (candidate.type === 'alias') {
              const target = candidate.aliasOf ?? '';
              const assign = target.indexOf('=');
              name = assign >= 0 ? target.slice(0, assign) : target;
              if (assign >= 0) {
                if (inline !== undefined) {
                  report.error(`invalid '=' after option --${candidate.name}`);
                  return undefined;
                }
                inline = target.slice(assign + 1);
              }
              continue;
            }
            if (seen.has(i) && candidate.type !== 'argv') {
              report.error(`option --${name} already seen`);
              return undefined;
            }
            seen.add(i);
            index = i;
            opt = candidate;
            break;
          }
        }
        if (!opt) {
          if (def.name === 'help') continue;
          report.error(`command '${def.name}' doesn't support option --${name}`);
          return undefined;
        }
        if (opt.type !== 'bool') {
          if (inline !== undefined) {
            value = inline;
          } else {
            const next = source.next(report);
            if (next.kind === 'error') return undefined;
            if (next.kind !== 'arg') {
              report.error(`expected syntax: --${opt.name} <${opt.type === 'int' ? 'number' : 'string'}>`);
              return undefined;
            }
            value = next.text;
            token = next;
          }
          if (opt.type !== 'argv') positional = positional.filter((i) => i !== index);
        } else if (inline !== undefined) {
          report.error(`invalid '=' after option --${opt.name}`);
          return undefined;
        }
      } else if (!dataOnly && text === '--') {
        dataOnly = true;
        continue;
      } else {
        const index = positional[0];
        if (index === undefined) {
          if (def.name === 'help') continue;
          report.error(`unexpected data '${text}'`);
          return undefined;
        }
        opt = def.options[index]!;
        if (opt.type !== 'argv') positional.shift();
        seen.add(index);
        value = text;
      }
      options.push({ def: opt, value });
      report.debug(DebugLevel.INFO, `${def.name}: ${opt.name}${opt.type === 'bool' ? '(bool): (none)' : `(optdata): ${value}`}`);
    }

    if (def) {
      if (options.some((o) => o.def === HELP_OPTION)) {
        const help = table.find('help')!;
        options = [{ def: help.options[0]!, value: def.name }];
        def = help;
        seen.clear();
      }
      const missing = def.options.filter((o, i) => o.required && !seen.has(i));
      if (missing.length > 0) {
        for (const o of missing) {
          report.error(
            o.type === 'data' || o.type === 'argv'
              ? `command '${def.name}' requires <${o.name}> option`
              : `command '${def.name}' requires --${o.name} option`,
          );
        }
        return undefined;
      }
      commands.push(new ParsedCommand(def, options, report));
    }
    if (token.kind === 'end') return commands;
  }
}

/** Parse a command string (`virsh 'cmd1 args; cmd2'`, or a line typed in the shell). */
export function parseCommandString(text: string, table: CommandTable, report: ErrorReporter): ParsedCommand[] | undefined {
  return parse(new StringTokens(text), table, report);
}

/** Parse a command given as separate arguments (`virsh cmd arg1 arg2`). */
export function parseCommandArgv(args: readonly string[], table: CommandTable, report: ErrorReporter): ParsedCommand[] | undefined {
  return parse(new ArgvTokens(args), table, report);
}
