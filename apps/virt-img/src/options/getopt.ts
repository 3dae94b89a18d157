/*
 * GNU getopt_long(3) as glibc runs it for qemu-img, quirks included,
 * because qemu-img's error messages quote whatever argv[optind - 1] holds
 * at the moment an option fails: with permutation (options may follow the
 * file names), clustered short options, `--name=value`, unique prefixes of
 * long names, and `--` ending the options. The scan is incremental: a
 * command acts on each option as it comes (an error in a later option is
 * reported only after the earlier ones took effect), as qemu-img does.
 */

export interface LongOption {
  readonly name: string;
  readonly hasArg: boolean;
  /** What the option returns: its short letter, or a name of its own for long-only options. */
  readonly id: string;
}

export type GetoptResult =
  | { kind: 'option'; id: string; value: string | undefined }
  /** An option getopt does not know, or a long option given a value it does not take ('?'). */
  | { kind: 'unrecognized'; text: string }
  /** An option whose argument is missing (':'). */
  | { kind: 'missing-argument'; text: string };

/** glibc's own messages, printed when the option string does not start with ':' (qemu-img measure). */
export type GlibcMessage =
  | { kind: 'invalid-short'; letter: string }
  | { kind: 'short-needs-argument'; letter: string }
  | { kind: 'unrecognized-long'; text: string }
  | { kind: 'ambiguous'; text: string; candidates: string[] }
  | { kind: 'long-takes-no-argument'; name: string }
  | { kind: 'long-needs-argument'; name: string };

export class Getopt {
  /** The arguments, permuted in place as glibc does. */
  readonly argv: string[];
  /** Index of the next element to scan; after the scan, of the first positional argument. */
  optind = 1;
  /** Set for each message glibc itself would print (only without a leading ':' in the option string). */
  onGlibcMessage: ((message: GlibcMessage) => void) | undefined;

  private readonly shortSpec: string;
  private readonly quietErrors: boolean;
  private readonly stopAtFirstNonOption: boolean;
  private nextChar: string | undefined;
  private firstNonOption = 1;
  private lastNonOption = 1;

  /** `argv[0]` is the command name; scanning starts at `argv[1]`. */
  constructor(
    argv: readonly string[],
    optionString: string,
    private readonly longOptions: readonly LongOption[] = [],
  ) {
    this.argv = [...argv];
    let spec = optionString;
    // '+' (or POSIXLY_CORRECT): stop at the first word that is not an option
    this.stopAtFirstNonOption = spec.startsWith('+') || process.env.POSIXLY_CORRECT !== undefined;
    if (spec.startsWith('+')) spec = spec.slice(1);
    this.quietErrors = spec.startsWith(':');
    this.shortSpec = spec;
  }

  /** The positional arguments once the scan has ended. */
  get rest(): string[] {
    return this.argv.slice(this.optind);
  }

  /** The next option, or undefined when the options have ended. */
  next(): GetoptResult | undefined {
    if (this.nextChar === undefined || this.nextChar === '') {
      const word = this.advanceToOption();
      if (word === undefined) return undefined;
      if (this.longOptions.length > 0 && word.startsWith('--')) return this.longOption(word.slice(2));
      this.nextChar = word.slice(1);
    }
    return this.shortOption();
  }

  private isNonOption(word: string): boolean {
    return !word.startsWith('-') || word === '-';
  }

  /** Skip (and set aside) positional words; the next option word, or undefined at the end. */
  private advanceToOption(): string | undefined {
    const { argv } = this;
    if (this.lastNonOption > this.optind) this.lastNonOption = this.optind;
    if (this.firstNonOption > this.optind) this.firstNonOption = this.optind;
    if (!this.stopAtFirstNonOption) {
      if (this.firstNonOption !== this.lastNonOption && this.lastNonOption !== this.optind) this.exchange();
      else if (this.lastNonOption !== this.optind) this.firstNonOption = this.optind;
      while (this.optind < argv.length && this.isNonOption(argv[this.optind]!)) this.optind++;
      this.lastNonOption = this.optind;
    }
    if (this.optind !== argv.length && argv[this.optind] === '--') {
      this.optind++;
      if (this.firstNonOption !== this.lastNonOption && this.lastNonOption !== this.optind) this.exchange();
      else if (this.firstNonOption === this.lastNonOption) this.firstNonOption = this.optind;
      this.lastNonOption = argv.length;
      this.optind = argv.length;
    }
    if (this.optind === argv.length) {
      // point at the positional words set aside, now gathered at the end
      if (this.firstNonOption !== this.lastNonOption) this.optind = this.firstNonOption;
      return undefined;
    }
    const word = argv[this.optind]!;
    if (this.isNonOption(word)) return undefined; // only when stopping at the first non-option
    return word;
  }

