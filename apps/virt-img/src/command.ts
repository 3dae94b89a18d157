import { VirtError } from '@virt/core-api';
import { Getopt, type LongOption } from './options/getopt.js';
import { PROGRAM, type Output } from './output.js';

/** Thrown to end a command with an exit status once its messages are out. */
export class Exit extends Error {
  constructor(readonly status: number) {
    super(`exit ${status}`);
  }
}

/** What every command gets. */
export interface Context {
  readonly out: Output;
  /** Print the full help (every command's -h/--help). */
  printHelp(): void;
}

/** A command: its arguments after the command name, its exit status. */
export type Command = (context: Context, args: readonly string[]) => Promise<number>;

/** Print "virt-img: <message>" and end the command with `status`. */
export function fail(out: Output, message: string, status = 1): never {
  out.error(message);
  throw new Exit(status);
}

/** Like fail, with qemu-img's "Try ... --help" line (its error_exit). */
export function usageError(out: Output, message: string): never {
  out.error(message);
  out.printError(`Try '${PROGRAM} --help' for more information\n`);
  throw new Exit(1);
}

/** The text of an error from the library (or the system). */
export function errorText(err: unknown): string {
  if (err instanceof VirtError || err instanceof Error) return err.message;
  return String(err);
}

/**
 * Scan a command's options with qemu-img's handling of problems: an
 * unknown option or a missing argument ends the command with a usage
 * error, -h and --help print the help. Each other option goes to `take`
 * as it is scanned. Returns the positional arguments.
 */
export function scanOptions(
  context: Context,
  command: string,
  args: readonly string[],
  optionString: string,
  longOptions: readonly LongOption[],
  take: (id: string, value: string | undefined) => void,
): string[] {
  const getopt = new Getopt([command, ...args], optionString, [{ name: 'help', hasArg: false, id: 'h' }, ...longOptions]);
  for (let result = getopt.next(); result; result = getopt.next()) {
    if (result.kind === 'unrecognized') usageError(context.out, `unrecognized option '${result.text}'`);
    if (result.kind === 'missing-argument') usageError(context.out, `missing argument for option '${result.text}'`);
    if (result.id === 'h') {
      context.printHelp();
      throw new Exit(0);
    }
    take(result.id, result.value);
  }
  return getopt.rest;
}

/** A long option that stands for a short one. */
export const long = (name: string, hasArg: boolean, id: string = name): LongOption => ({ name, hasArg, id });
