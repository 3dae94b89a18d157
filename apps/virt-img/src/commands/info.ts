import { fail, long, scanOptions, usageError, type Command } from '../command.js';
import { humanInfo } from '../format/human-info.js';
import { prettyJson } from '../format/json.js';
import { imageInfo, imageInfoJson, type ImageInfo } from '../image/image-info.js';
import { openImageArgument, type ImageArgument } from '../image/open.js';
import { processObject } from '../options/objects.js';
import { outputFormat } from '../options/output-format.js';

/** qemu-img info [--image-opts] [-f fmt] [--output=ofmt] [--backing-chain] [-U] filename */
export const info: Command = async (context, args) => {
  const { out } = context;
  let format: string | undefined;
  let output: string | undefined;
  let chain = false;
  let imageOptions = false;
  const positional = scanOptions(
    context,
    'info',
    args,
    ':f:hU',
    [long('format', true, 'f'), long('output', true), long('backing-chain', false), long('object', true), long('image-opts', false), long('force-share', false, 'U')],
    (id, value) => {
      if (id === 'f') format = value;
      else if (id === 'output') output = value;
      else if (id === 'backing-chain') chain = true;
      else if (id === 'object') processObject(out, value!);
      else if (id === 'image-opts') imageOptions = true;
    },
  );
  if (positional.length !== 1) usageError(out, 'Expecting one image file name');
  const json = outputFormat(out, output) === 'json';

  // each image alone, without its backing file or any I/O, as qemu-img does
  const infos: ImageInfo[] = [];
  const seen = new Set<string>();
  let image: ImageArgument | undefined = { name: positional[0]!, format, imageOptions };
  while (image) {
    if (seen.has(image.name)) fail(out, `Backing file '${image.name}' creates an infinite loop.`);
    seen.add(image.name);
    const device = await openImageArgument(context, image, { readOnly: true, openBacking: false, metadataOnly: true });
    try {
      infos.push(await imageInfo(device, device.path));
    } finally {
      await device.close();
    }
    const last = infos[infos.length - 1]!;
    image = chain && last.fullBackingFilename !== undefined ? { name: last.fullBackingFilename, format: last.description.backingFormat } : undefined;
  }

  if (json) out.print(`${prettyJson(chain ? infos.map(imageInfoJson) : imageInfoJson(infos[0]!))}\n`);
  else out.print(infos.map(humanInfo).join('\n'));
  return 0;
};
