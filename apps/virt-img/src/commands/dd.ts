import { createImage, dd as copyBlocks, ddLength, openImage, type BlockDevice, type ImageFormat } from '@virt/storage';
import { errorText, fail, long, scanOptions, type Command } from '../command.js';
import { outputDriver } from '../image/creation.js';
import { locateFile } from '../image/location.js';
import { closeImage, openImageArgument } from '../image/open.js';
import { cvtnum } from '../options/cvtnum.js';
import { processObject } from '../options/objects.js';

const OPERANDS = new Set(['bs', 'count', 'if', 'of', 'skip']);

/** qemu-img dd [--image-opts] [-U] [-f fmt] [-O output_fmt] [bs=block_size] [count=blocks] [skip=blocks] if=input of=output */
export const dd: Command = async (context, args) => {
  const { out } = context;
  let format: string | undefined;
  let outputFormat = 'raw';
  let imageOptions = false;
  const operands = scanOptions(context, 'dd', args, ':hf:O:U', [long('object', true), long('image-opts', false), long('force-share', false, 'U')], (id, value) => {
    if (id === 'f') format = value;
    else if (id === 'O') outputFormat = value!;
    else if (id === 'object') processObject(out, value!);
    else if (id === 'image-opts') imageOptions = true;
  });
  const values = new Map<string, string>();
  for (const operand of operands) {
    const equals = operand.indexOf('=');
    const key = equals < 0 ? operand : operand.slice(0, equals);
    if (equals < 0 || !OPERANDS.has(key)) fail(out, `unrecognized operand ${key}`);
    values.set(key, operand.slice(equals + 1));
  }
  const number = (key: string, what: string, min = 0n, max?: bigint): number | undefined => {
    const text = values.get(key);
    return text === undefined ? undefined : Number(max === undefined ? cvtnum(out, what, text, min) : cvtnum(out, what, text, min, max));
  };
  const blockSize = number('bs', 'bs', 1n, 2147483647n) ?? 512;
  const count = number('count', 'count');
  const skip = number('skip', 'skip') ?? 0;
  const inputName = values.get('if');
  const outputName = values.get('of');
  if (inputName === undefined || outputName === undefined) fail(out, 'Must specify both input and output files');
  const input = await openImageArgument(context, { name: inputName, format, imageOptions }, { readOnly: true });
  let output: BlockDevice | undefined;
  try {
    if (!outputDriver(outputFormat)) fail(out, 'Unknown file format');
    const where = locateFile(outputName);
    if (!where.ok) fail(out, `${outputName}: error while creating output image: ${where.message}`);
    const options = { blockSize, skip, ...(count === undefined ? {} : { count }) };
    try {
      await createImage(outputFormat as ImageFormat, { path: where.location.path, size: ddLength(input.size, options) });
    } catch (err) {
      fail(out, `${outputName}: error while creating output image: ${errorText(err)}`);
    }
    try {
      output = (await openImage(where.location.path, { format: outputFormat as ImageFormat, readOnly: false })).device;
    } catch (err) {
      fail(out, `Could not open '${outputName}': ${errorText(err)}`);
    }
    if (skip * blockSize > input.size) {
      out.error(`${inputName}: cannot skip to specified offset`);
      return 0;
    }
    try {
      await copyBlocks(input, output, options);
    } catch (err) {
      fail(out, errorText(err));
    }
    return 0;
  } finally {
    if (output) await closeImage(out, output);
    await closeImage(out, input);
  }
};
