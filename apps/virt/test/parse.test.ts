import type { VirtError } from '@virt/core-api';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../src/commands/table.js';
import { parseCommandArgv, parseCommandString } from '../src/shell/parse.js';
import type { DebugLevel } from '../src/shell/output.js';
import type { ParsedCommand } from '../src/shell/parsed.js';

function collect(): { errors: string[]; error(m: string): void; debug(l: DebugLevel, m: string): void; record(e: VirtError): void } {
  const errors: string[] = [];
  return { errors, error: (m) => errors.push(m), debug: () => undefined, record: () => undefined };
}

/** Each parsed command as [name, [option, value]...]. */
function shape(commands: ParsedCommand[] | undefined): Array<[string, Array<[string, string | undefined]>]> | undefined {
  return commands?.map((c) => [c.def.name, c.options.map((o) => [o.def.name, o.value])]);
}

describe('command strings', () => {
  it('splits commands on ; and newlines and skips # comments', () => {
    const r = collect();
    expect(shape(parseCommandString('list --all; uri\n# a comment\nhostname', COMMANDS, r))).toEqual([
      ['list', [['all', undefined]]],
      ['uri', []],
      ['hostname', []],
    ]);
  });

  it('takes options as --name value, --name=value and by position', () => {
    const r = collect();
    expect(shape(parseCommandString('setmem test --size=1G --config; setmem --domain test 512M', COMMANDS, r))).toEqual([
      ['setmem', [['domain', 'test'], ['size', '1G'], ['config', undefined]]],
      ['setmem', [['domain', 'test'], ['size', '512M']]],
    ]);
  });

  it('quotes as a shell does', () => {
    const r = collect();
    expect(shape(parseCommandString(`echo 'a b' "c \\"d\\"" e\\ f 'g;h'`, COMMANDS, r))).toEqual([
      ['echo', [['string', 'a b'], ['string', 'c "d"'], ['string', 'e f'], ['string', 'g;h']]],
    ]);
  });

  it('ends options at --, so what follows is positional even with dashes', () => {
    const r = collect();
    expect(shape(parseCommandString('echo -- --all', COMMANDS, r))).toEqual([['echo', [['string', '--all']]]]);
  });

  it('reports what virsh reports, and gives up', () => {
    const cases: Array<[string, string]> = [
      ['nosuch', "unknown command: 'nosuch'"],
      ['list --bogus', "command 'list' doesn't support option --bogus"],
      ['dominfo test extra', "unexpected data 'extra'"],
      ['echo "open', 'missing "'],
      ['setmem test --size', "expected syntax: --size <number>"],
    ];
    for (const [text, message] of cases) {
      const r = collect();
      expect(parseCommandString(text, COMMANDS, r), text).toBeUndefined();
      expect(r.errors, text).toEqual([message]);
    }
  });
});

describe('argv form', () => {
  it('treats each element as one word, spaces and semicolons included', () => {
    const r = collect();
    expect(shape(parseCommandArgv(['echo', 'a b; c', '--shell'], COMMANDS, r))).toEqual([['echo', [['string', 'a b; c'], ['shell', undefined]]]]);
  });
});
