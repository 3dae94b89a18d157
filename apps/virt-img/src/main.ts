import { onCorruptionEvent } from '@virt/storage';
import { errorText, Exit, usageError, type Command, type Context } from './command.js';
import { amend } from './commands/amend.js';
import { bench } from './commands/bench.js';
import { check } from './commands/check.js';
import { commit } from './commands/commit.js';
import { compare } from './commands/compare.js';
import { convert } from './commands/convert.js';
import { create } from './commands/create.js';
import { dd } from './commands/dd.js';
import { info } from './commands/info.js';
import { map } from './commands/map.js';
import { measure } from './commands/measure.js';
import { rebase } from './commands/rebase.js';
import { resize } from './commands/resize.js';
import { snapshot } from './commands/snapshot.js';
import { helpText, versionText } from './help.js';
import { Getopt } from './options/getopt.js';
import { Output, PROGRAM } from './output.js';
import { setUpTracing } from './trace.js';

declare const VIRT_IMG_VERSION: string;
const VERSION = typeof VIRT_IMG_VERSION === 'string' ? VIRT_IMG_VERSION : 'development';

/** The commands, by name. */
const COMMANDS: Readonly<Record<string, Command>> = {
  amend,
  bench,
  check,
  commit,
  compare,
  convert,
  create,
  dd,
  info,
  map,
  measure,
  rebase,
  resize,
  snapshot,
};

async function run(out: Output, args: readonly string[]): Promise<number> {
  const context: Context = { out, printHelp: () => out.print(helpText(VERSION)) };
  if (args.length < 1) usageError(out, 'Not enough arguments');
  const getopt = new Getopt([PROGRAM, ...args], '+:hVT:', [
    { name: 'help', hasArg: false, id: 'h' },
    { name: 'version', hasArg: false, id: 'V' },
    { name: 'trace', hasArg: true, id: 'T' },
  ]);
  for (let result = getopt.next(); result; result = getopt.next()) {
    if (result.kind === 'missing-argument') usageError(out, `missing argument for option '${result.text}'`);
    if (result.kind === 'unrecognized') usageError(out, `unrecognized option '${result.text}'`);
    if (result.id === 'h') {
      context.printHelp();
      return 0;
    }
    if (result.id === 'V') {
      out.print(versionText(VERSION));
      return 0;
    }
    if (setUpTracing(out, result.value!)) return 0;
  }
  const [name, ...rest] = getopt.rest;
  if (name === undefined) return 0;
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) usageError(out, `Command not found: ${name}`);
  return command(context, rest);
}

async function main(): Promise<void> {
  const out = new Output();
  // qcow2 corruption events get a line of their own on stderr, as qemu-img prints them
  onCorruptionEvent((line) => out.printError(`${line}\n`));
  let status: number;
  try {
    status = await run(out, process.argv.slice(2));
  } catch (err) {
    if (err instanceof Exit) status = err.status;
    else {
      // a failure no command foresaw: one line, as any other error
      out.error(errorText(err));
      status = 1;
    }
  }
  out.flush();
  process.exit(status);
}

void main();
