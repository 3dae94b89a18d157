import { describeErrno } from '@virt/core-api';
import { compare as compareImages, CompareError, type BlockDevice, type CompareResult } from '@virt/storage';
import { errorText, Exit, fail, long, scanOptions, usageError, type Command } from '../command.js';
import { closeImage, openImageArgument } from '../image/open.js';
import { checkSourceCacheMode } from '../options/cache.js';
import { processObject } from '../options/objects.js';
import { Progress } from '../progress.js';

/** compare's exit statuses beyond 0 (identical) and 1 (different). */
const CANNOT_OPEN = 2;
const STATUS_FAILED = 3;
const READ_FAILED = 4;

/** qemu-img compare [--object objectdef] [--image-opts] [-f fmt] [-F fmt] [-T src_cache] [-p] [-q] [-s] [-U] filename1 filename2 */
export const compare: Command = async (context, args) => {
  const { out } = context;
  let format1: string | undefined;
  let format2: string | undefined;
  let sourceCache: string | undefined;
  let progress = false;
  let quiet = false;
  let strict = false;
  let imageOptions = false;
  const positional = scanOptions(context, 'compare', args, ':hf:F:T:pqsU', [long('object', true), long('image-opts', false), long('force-share', false, 'U')], (id, value) => {
    if (id === 'f') format1 = value;
    else if (id === 'F') format2 = value;
    else if (id === 'T') sourceCache = value;
    else if (id === 'p') progress = true;
    else if (id === 'q') quiet = true;
    else if (id === 's') strict = true;
    else if (id === 'object') {
      try {
        processObject(out, value!);
      } catch (err) {
        // a bad object is an open error here, not a usage error
        if (err instanceof Exit && err.status !== 0) throw new Exit(CANNOT_OPEN);
        throw err;
      }
    }
    else if (id === 'image-opts') imageOptions = true;
  });
  if (positional.length !== 2) usageError(out, 'Expecting two image file names');
  const [name1, name2] = positional as [string, string];
  checkSourceCacheMode(out, sourceCache, CANNOT_OPEN);
  const settings = { readOnly: true, failStatus: CANNOT_OPEN };
  const first = await openImageArgument(context, { name: name1, format: format1, imageOptions }, settings);
  let second: BlockDevice | undefined;
  try {
    second = await openImageArgument(context, { name: name2, format: format2, imageOptions }, settings);
    const bar = Progress.start(out, progress && !quiet, 2);
    const say = (text: string): void => void (quiet || out.print(text));
    let result: CompareResult;
    try {
      result = await compareImages(first, second, { strict, onProgress: (percent) => bar.set(percent) });
    } catch (err) {
      if (!(err instanceof CompareError)) throw err;
      const name = err.image === 0 ? name1 : name2;
      if (err.step === 'status') fail(out, `Sector allocation test failed for ${name}`, STATUS_FAILED);
      fail(out, `Error while reading offset ${err.offset} of ${name}: ${reasonText(err.reason)}`, READ_FAILED);
    }
    if (!result.same && result.reason === 'size') say('Strict mode: Image size mismatch!\n');
    else if (!result.same && result.reason === 'status') say(`Strict mode: Offset ${result.offset} block status mismatch!\n`);
    else {
      // the size warning comes once the common part has been found equal
      if (result.sizeMismatch && (result.same || result.reason !== 'content' || result.offset >= Math.min(first.size, second.size))) say('Warning: Image size mismatch!\n');
      say(result.same ? 'Images are identical.\n' : `Content mismatch at offset ${result.offset}!\n`);
    }
    bar.end();
    return result.same ? 0 : 1;
  } finally {
    if (second) await closeImage(out, second);
    await closeImage(out, first);
  }
};

function reasonText(reason: unknown): string {
  return (reason as NodeJS.ErrnoException).code ? describeErrno(reason as NodeJS.ErrnoException) : errorText(reason);
}
