import { fail } from '../command.js';
import type { Output } from '../output.js';

export type OutputFormat = 'human' | 'json';

/** The --output value of info, check, map and measure. */
export function outputFormat(out: Output, text: string | undefined): OutputFormat {
  if (text === undefined || text === 'human') return 'human';
  if (text === 'json') return 'json';
  return fail(out, '--output must be used with human or json as argument.');
}
