import { errorText, Exit, fail, long, scanOptions, usageError, type Command } from '../command.js';
import { preallocationMode } from '../image/creation.js';
import { closeImage, openImageArgument } from '../image/open.js';
import { processObject } from '../options/objects.js';
import { parseOptionValue } from '../options/option-list.js';
import type { Preallocation } from '@virt/storage';

const INT64_LIMIT = 1n << 63n;

/** qemu-img resize [--object objectdef] [--image-opts] [-f fmt] [--preallocation=prealloc] [-q] [--shrink] filename [+ | -]size */
export const resize: Command = async (context, args) => {
  const { out } = context;
  if (args.length < 2) usageError(out, 'Not enough arguments');
  // the size goes last and may start with '-': it is taken before the options are read
  const sizeText = args[args.length - 1]!;
  let format: string | undefined;
  let preallocation: Preallocation | undefined;
  let quiet = false;
  let shrink = false;
  let imageOptions = false;
  const positional = scanOptions(
    context,
    'resize',
    args.slice(0, -1),
    ':f:hq',
    [long('object', true), long('image-opts', false), long('preallocation', true), long('shrink', false)],
    (id, value) => {
      if (id === 'f') format = value;
      else if (id === 'q') quiet = true;
      else if (id === 'shrink') shrink = true;
      else if (id === 'object') processObject(out, value!);
      else if (id === 'image-opts') imageOptions = true;
      else if (id === 'preallocation') {
        const mode = preallocationMode(value!);
        if (typeof mode === 'object') fail(out, `Invalid preallocation mode '${value}'`);
        preallocation = mode;
      }
    },
  );
  if (positional.length !== 1) usageError(out, 'Expecting image file name and size');
  const relative = sizeText.startsWith('+') ? 1n : sizeText.startsWith('-') ? -1n : 0n;
  const parsed = parseOptionValue({ name: 'size', type: 'size', help: '' }, relative === 0n ? sizeText : sizeText.slice(1));
  if (!parsed.ok) {
    out.error(parsed.error.message);
    out.printError(parsed.error.hint ?? '');
    throw new Exit(1);
  }
  const amount = parsed.value as bigint;
  const device = await openImageArgument(context, { name: positional[0]!, format, imageOptions }, { readOnly: false });
  try {
    const current = BigInt(device.size);
    let size = relative === 0n ? amount : current + relative * amount;
    if (size >= INT64_LIMIT) size = -1n;
    if (size <= 0n) fail(out, 'New image size must be positive');
    if (size <= current && preallocation !== undefined && preallocation !== 'off') fail(out, 'Preallocation can only be used for growing images');
    if (size < current && !shrink) {
      out.error('Use the --shrink option to perform a shrink operation.');
      out.warn("Shrinking an image will delete all data beyond the shrunken image's end. Before performing such an operation, make sure there is no important data there.");
      throw new Exit(1);
    }
    try {
      await device.resize(Number(size), { shrink: true, ...(preallocation ? { preallocation } : {}) });
    } catch (err) {
      fail(out, errorText(err));
    }
  } finally {
    await closeImage(out, device);
  }
  if (!quiet) out.print('Image resized.\n');
  return 0;
};
