import { commit as commitImage, openImage, type BlockDevice } from '@virt/storage';
import { errorText, fail, long, scanOptions, usageError, type Command } from '../command.js';
import { backingPath } from '../image/backing-path.js';
import { closeImage, openImageArgument } from '../image/open.js';
import { cacheMode, checkCacheMode } from '../options/cache.js';
import { cvtnum } from '../options/cvtnum.js';
import { processObject } from '../options/objects.js';
import { Progress } from '../progress.js';

/** qemu-img commit [--object objectdef] [--image-opts] [-q] [-f fmt] [-t cache] [-b base] [-r rate_limit] [-d] [-p] filename */
export const commit: Command = async (context, args) => {
  const { out } = context;
  let format: string | undefined;
  let cache: string | undefined;
  let baseName: string | undefined;
  let drop = false;
  let progress = false;
  let quiet = false;
  let imageOptions = false;
  const positional = scanOptions(context, 'commit', args, ':f:ht:b:dpqr:', [long('object', true), long('image-opts', false)], (id, value) => {
    if (id === 'f') format = value;
    else if (id === 't') cache = value;
    else if (id === 'b') {
      baseName = value;
      drop = true;
    } else if (id === 'd') drop = true;
    else if (id === 'p') progress = true;
    else if (id === 'q') quiet = true;
    // the rate limit is checked, and has no use for a copy that runs alone
    else if (id === 'r') cvtnum(out, 'rate limit', value!);
    else if (id === 'object') processObject(out, value!);
    else if (id === 'image-opts') imageOptions = true;
  });
  if (positional.length !== 1) usageError(out, 'Expecting one image file name');
  checkCacheMode(out, cache);
  const name = positional[0]!;
  const top = await openImageArgument(context, { name, format, imageOptions }, { readOnly: false, cache: cacheMode(cache) });
  let base: BlockDevice | undefined;
  try {
    const bar = Progress.start(out, progress && !quiet, 1);
    const chain = await backingChain(top, name);
    const depth = baseName === undefined ? 1 : chain.findIndex((c) => c.path === baseName || c.path === backingPath(name, baseName!)) + 1;
    if (baseName !== undefined && depth === 0) fail(out, `Did not find '${baseName}' in the backing chain of '${name}'`);
    const target = chain[depth - 1];
    if (!target) fail(out, 'Image does not have a backing file');
    try {
      base = (await openImage(target.device.path, { format: target.device.format, readOnly: false, cache: cacheMode(cache) })).device;
      await commitImage(top, base, depth, { emptyTop: !drop, onProgress: (percent) => bar.set(percent) });
    } catch (err) {
      fail(out, errorText(err));
    }
    bar.end();
  } finally {
    if (base) await closeImage(out, base);
    await closeImage(out, top);
  }
  if (!quiet) out.print('Image committed.\n');
  return 0;
};

/** The images below `top`, each with the name it is reached by (relative to the top image's name). */
async function backingChain(top: BlockDevice, name: string): Promise<{ device: BlockDevice; path: string }[]> {
  const chain: { device: BlockDevice; path: string }[] = [];
  let above = { device: top, path: name };
  while (above.device.backing) {
    const recorded = (await above.device.describe()).backingFilename ?? above.device.backing.path;
    above = { device: above.device.backing, path: backingPath(above.path, recorded) };
    chain.push(above);
  }
  return chain;
}
