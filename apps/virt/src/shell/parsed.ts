import { strToInt, scaleInteger, ULLONG_MAX, VirtError, type IntKind } from '@virt/core-api';
import type { CommandDef, OptionDef } from './command.js';
import type { DebugLevel } from './output.js';

/** Where the parser's messages go: error and debug lines, and libvirt errors kept for the end of the command. */
export interface ErrorReporter {
  error(message: string): void;
  debug(level: DebugLevel, message: string): void;
  /** Remember a libvirt error to report when the command fails (virsh's last_error). */
  record(err: VirtError): void;
}

/** A command failed and has already said why (virsh's `return false`). */
export class CommandFailed extends Error {
  constructor() {
    super('command failed');
  }
}

export interface ParsedOption {
  readonly def: OptionDef;
  /** Undefined for bool options. */
  readonly value: string | undefined;
}

/**
 * A parsed command line with virsh's typed option accessors. Accessors
 * report bad values the way virsh does ("Numeric value '...' for <size>
 * option is malformed or out of range") and throw {@link CommandFailed}.
 */
export class ParsedCommand {
  constructor(
    readonly def: CommandDef,
    readonly options: readonly ParsedOption[],
    private readonly reporter: ErrorReporter,
  ) {}

  private find(name: string): ParsedOption | undefined {
    return this.options.find((o) => o.def.name === name);
  }

  private defOf(name: string): OptionDef | undefined {
    return this.def.options.find((o) => o.name === name);
  }

  /** Whether an option was given (vshCommandOptBool). */
  bool(name: string): boolean {
    return this.find(name) !== undefined;
  }

  /**
   * A string option (vshCommandOptStringReq): undefined when absent; an
   * empty value is an error unless the option allows it.
   */
  string(name: string): string | undefined {
    const opt = this.find(name);
    if (!opt) {
      if (this.defOf(name)?.required) this.fail(`Failed to get option '${name}': Mandatory option not present`);
      return undefined;
    }
    const value = opt.value ?? '';
    if (value === '' && !opt.def.emptyOk) this.fail(`Failed to get option '${name}': Option argument is empty`);
    return value;
  }

  /** A string option that must be present (its definition makes it required). */
  required(name: string): string {
    const value = this.string(name);
    if (value === undefined) this.fail(`Failed to get option '${name}': Mandatory option not present`);
    return value;
  }

  /** Like vshCommandOptStringQuiet: no error for an empty value, just undefined. */
  stringQuiet(name: string): string | undefined {
    const opt = this.find(name);
    if (!opt || ((opt.value ?? '') === '' && !opt.def.emptyOk)) return undefined;
    return opt.value;
  }

  /** Every value of the argv option, in order. */
  argv(): string[] {
    return this.options.filter((o) => o.def.type === 'argv').map((o) => o.value ?? '');
  }

  /**
   * An integer option parsed as virsh's vshCommandOptInt / UInt / UL /
   * LongLong / ULongLong (`kind` picks which); undefined when absent.
   */
  number(name: string, kind: IntKind): bigint | undefined {
    const opt = this.find(name);
    if (!opt) return undefined;
    const parsed = strToInt(opt.value ?? '', kind);
    if (!parsed) this.fail(`Numeric value '${opt.value ?? ''}' for <${name}> option is malformed or out of range`);
    return parsed.value;
  }

  /** Like {@link number}, returning a JS number (for int-sized kinds). */
  int(name: string, kind: 'i' | 'ui' | 'uip' = 'i'): number | undefined {
    const v = this.number(name, kind);
    return v === undefined ? undefined : Number(v);
  }

  /**
   * A size with an optional unit suffix (vshCommandOptScaledInt): the
   * result is in bytes, `scale` is the unit when no suffix is given.
   */
  scaled(name: string, scale: bigint, max: bigint = ULLONG_MAX): bigint | undefined {
    const opt = this.find(name);
    if (!opt) return undefined;
    const text = opt.value ?? '';
    const parsed = strToInt(text, 'ullp', 10, true);
    let result: bigint | undefined;
    if (parsed) {
      try {
        result = scaleInteger(parsed.value, text.slice(parsed.end), scale, max);
      } catch (err) {
        if (!(err instanceof VirtError)) throw err;
        this.reporter.record(err);
      }
    }
    if (result === undefined) this.fail(`Scaled numeric value '${text}' for <${name}> option is malformed or out of range`);
    return result;
  }

  private fail(message: string): never {
    this.reporter.error(message);
    throw new CommandFailed();
  }
}
