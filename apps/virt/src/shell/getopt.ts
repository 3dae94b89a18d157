/**
 * getopt_long(3) as virsh uses it ("+:c:d:...": stop at the first
 * non-option word, report problems ourselves): bundled short options,
 * attached or separate arguments, long options as `--name=value` or
 * `--name value`, unique-prefix abbreviations of long names, `--` ends
 * the options.
 */
export interface LongOption {
  readonly name: string;
  readonly hasArg: 'none' | 'required' | 'optional';
  readonly short: string;
}

export type GetoptEvent =
  | { kind: 'option'; short: string; value: string | undefined; long: boolean }
  | { kind: 'missing-argument'; short: string }
  | { kind: 'unknown'; text: string };

export interface GetoptResult {
  events: GetoptEvent[];
  /** The words after the options. */
  rest: string[];
}

export function getopt(args: readonly string[], shortSpec: string, longOptions: readonly LongOption[]): GetoptResult {
  const events: GetoptEvent[] = [];
  const takesArg = (c: string): boolean => {
    const i = shortSpec.indexOf(c);
    return i >= 0 && shortSpec[i + 1] === ':';
  };
  let i = 0;
  while (i < args.length) {
    const word = args[i]!;
    if (word === '--') {
      i++;
      break;
    }
    if (word.startsWith('--')) {
      i++;
      const eq = word.indexOf('=');
      const name = eq >= 0 ? word.slice(2, eq) : word.slice(2);
      const inline = eq >= 0 ? word.slice(eq + 1) : undefined;
      const exact = longOptions.find((o) => o.name === name);
      const prefixed = longOptions.filter((o) => o.name.startsWith(name));
      const opt = exact ?? (prefixed.length === 1 ? prefixed[0] : undefined);
      if (!opt) {
        events.push({ kind: 'unknown', text: eq >= 0 ? word.slice(0, eq) : word });
        continue;
      }
      if (opt.hasArg === 'none') {
        if (inline !== undefined) events.push({ kind: 'unknown', text: `-${opt.short}` });
        else events.push({ kind: 'option', short: opt.short, value: undefined, long: true });
      } else if (opt.hasArg === 'optional') {
        events.push({ kind: 'option', short: opt.short, value: inline, long: true });
      } else if (inline !== undefined) {
        events.push({ kind: 'option', short: opt.short, value: inline, long: true });
      } else if (i < args.length) {
        events.push({ kind: 'option', short: opt.short, value: args[i++], long: true });
      } else {
        events.push({ kind: 'missing-argument', short: opt.short });
      }
      continue;
    }
    if (word.startsWith('-') && word.length > 1) {
      i++;
      for (let j = 1; j < word.length; j++) {
        const c = word[j]!;
        if (c === ':' || !shortSpec.includes(c)) {
          events.push({ kind: 'unknown', text: `-${c}` });
          continue;
        }
        if (!takesArg(c)) {
          events.push({ kind: 'option', short: c, value: undefined, long: false });
          continue;
        }
        if (j + 1 < word.length) events.push({ kind: 'option', short: c, value: word.slice(j + 1), long: false });
        else if (i < args.length) events.push({ kind: 'option', short: c, value: args[i++], long: false });
        else events.push({ kind: 'missing-argument', short: c });
        break;
      }
      continue;
    }
    break;
  }
  return { events, rest: args.slice(i) };
}
