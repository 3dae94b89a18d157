import { registerDriver, strToInt } from '@virt/core-api';
import { kvmDriver } from '@virt/driver-kvm';
import { testDriver } from '@virt/driver-test';
import { COMMANDS } from './commands/table.js';
import { runInteractive } from './shell/interactive.js';
import { parseCommandArgv, parseCommandString } from './shell/parse.js';
import { LogFile } from './shell/log-file.js';
import { ConsoleOutput, DebugLevel, DEFAULT_DEBUG_LEVEL, type Output } from './shell/output.js';
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
  keepaliveInterval?: number;
  keepaliveCount?: number;
}

function isEscapeAllowed(value: string): boolean {
  if (value.length === 1) return value !== '^';
  return value.length === 2 && value[0] === '^' && /[a-z@-_]/.test(value[1]!);
}

/** VIRT_<suffix> if set, else virsh's VIRSH_<suffix>, so that scripts written for virsh keep working. */
function fromEnv(suffix: string): { name: string; value: string } | undefined {
  for (const name of [`VIRT_${suffix}`, `VIRSH_${suffix}`]) {
    const value = process.env[name];
    if (value !== undefined) return { name, value };
  }
  return undefined;
}

/** The debug level VIRT_DEBUG / VIRSH_DEBUG asks for; a value that is not a level is reported and ignored. */
function debugLevelFromEnv(out: Output): DebugLevel | undefined {
  const setting = fromEnv('DEBUG');
  if (setting === undefined) return undefined;
  const parsed = strToInt(setting.value, 'i');
  const level = parsed ? Number(parsed.value) : -1;
  if (level < DebugLevel.DEBUG || level > DebugLevel.ERROR) {
    out.error(`${setting.name} not set with a valid numeric value`);
    return undefined;
  }
  return level;
}

/** Log to `path` from now on; false (after saying so) when it cannot be opened. */
function openLogFile(out: ConsoleOutput, path: string): boolean {
  // close the file used so far first: as in virsh, the failure is not logged there
  out.setLogFile(undefined);
  try {
    out.setLogFile(LogFile.open(path));
    return true;
  } catch {
    out.error('failed to open the log file. check the log file path');
    return false;
  }
}

async function main(args: string[]): Promise<number> {
  registerDriver(testDriver);
  registerDriver(kvmDriver);
  const out = new ConsoleOutput();
  const settings: Settings = { readOnly: false, timing: false };

  // as virsh, the environment is read before the command line, which overrides it;
  // an empty log file name means no log file
  out.debugLevel = debugLevelFromEnv(out) ?? DEFAULT_DEBUG_LEVEL;
  const logFile = fromEnv('LOG_FILE');
  if (logFile?.value && !openLogFile(out, logFile.value)) return 1;

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
        if (level < DebugLevel.DEBUG || level > DebugLevel.ERROR) out.error(`ignoring debug level ${level} out of range [0-4]`);
        else out.debugLevel = level;
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
        if (ev.short === 'k') settings.keepaliveInterval = Number(parsed.value);
        else settings.keepaliveCount = Number(parsed.value);
        break;
      }
      case 'l':
        if (!openLogFile(out, value)) return 1;
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
    out.debug(DebugLevel.INFO, `commands: "${rest[0]}"`);
    if (rest[0] === '') return 1;
    commands = parseCommandString(rest[0]!, COMMANDS, session);
  } else if (rest.length > 1) {
    commands = parseCommandArgv(rest, COMMANDS, session);
  }
  if (rest.length > 0 && !commands) return 1;

  // virsh reads the environment again once the command line is parsed, so a
  // level it sets wins over -d given at the default level
  if (out.debugLevel === DEFAULT_DEBUG_LEVEL) out.debugLevel = debugLevelFromEnv(out) ?? out.debugLevel;

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
