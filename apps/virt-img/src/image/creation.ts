/*
 * What creating an image takes, shared by create, convert, dd and measure:
 * the option list of a format followed by the host file's, its help, and
 * the library request built from parsed options.
 */
import { errnoNumber, VirtError } from '@virt/core-api';
import { FILE_CREATE_OPTIONS, formatDriver, type CreateRequest, type FormatDriver, type ImageFormat, type Preallocation } from '@virt/storage';
import { appendOptions, optionHelp, type OptionDescription, type OptionValues } from '../options/option-list.js';
import type { Output } from '../output.js';
import { locateFile } from './location.js';

/** The driver for an output format, or undefined when there is none. */
export function outputDriver(format: string): FormatDriver | undefined {
  try {
    return formatDriver(format);
  } catch {
    return undefined;
  }
}

/** The options creating `driver`'s images takes: its own, then the host file's. */
export function creationOptions(driver: FormatDriver): OptionDescription[] {
  return appendOptions(driver.createOptions, FILE_CREATE_OPTIONS);
}

/**
 * "-o help" for creating `format` images: its own options, or with a target
 * file name, the file's too. Returns the exit status.
 */
export function printCreationHelp(out: Output, format: string, filename: string | undefined): number {
  const driver = outputDriver(format);
  if (!driver) {
    out.error(`Unknown file format '${format}'`);
    return 1;
  }
  if (filename === undefined) {
    out.print(`Supported ${format} options:\n${optionHelp(driver.createOptions)}\n`);
    out.print('The protocol level may support further options.\nSpecify the target filename to include those options.\n');
    return 0;
  }
  const where = locateFile(filename);
  if (!where.ok) {
    out.error(where.message);
    return 1;
  }
  out.print(`Supported options:\n${optionHelp(creationOptions(driver))}`);
  return 0;
}

const PREALLOCATION_MODES: readonly Preallocation[] = ['off', 'metadata', 'falloc', 'full'];

/** A preallocation mode by name, or the message qemu-img gives for a name it does not know. */
export function preallocationMode(text: string): Preallocation | { error: string } {
  return (PREALLOCATION_MODES as readonly string[]).includes(text) ? (text as Preallocation) : { error: `Parameter 'preallocation' does not accept value '${text}'` };
}

/** Options read from the list and given fields of their own in the request, rather than passed on. */
const REQUEST_FIELDS = new Set(['size', 'backing_file', 'backing_fmt', 'preallocation']);

/**
 * The host file's nocow and extent_size_hint only tune btrfs and XFS; as in
 * qemu-img on other file systems, they are accepted and have no effect.
 */
const FILE_TUNING = new Set(['nocow', 'extent_size_hint']);

/** The library's request for creating `path` from parsed options; or the message for a bad preallocation mode. */
export function createRequest(path: string, size: number, values: OptionValues): CreateRequest | { error: string } {
  const request: CreateRequest = { path, size };
  const options: Record<string, string> = {};
  for (const [name, { value }] of values) {
    if (FILE_TUNING.has(name)) continue;
    if (!REQUEST_FIELDS.has(name)) options[name] = typeof value === 'boolean' ? (value ? 'on' : 'off') : String(value);
  }
  const preallocation = values.get('preallocation');
  if (preallocation) {
    const mode = preallocationMode(preallocation.text);
    if (typeof mode === 'object') return mode;
    request.preallocation = mode;
  }
  const backingFile = values.get('backing_file')?.text;
  if (backingFile !== undefined) request.backingFile = backingFile;
  const backingFormat = values.get('backing_fmt')?.text;
  // the format is recorded as given; opening the backing file later checks it
  if (backingFormat !== undefined) request.backingFormat = backingFormat as ImageFormat;
  if (Object.keys(options).length > 0) request.options = options;
  return request;
}

/** The file system refused the size (EFBIG): qemu-img words this as the image being too large. */
export function isTooLarge(err: unknown): boolean {
  return err instanceof VirtError && err.extras.int1 === errnoNumber('EFBIG');
}

/** qemu-img's message for an image too large to create; a format with clusters suggests larger ones. */
export function tooLargeMessage(format: string, values: OptionValues): string {
  const clustered = values.has('cluster_size') || (outputDriver(format)?.createOptions.some((o) => o.name === 'cluster_size') ?? false);
  const hint = clustered ? ' (try using a larger cluster size)' : '';
  return `The image size is too large for file format '${format}'${hint}`;
}

/** The largest size the library can hold exactly; beyond it no file system here takes the image anyway. */
export const LARGEST_SIZE = BigInt(Number.MAX_SAFE_INTEGER);
