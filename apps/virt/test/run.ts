import { registerDriver } from '@virt/core-api';
import { testDriver } from '@virt/driver-test';
import { COMMANDS } from '../src/commands/table.js';
import { BufferOutput } from '../src/shell/output.js';
import { parseCommandString } from '../src/shell/parse.js';
import { Session } from '../src/shell/session.js';

registerDriver(testDriver);

export interface Result {
  stdout: string;
  stderr: string;
  ok: boolean;
}

/** Run a virt command string in-process on a fresh test:///default, as `virt -c test:///default -q '...'` would. */
export async function virt(commandString: string): Promise<Result> {
  const out = new BufferOutput();
  out.quiet = true;
  const session = new Session(COMMANDS, out, { uri: 'test:///default' });
  try {
    const commands = parseCommandString(commandString, COMMANDS, session);
    const ok = commands ? await session.run(commands) : false;
    return { stdout: out.stdout, stderr: out.stderr, ok };
  } finally {
    await session.close();
  }
}

/** The JSON document a `--json` command printed. */
export async function json(commandString: string): Promise<unknown> {
  const { stdout, stderr, ok } = await virt(commandString);
  if (!ok) throw new Error(stderr);
  return JSON.parse(stdout);
}
