import { errorText, Exit, fail, long, scanOptions, usageError, type Command } from '../command.js';
import { creationOptions, outputDriver } from '../image/creation.js';
import { closeImage, openImageArgument } from '../image/open.js';
import { cacheMode, checkCacheMode } from '../options/cache.js';
import { processObject } from '../options/objects.js';
import { accumulateOptions, appendOptions, isValidOptionList, optionHelp, parseOptionList, splitOptionList } from '../options/option-list.js';
import type { Output } from '../output.js';
import { Progress } from '../progress.js';

/** qemu-img amend [--object objectdef] [--image-opts] [-p] [-q] [-f fmt] [-t cache] [--force] -o options filename */
export const amend: Command = async (context, args) => {
  const { out } = context;
  let format: string | undefined;
  let options: string | undefined;
  let cache: string | undefined;
  let progress = false;
  let quiet = false;
  let imageOptions = false;
  const positional = scanOptions(context, 'amend', args, ':ho:f:t:pq', [long('object', true), long('image-opts', false), long('force', false)], (id, value) => {
    if (id === 'o') {
      if (!isValidOptionList(value!)) fail(out, `Invalid option list: ${value}`);
      options = accumulateOptions(options, value!);
    } else if (id === 'f') format = value;
    else if (id === 't') cache = value;
    else if (id === 'p') progress = true;
    else if (id === 'q') quiet = true;
    else if (id === 'object') processObject(out, value!);
    else if (id === 'image-opts') imageOptions = true;
  });
  if (options === undefined) usageError(out, 'Must specify options (-o)');
  const bar = Progress.start(out, progress && !quiet, 1);
  if (format !== undefined && splitOptionList(options).help) return printAmendHelp(out, format);
  if (positional.length !== 1) fail(out, 'Expecting one image file name');
  checkCacheMode(out, cache);
  const device = await openImageArgument(context, { name: positional[0]!, format, imageOptions }, { readOnly: false, cache: cacheMode(cache) });
  try {
    if (splitOptionList(options).help) return printAmendHelp(out, device.format);
    const driver = outputDriver(device.format);
    if (!device.amend || !driver?.amendOptions) fail(out, `Format driver '${device.format}' does not support option amendment`);
    const parsed = parseOptionList(options, driver.amendOptions);
    if (!parsed.ok) {
      // an option only creation takes gets a hint saying so
      const creation = parseOptionList(options, appendOptions(driver.amendOptions, creationOptions(driver)));
      out.error(parsed.error.message);
      out.printError(creation.ok ? 'This option is only supported for image creation\n' : (parsed.error.hint ?? ''));
      throw new Exit(1);
    }
    const values: Record<string, string> = {};
    for (const [name, { text }] of parsed.values) values[name] = text;
    try {
      await device.amend(values);
    } catch (err) {
      fail(out, errorText(err));
    }
    bar.set(100);
    bar.end();
  } finally {
    await closeImage(out, device);
  }
  return 0;
};

/** amend's "-o help": the options the format can change, or why there are none. Returns the exit status. */
function printAmendHelp(out: Output, format: string): number {
  const driver = outputDriver(format);
  if (!driver) fail(out, `Unknown file format '${format}'`);
  if (!driver.amendOptions) fail(out, `Format driver '${format}' does not support option amendment`);
  out.print(`Amend options for '${format}':\n${optionHelp(driver.amendOptions)}`);
  return 0;
}
