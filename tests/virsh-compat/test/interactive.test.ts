import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBoth, VIRT } from './compare.js';

/* virt with no command is virsh's interactive shell: same banner, prompt and output, named after itself. */
const asVirsh = (text: string): string => text.replaceAll('virt #', 'virsh #').replace('Welcome to virt,', 'Welcome to virsh,');

const sessions: Array<[string, string[], string]> = [
  ['a lifecycle, one command per line', [], 'list\ndestroy test\nlist --all\nstart test\ndominfo test\nquit\n'],
  ['several commands on a line and exit', [], 'uri; hostname\nexit\n'],
  ['errors do not end the session', [], 'nosuch\ndestroy nosuch\nlist --bogus\nstart test\nresume test\nlist\n'],
  ['end of input without quit', [], 'list --all\n'],
  ['shell builtins', [], 'echo "a b" c\ncd /\npwd\n'],
  ['quiet: no banner', ['-q'], 'uri\n'],
  ['debug output: no command string line, the options of each line', ['-d', '0'], 'dominfo test\nnet-info nosuch; pool-list --details\nbogus\n'],
  ['debug level 1', ['-d', '1', '-q'], 'vol-info /default-pool/nosuch; connect test:///default\n'],
];

describe('interactive shell, input from a pipe', () => {
  it.concurrent.each(sessions)('%s', async (label, options, input) => {
    const { virsh, virt } = await runBoth({ label, options, args: [], generatedUUIDs: false, input });
    expect({ stdout: asVirsh(virt.stdout), stderr: virt.stderr, code: virt.code }).toEqual({ stdout: virsh.stdout, stderr: virsh.stderr, code: virsh.code });
  });
});

describe('interactive shell on a terminal', () => {
  /** Type keys into virt on a pseudo-terminal (`script`), pausing so each line is read before the next. */
  function typeInto(keys: string[], env: NodeJS.ProcessEnv): string {
    const typed = keys.map((k) => `printf '${k}'; sleep 0.5`).join('; ');
    const shell = `${JSON.stringify(process.execPath)} ${JSON.stringify(VIRT)} -c test:///default`;
    return spawnSync('sh', ['-c', `(${typed}) | script -qec '${shell}' /dev/null`], { encoding: 'utf8', env, timeout: 20_000 }).stdout;
  }

  it('edits the line, and recalls earlier lines with the up arrow, also from an earlier session', () => {
    const home = mkdtempSync(join(tmpdir(), 'virt-history-'));
    const env = { ...process.env, XDG_CACHE_HOME: home, TERM: 'xterm' };
    const uriLines = /^test:\/\/\/default\r$/gm;
    try {
      // a typo mended with backspace is line editing at work
      expect(typeInto(['urx\\177i\\n', '\\033[A\\n', 'quit\\n'], env).match(uriLines)).toHaveLength(2);
      // saved oldest first; a line repeating the one before is kept once
      expect(readFileSync(join(home, 'virt', 'history'), 'utf8')).toBe('uri\nquit\n');
      expect(typeInto(['\\033[A\\033[A\\n', 'quit\\n'], env).match(uriLines)).toHaveLength(1);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});
