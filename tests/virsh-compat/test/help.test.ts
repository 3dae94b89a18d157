import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

/*
 * `help COMMAND` shows each option the way virsh shows it: the synopsis and
 * the option column must be virsh's, so that users and scripts see the same
 * option names, kinds and positional order. The descriptions are our own
 * wording, so only the structure is compared. `--json` is virt's addition.
 */
const VIRT = createRequire(import.meta.url).resolve('@virt/cli/bin/virt.cjs');

function run(cmd: string[], words: string[]): { stdout: string; stderr: string; status: number | null } {
  return spawnSync(cmd[0]!, [...cmd.slice(1), ...words], { encoding: 'utf8' });
}

function helpOf(cmd: string[], words: string[]): { synopsis: string; options: string[] } {
  const out = run(cmd, words).stdout;
  const lines = out.split('\n');
  const synopsis = lines[lines.indexOf('  SYNOPSIS') + 1]!.replace(' [--json]', '');
  const start = lines.indexOf('  OPTIONS');
  const options =
    start < 0
      ? []
      : lines
          .slice(start + 1)
          .filter((l) => l.startsWith('    '))
          .map((l) => l.trim().split(/\s{2,}/)[0]!)
          .filter((o) => o !== '--json');
  return { synopsis, options };
}

function commandsOf(cmd: string[], words = ['help']): string[] {
  return run(cmd, words)
    .stdout
    .split('\n')
    .filter((l) => /^ {4}\S/.test(l))
    .map((l) => l.trim().split(/\s+/)[0]!);
}

const virt = [process.execPath, VIRT];
const ours = commandsOf(virt);

describe('help COMMAND shows the same options as virsh', () => {
  it('knows every command it lists', () => {
    const virshCommands = new Set(commandsOf(['virsh']));
    expect(ours.filter((c) => !virshCommands.has(c))).toEqual([]);
  });

  it.each(ours)('%s', (command) => {
    expect(helpOf(virt, ['help', command])).toEqual(helpOf(['virsh'], ['help', command]));
  });

  it('COMMAND --help is help COMMAND, whatever follows', () => {
    for (const words of [['domstate', '--help'], ['domstate', 'test', '--help', '--bogus']]) {
      expect(helpOf(virt, words)).toEqual(helpOf(['virsh'], words));
    }
  });
});

describe('help GROUP lists a part of virsh\'s group', () => {
  const groups = run(virt, ['help'])
    .stdout.split('\n')
    .flatMap((l) => /help keyword '(\w+)'/.exec(l)?.[1] ?? []);

  it.each(groups)('%s', (group) => {
    const [mine, theirs] = [virt, ['virsh']].map((cmd) => run(cmd, ['help', group, '--bogus', 'nosuch']));
    expect(mine!.stdout.split('\n')[0]).toBe(theirs!.stdout.split('\n')[0]);
    expect({ stderr: mine!.stderr, status: mine!.status }).toEqual({ stderr: theirs!.stderr, status: theirs!.status });
    const theirCommands = new Set(commandsOf(['virsh'], ['help', group]));
    expect(commandsOf(virt, ['help', group]).filter((c) => !theirCommands.has(c))).toEqual([]);
  });
});
