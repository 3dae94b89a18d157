import { registerDriver, strToInt } from '@virt/core-api';
import { testDriver } from '@virt/driver-test';
import { COMMANDS } from './commands/table.js';
import { runInteractive } from './shell/interactive.js';
import { parseCommandArgv, parseCommandString } from './shell/parse.js';
import { ConsoleOutput } from './shell/output.js';
import { Session } from './shell/session.js';
import { getopt, type LongOption } from './shell/getopt.js';
import { printUsage, printVersion, PROGRAM } from './shell/usage.js';

const LONG_OPTIONS: LongOption[] = [
  { name: 'connect', hasArg: 'required', short: 'c' },
  { name: 'debug', hasArg: 'required', short: 'd' },
  { name: 'escape', hasArg: 'required', short: 'e' },
  { name: 'help', hasArg: 'none', short: 'h' },
  { name: 'keepalive-interval', hasArg: 'required', short: 'k' },
  { name: 'keepalive-count', hasArg: 'required', short: 'K' },
  { name: 'log', hasArg: 'required', short: 'l' },
  { name: 'quiet', hasArg: 'none', short: 'q' },
  { name: 'readonly', hasArg: 'none', short: 'r' },
  { name: 'timing', hasArg: 'none', short: 't' },
  { name: 'version', hasArg: 'optional', short: 'v' },
];

interface Settings {
  uri?: string;
  readOnly: boolean;
  timing: boolean;
}

function isEscapeAllowed(value: string): boolean {
  if (value.length === 1) return value !== '^';
  return value.length === 2 && value[0] === '^' && /[a-z@-_]/.test(value[1]!);
}

async function main(args: string[]): Promise<number> {
  registerDriver(testDriver);
  const out = new ConsoleOutput();
  const settings: Settings = { readOnly: false, timing: false };
  const { events, rest } = getopt(args, 'c:d:e:hk:K:l:qrtvV', LONG_OPTIONS);
  for (const ev of events) {
    if (ev.kind === 'unknown') {
      out.error(`unsupported option '${ev.text}'. See --help.`);
      return 1;
    }
    if (ev.kind === 'missing-argument') {
      const long = LONG_OPTIONS.find((o) => o.short === ev.short);
      out.error(long ? `option '-${ev.short}'/'--${long.name}' requires an argument` : `option '-${ev.short}' requires an argument`);
      return 1;
    }
    const value = ev.value ?? '';
    const spelled = (long: string): string => (ev.long ? `--${long}` : `-${ev.short}`);
    switch (ev.short) {
      case 'c':
        settings.uri = value;
        break;
      case 'd': {
        const parsed = strToInt(value, 'i');
        if (!parsed) {
          out.error(`option ${spelled('debug')} takes a numeric argument`);
          return 1;
        }
        const level = Number(parsed.value);
        if (level < 0 || level > 4) out.error(`ignoring debug level ${level} out of range [0-4]`);
        break;
      }
      case 'e':
        if (!isEscapeAllowed(value)) {
          out.error(`Invalid string '${value}' for escape sequence`);
          return 1;
        }
        break;
      case 'h':
        printUsage(out, COMMANDS);
        return 0;
      case 'k':
      case 'K': {
        const long = ev.short === 'k' ? 'keepalive-interval' : 'keepalive-count';
        const parsed = strToInt(value, 'i', 0);
        if (!parsed) {
          out.error(`Invalid value for option ${spelled(long)}`);
          return 1;
        }
        if (parsed.value < 0n) {
          out.error(`option ${spelled(long)} requires a positive integer argument`);
          return 1;
        }
        break;
      }
      case 'l':
        break;
      case 'q':
        out.quiet = true;
        break;
      case 'r':
        settings.readOnly = true;
        break;
      case 't':
        settings.timing = true;
        break;
      case 'v':
        if (ev.value !== 'long') {
          out.print(`${printVersion.short()}\n`);
          return 0;
        }
        printVersion.long(out);
        return 0;
      case 'V':
        printVersion.long(out);
        return 0;
    }
  }

  const session = new Session(COMMANDS, out, { ...settings, interactive: rest.length === 0 });
  let commands;
  if (rest.length === 1) {
    if (rest[0] === '') return 1;
    commands = parseCommandString(rest[0]!, COMMANDS, session);
  } else if (rest.length > 1) {
    commands = parseCommandArgv(rest, COMMANDS, session);
  }
  if (rest.length > 0 && !commands) return 1;

  if (settings.uri !== undefined) {
    // like virsh, a URI given with -c must connect before anything runs
    try {
      await session.connect();
    } catch {
      session.reportError();
      return 1;
    }
  }

  try {
    if (!commands) {
      await runInteractive(session, PROGRAM, settings.readOnly);
      return 0;
    }
    return (await session.run(commands)) ? 0 : 1;
  } finally {
    await session.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
