import { bench as runBench } from '@virt/storage';
import { errorText, fail, long, scanOptions, usageError, type Command } from '../command.js';
import { formatFixed } from '../format/printf.js';
import { closeImage, openImageArgument } from '../image/open.js';
import { isCacheMode } from '../options/cache.js';
import { cvtnum } from '../options/cvtnum.js';
import { parseInteger } from '../options/integer.js';

const INT_MAX = 2147483647;
const AIO_MODES = new Set(['threads', 'native', 'io_uring']);

/** qemu-img bench [-c count] [-d depth] [-f fmt] [--flush-interval=flush_interval] [-i aio] [-n] [--no-drain] [-o offset] [--pattern=pattern] [-q] [-s buffer_size] [-S step_size] [-t cache] [-w] [-U] filename */
export const bench: Command = async (context, args) => {
  const { out } = context;
  let format: string | undefined;
  let count = 75000;
  let depth = 64;
  let bufferSize = 4096;
  let step: number | undefined;
  let offset = 0;
  let pattern = 0;
  let flushInterval = 0;
  let write = false;
  let imageOptions = false;
  const integer = (text: string, max: number, message: string): number => parseInteger(text, max) ?? fail(out, message);
  const positional = scanOptions(
    context,
    'bench',
    args,
    ':hc:d:f:ni:o:qs:S:t:wU',
    [long('flush-interval', true), long('image-opts', false), long('pattern', true), long('no-drain', false), long('force-share', false, 'U')],
    (id, value) => {
      switch (id) {
        case 'c': count = integer(value!, INT_MAX, 'Invalid request count specified'); break;
        case 'd': depth = integer(value!, INT_MAX, 'Invalid queue depth specified'); break;
        case 'f': format = value; break;
        case 'i': if (!AIO_MODES.has(value!)) fail(out, `Invalid aio option: ${value}`); break;
        case 'o': offset = Number(cvtnum(out, 'offset', value!)); break;
        case 's': bufferSize = Number(cvtnum(out, 'buffer size', value!, 0n, BigInt(INT_MAX))); break;
        case 'S': step = Number(cvtnum(out, 'step_size', value!, 0n, BigInt(INT_MAX))); break;
        case 't': if (!isCacheMode(value!)) fail(out, 'Invalid cache mode'); break;
        case 'w': write = true; break;
        case 'pattern': pattern = integer(value!, 0xff, 'Invalid pattern byte specified'); break;
        case 'flush-interval': flushInterval = integer(value!, INT_MAX, 'Invalid flush interval specified'); break;
        case 'image-opts': imageOptions = true; break;
        // -n, -q and --no-drain change nothing here: I/O goes through the thread pool, flushes never wait for other requests
      }
    },
  );
  if (positional.length !== 1) usageError(out, 'Expecting one image file name');
  if (flushInterval > 0 && !write) fail(out, '--flush-interval is only available in write tests');
  if (flushInterval > 0 && flushInterval < depth) fail(out, "Flush interval can't be smaller than depth");
  const device = await openImageArgument(context, { name: positional[0]!, format, imageOptions }, { readOnly: !write });
  try {
    out.print(`Sending ${count} ${write ? 'write' : 'read'} requests, ${bufferSize} bytes each, ${depth} in parallel (starting at offset ${offset}, step size ${step ?? bufferSize})\n`);
    if (flushInterval > 0) out.print(`Sending flush every ${flushInterval} requests\n`);
    let seconds = 0;
    try {
      seconds = await runBench(device, { count, depth, bufferSize, step: step ?? bufferSize, offset, write, pattern, flushInterval });
    } catch (err) {
      fail(out, errorText(err));
    }
    out.print(`Run completed in ${formatFixed(seconds, 3, 3)} seconds.\n`);
    return 0;
  } finally {
    await closeImage(out, device);
  }
};
