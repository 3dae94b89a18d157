import { errorText, fail, long, scanOptions, usageError, type Command } from '../command.js';
import { outputDriver } from '../image/creation.js';
import { closeImage, openImageArgument } from '../image/open.js';
import { checkCacheMode } from '../options/cache.js';
import { processObject } from '../options/objects.js';
import { accumulateOptions, isValidOptionList, splitOptionList } from '../options/option-list.js';
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
  if (format !== undefined && splitOptionList(options).help) {
    if (!outputDriver(format)) fail(out, `Unknown file format '${format}'`);
    fail(out, `Format driver '${format}' does not support option amendment`);
  }
  if (positional.length !== 1) fail(out, 'Expecting one image file name');
  checkCacheMode(out, cache);
  const device = await openImageArgument(context, { name: positional[0]!, format, imageOptions }, { readOnly: false });
  try {
    if (!device.amend) fail(out, `Format driver '${device.format}' does not support option amendment`);
    const values: Record<string, string> = {};
    for (const { name, value } of splitOptionList(options).items) values[name] = value;
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