  /** Move the positional words skipped so far behind the options scanned since. */
  private exchange(): void {
    const skipped = this.argv.slice(this.firstNonOption, this.lastNonOption);
    const options = this.argv.slice(this.lastNonOption, this.optind);
    this.argv.splice(this.firstNonOption, this.optind - this.firstNonOption, ...options, ...skipped);
    this.firstNonOption += this.optind - this.lastNonOption;
    this.lastNonOption = this.optind;
  }

  private shortOption(): GetoptResult {
    const text = this.nextChar!;
    const letter = text[0]!;
    this.nextChar = text.slice(1);
    if (this.nextChar === '') this.optind++;
    const at = letter === ':' ? -1 : this.shortSpec.indexOf(letter);
    if (at < 0) {
      this.glibc({ kind: 'invalid-short', letter });
      return { kind: 'unrecognized', text: this.previousWord() };
    }
    if (this.shortSpec[at + 1] !== ':') return { kind: 'option', id: letter, value: undefined };
    let value: string;
    if (this.nextChar !== '') {
      value = this.nextChar;
      this.optind++;
    } else if (this.optind === this.argv.length) {
      this.nextChar = undefined;
      this.glibc({ kind: 'short-needs-argument', letter });
      return { kind: 'missing-argument', text: this.previousWord() };
    } else {
      value = this.argv[this.optind++]!;
    }
    this.nextChar = undefined;
    return { kind: 'option', id: letter, value };
  }

  private longOption(text: string): GetoptResult {
    const eq = text.indexOf('=');
    const name = eq < 0 ? text : text.slice(0, eq);
    let found = this.longOptions.find((o) => o.name === name);
    if (!found) {
      const candidates = this.longOptions.filter((o) => o.name.startsWith(name));
      const first = candidates[0];
      // prefixes of several options are ambiguous unless they all mean the same
      const conflicting = candidates.filter((o) => o.hasArg !== first?.hasArg || o.id !== first.id);
      if (first && conflicting.length > 0) {
        this.optind++;
        this.nextChar = undefined;
        this.glibc({ kind: 'ambiguous', text: `--${text}`, candidates: [first, ...conflicting].map((o) => `--${o.name}`) });
        return { kind: 'unrecognized', text: this.previousWord() };
      }
      found = first;
    }
    this.optind++;
    this.nextChar = undefined;
    if (!found) {
      this.glibc({ kind: 'unrecognized-long', text: `--${text}` });
      return { kind: 'unrecognized', text: this.previousWord() };
    }
    if (eq >= 0) {
      if (found.hasArg) return { kind: 'option', id: found.id, value: text.slice(eq + 1) };
      this.glibc({ kind: 'long-takes-no-argument', name: `--${found.name}` });
      return { kind: 'unrecognized', text: this.previousWord() };
    }
    if (!found.hasArg) return { kind: 'option', id: found.id, value: undefined };
    if (this.optind < this.argv.length) return { kind: 'option', id: found.id, value: this.argv[this.optind++] };
    this.glibc({ kind: 'long-needs-argument', name: `--${found.name}` });
    return { kind: 'missing-argument', text: this.previousWord() };
  }

  /** argv[optind - 1]: what qemu-img quotes in its messages. */
  private previousWord(): string {
    return this.argv[this.optind - 1] ?? '';
  }

  private glibc(message: GlibcMessage): void {
    if (!this.quietErrors) this.onGlibcMessage?.(message);
  }
}

/** The text glibc prints for one of its messages, after "<argv[0]>: ". */
export function glibcMessageText(message: GlibcMessage): string {
  switch (message.kind) {
    case 'invalid-short':
      return `invalid option -- '${message.letter}'`;
    case 'short-needs-argument':
      return `option requires an argument -- '${message.letter}'`;
    case 'unrecognized-long':
      return `unrecognized option '${message.text}'`;
    case 'ambiguous':
      return `option '${message.text}' is ambiguous; possibilities:${message.candidates.map((c) => ` '${c}'`).join('')}`;
    case 'long-takes-no-argument':
      return `option '${message.name}' doesn't allow an argument`;
    case 'long-needs-argument':
      return `option '${message.name}' requires an argument`;
  }
}
