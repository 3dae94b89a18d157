import { formatDriver, openImage, type BlockDevice, type CacheMode, type ImageFormat } from '@virt/storage';
import { errorText, fail, type Context } from '../command.js';
import type { Output } from '../output.js';
import { locateFile, locateImageOptions, type LocationResult } from './location.js';

/** An image named on the command line, with how the user asked to read it. */
export interface ImageArgument {
  /** As given: what messages quote. */
  name: string;
  /** -f */
  format?: string;
  /** --image-opts: `name` is an option list. */
  imageOptions?: boolean;
}

export interface OpenSettings {
  readOnly: boolean;
  /** Open the backing chain too (default true). */
  openBacking?: boolean;
  /** -U: do not take locks (only for read-only opens). */
  forceShare?: boolean;
  /** Only the metadata will be read (info): see the library's OpenContext.metadataOnly. */
  metadataOnly?: boolean;
  /** -t: how writes are made durable (default writeback). */
  cache?: CacheMode;
  /** Opened by check (see the library's OpenContext.forCheck). */
  forCheck?: boolean;
  /** The exit status of a failure (compare uses 2). */
  failStatus?: number;
}

/** What the raw driver says when it had to guess raw for an image opened for writing. */
export function rawProbeWarning(name: string): string {
  return (
    `WARNING: Image format was not specified for '${name}' and probing guessed raw.\n` +
    '         Automatically detecting the format is dangerous for raw images, write operations on block 0 will be restricted.\n' +
    "         Specify the 'raw' format explicitly to remove the restrictions.\n"
  );
}

/** The file and format behind an argument, or the reason there is none. */
export function locate(image: ImageArgument): LocationResult {
  return image.imageOptions ? locateImageOptions(image.name) : locateFile(image.name);
}

/** Check a format name given for opening (-f, -F): "Unknown driver 'x'" when there is no such format. */
export function checkFormatName(format: string): string | undefined {
  try {
    formatDriver(format);
    return undefined;
  } catch (err) {
    return errorText(err);
  }
}

/**
 * Open an image as qemu-img's commands do, failing with its messages
 * ("Could not open 'x': ...") and, for a writable image whose format was
 * guessed as raw, printing the raw driver's warning.
 */
export async function openImageArgument(context: Context, image: ImageArgument, settings: OpenSettings): Promise<BlockDevice> {
  const { out } = context;
  const status = settings.failStatus ?? 1;
  if (image.imageOptions && image.format !== undefined) fail(out, '--image-opts and --format are mutually exclusive', status);
  const where = locate(image);
  const cannot = (message: string): never => fail(out, `Could not open '${image.name}': ${message}`, status);
  if (!where.ok) return cannot(where.message);
  const format = where.location.format ?? image.format;
  const unknown = format === undefined ? undefined : checkFormatName(format);
  if (unknown !== undefined) cannot(unknown);
  if (settings.forceShare && !settings.readOnly) cannot('force-share=on can only be used with read-only images');
  try {
    const opened = await openImage(where.location.path, {
      format: format as ImageFormat | undefined,
      readOnly: settings.readOnly,
      openBacking: settings.openBacking ?? true,
      metadataOnly: settings.metadataOnly ?? false,
      forCheck: settings.forCheck ?? false,
      cache: settings.cache,
    });
    if (opened.probedRaw && !settings.readOnly) out.printError(rawProbeWarning(where.location.path));
    return opened.device;
  } catch (err) {
    return cannot(errorText(err));
  }
}

/** Close an image, reporting a failure to flush it as qemu-img would report a failed write. */
export async function closeImage(out: Output, device: BlockDevice): Promise<boolean> {
  try {
    await device.close();
    return true;
  } catch (err) {
    out.error(errorText(err));
    return false;
  }
}
