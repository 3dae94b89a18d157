import { createImage, openImage, type ImageFormat } from '@virt/storage';
import { errorText, Exit, fail, long, scanOptions, usageError, type Command } from '../command.js';
import { backingPath } from '../image/backing-path.js';
import { createRequest, creationOptions, isTooLarge, LARGEST_SIZE, outputDriver, printCreationHelp, tooLargeMessage } from '../image/creation.js';
import { locateFile } from '../image/location.js';
import { checkFormatName } from '../image/open.js';
import { cvtnum } from '../options/cvtnum.js';
import { processObject } from '../options/objects.js';
import { accumulateOptions, formatOptionValues, hasHelpOption, isValidOptionList, parseOptionList } from '../options/option-list.js';

/** qemu-img create [-q] [-f fmt] [-b backing_file [-F backing_fmt]] [-u] [-o options] filename [size] */
export const create: Command = async (context, args) => {
  const { out } = context;
  let format = 'raw';
  let backingFile: string | undefined;
  let backingFormat: string | undefined;
  let options: string | undefined;
  let quiet = false;
  let unsafe = false;
  const positional = scanOptions(context, 'create', args, ':F:b:f:ho:qu', [long('object', true)], (id, value) => {
    switch (id) {
      case 'F':
        backingFormat = value;
        break;
      case 'b':
        backingFile = value;
        break;
      case 'f':
        format = value!;
        break;
      case 'o':
        if (!isValidOptionList(value!)) fail(out, `Invalid option list: ${value}`);
        options = accumulateOptions(options, value!);
        break;
      case 'q':
        quiet = true;
        break;
      case 'u':
        unsafe = true;
        break;
      case 'object':
        processObject(out, value!);
        break;
    }
  });
  if (options !== undefined && hasHelpOption(options)) return printCreationHelp(out, format, positional[0]);
  const filename = positional[0];
  if (filename === undefined) usageError(out, 'Expecting image file name');
  const sizeArgument = positional[1] === undefined ? undefined : cvtnum(out, 'image size', positional[1]);
  if (positional.length > 2) usageError(out, `Unexpected argument: ${positional[2]}`);

  // from here on, messages name the new image
  const failHere: (message: string, hint?: string) => never = (message, hint = '') => {
    out.error(`${filename}: ${message}`);
    out.printError(hint);
    throw new Exit(1);
  };
  const driver = outputDriver(format) ?? failHere(`Unknown file format '${format}'`);
  const where = locateFile(filename);
  if (!where.ok) failHere(where.message);
  const descriptions = creationOptions(driver);
  const parsed = parseOptionList(options ?? '', descriptions);
  if (!parsed.ok) failHere(parsed.error.message, parsed.error.hint);
  const values = parsed.values;
  if (sizeArgument !== undefined) {
    if (values.has('size')) failHere('The image size must be specified only once');
    values.set('size', { text: String(sizeArgument), value: sizeArgument });
  }
  // -b and -F override -o backing_file and backing_fmt
  const setOption = (name: string, text: string, refusal: string): void => {
    if (!descriptions.some((d) => d.name === name)) failHere(refusal);
    values.delete(name);
    values.set(name, { text, value: text });
  };
  if (backingFile !== undefined) setOption('backing_file', backingFile, `Backing file not supported for file format '${format}'`);
  if (backingFormat !== undefined) setOption('backing_fmt', backingFormat, `Backing file format not supported for file format '${format}'`);
  const backing = values.get('backing_file')?.text;
  const backingFmt = values.get('backing_fmt')?.text;
  if (backing !== undefined) {
    if (backing === filename) failHere('Error: Trying to create an image with the same filename as the backing file');
    if (backing === '') failHere('Expected backing file name, got empty string');
  }
  if (backing !== undefined && !unsafe) {
    const backingSize = await backingFileSize(backingPath(filename, backing), backingFmt, failHere);
    if (!values.has('size')) values.set('size', { text: String(backingSize), value: BigInt(backingSize) });
  } else if (backing !== undefined && backingFmt === undefined) {
    failHere('Backing file specified without backing format');
  }
  const size = values.get('size')?.value as bigint | undefined;
  if (size === undefined) failHere('Image creation needs a size parameter');

  if (!quiet) {
    out.print(`Formatting '${filename}', fmt=${format} ${formatOptionValues(descriptions, values)}\n`);
    out.flush();
  }
  if (size > LARGEST_SIZE) failHere(tooLargeMessage(format, values));
  const request = createRequest(where.location.path, Number(size), values);
  if ('error' in request) failHere(request.error);
  try {
    await createImage(format as ImageFormat, request);
  } catch (err) {
    failHere(isTooLarge(err) ? tooLargeMessage(format, values) : errorText(err));
  }
  return 0;
};

/**
 * Open the backing file of a new image (no I/O, as qemu-img) for its size,
 * insisting on a backing format as qemu-img 7.2 does.
 */
async function backingFileSize(path: string, format: string | undefined, failHere: (message: string, hint?: string) => never): Promise<number> {
  const unknown = format === undefined ? undefined : checkFormatName(format);
  if (unknown !== undefined) failHere(unknown, 'Could not open backing image.\n');
  let opened;
  try {
    opened = await openImage(path, { format: format as ImageFormat | undefined, readOnly: true, openBacking: false });
  } catch (err) {
    return failHere(errorText(err), 'Could not open backing image.\n');
  }
  const { device } = opened;
  await device.close();
  if (format === undefined) failHere('Backing file specified without backing format', `Detected format of ${device.format}.`);
  return device.size;
}
