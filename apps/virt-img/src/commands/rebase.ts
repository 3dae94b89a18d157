import { realpath } from 'node:fs/promises';
import { OperationError, openImage, rebase as rebaseImage, type BlockDevice, type ImageFormat } from '@virt/storage';
import { errorText, fail, long, scanOptions, usageError, type Command } from '../command.js';
import { backingPath } from '../image/backing-path.js';
import { checkFormatName, closeImage, openImageArgument } from '../image/open.js';
import { cacheMode, checkCacheMode, checkSourceCacheMode } from '../options/cache.js';
import { processObject } from '../options/objects.js';
import { Progress } from '../progress.js';

/** qemu-img rebase [--object objectdef] [--image-opts] [-U] [-q] [-f fmt] [-t cache] [-T src_cache] [-p] [-u] -b backing_file [-F backing_fmt] filename */
export const rebase: Command = async (context, args) => {
  const { out } = context;
  let format: string | undefined;
  let backingFile: string | undefined;
  let backingFormat: string | undefined;
  let cache: string | undefined;
  let sourceCache: string | undefined;
  let unsafe = false;
  let progress = false;
  let quiet = false;
  let imageOptions = false;
  const positional = scanOptions(context, 'rebase', args, ':hf:F:b:upt:T:qU', [long('object', true), long('image-opts', false), long('force-share', false, 'U')], (id, value) => {
    if (id === 'f') format = value;
    else if (id === 'F') backingFormat = value;
    else if (id === 'b') backingFile = value;
    else if (id === 'u') unsafe = true;
    else if (id === 'p') progress = true;
    else if (id === 't') cache = value;
    else if (id === 'T') sourceCache = value;
    else if (id === 'q') quiet = true;
    else if (id === 'object') processObject(out, value!);
    else if (id === 'image-opts') imageOptions = true;
  });
  if (positional.length !== 1) usageError(out, 'Expecting one image file name');
  if (!unsafe && backingFile === undefined) usageError(out, 'Must specify backing file (-b) or use unsafe mode (-u)');
  const bar = Progress.start(out, progress && !quiet, 2);
  checkCacheMode(out, cache);
  checkSourceCacheMode(out, sourceCache);
  const name = positional[0]!;
  const image = await openImageArgument(context, { name, format, imageOptions }, { readOnly: false, openBacking: !unsafe, cache: cacheMode(cache) });
  let newBacking: BlockDevice | undefined;
  try {
    if (backingFormat !== undefined && checkFormatName(backingFormat) !== undefined) fail(out, `Invalid format name: '${backingFormat}'`);
    if (!unsafe && backingFile) {
      try {
        const opened = await openImage(backingPath(name, backingFile), {
          format: backingFormat as ImageFormat | undefined,
          readOnly: true,
          // the image cannot come to back itself
          openAbove: [await realpath(image.path)],
        });
        newBacking = opened.device;
      } catch (err) {
        fail(out, `Could not open new backing file '${backingFile}': ${errorText(err)}`);
      }
    }
    try {
      await rebaseImage(image, {
        safe: !unsafe,
        ...(newBacking ? { newBacking } : {}),
        ...(backingFile ? { backingFile } : {}),
        ...(backingFile && backingFormat ? { backingFormat: backingFormat as ImageFormat } : {}),
        onProgress: (percent) => bar.set(percent),
      });
    } catch (err) {
      // a failed copy says what failed itself; anything else failed changing the header
      if (err instanceof OperationError) fail(out, errorText(err));
      fail(out, `Could not change the backing file to '${backingFile ?? '(null)'}': ${errorText(err)}`);
    }
    bar.end();
  } finally {
    if (newBacking) await closeImage(out, newBacking);
    await closeImage(out, image);
  }
  return 0;
};
