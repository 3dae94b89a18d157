import { convert as convertImages, createImage, openImage, type BlockDevice, type ImageFormat } from '@virt/storage';
import { errorText, Exit, fail, long, scanOptions, type Command } from '../command.js';
import { backingFileSize } from '../image/backing-path.js';
import { createRequest, creationOptions, outputDriver, printCreationHelp } from '../image/creation.js';
import { loadSnapshot, parseSnapshotChoice, type SnapshotChoice } from '../image/load-snapshot.js';
import { locateFile } from '../image/location.js';
import { closeImage, openImageArgument } from '../image/open.js';
import { cacheMode, checkCacheMode, checkSourceCacheMode } from '../options/cache.js';
import { cvtnum } from '../options/cvtnum.js';
import { parseInteger } from '../options/integer.js';
import { processObject } from '../options/objects.js';
import { accumulateOptions, hasHelpOption, isValidOptionList, parseOptionList } from '../options/option-list.js';
import { Progress } from '../progress.js';

/** The largest -S qemu-img takes (16 MiB), and the most requests in flight (-m). */
const MAX_SPARSE = 16 << 20;
const MAX_PARALLEL = 16;

/** Formats whose images take compressed writes (-c). */
const COMPRESSING_FORMATS = new Set(['qcow2', 'vmdk']);

/** qemu-img convert [...] filename [filename2 [...]] output_filename */
export const convert: Command = async (context, args) => {
  const { out } = context;
  let format: string | undefined;
  let outputFormat = 'raw';
  let backingFile: string | undefined;
  let backingFormat: string | undefined;
  let options: string | undefined;
  let sparseSize: number | undefined;
  let parallel = 8;
  let cache: string | undefined;
  let sourceCache: string | undefined;
  let compress = false;
  let offload = false;
  let progress = false;
  let quiet = false;
  let skipCreate = false;
  let outOfOrder = false;
  let snapshot: SnapshotChoice | undefined;
  let imageOptions = false;
  const flags = new Set<string>();
  const positional = scanOptions(
    context,
    'convert',
    args,
    ':hf:O:B:CcF:o:l:S:pt:T:qnm:WUr:',
    ['object', 'target-image-opts', 'salvage', 'target-is-zero', 'bitmaps', 'skip-broken-bitmaps'].map((name) => long(name, name === 'object')).concat(long('image-opts', false), long('force-share', false, 'U')),
    (id, value) => {
      switch (id) {
        case 'f': format = value; break;
        case 'O': outputFormat = value!; break;
        case 'B': backingFile = value; break;
        case 'F': backingFormat = value; break;
        case 'C': offload = true; break;
        case 'c': compress = true; break;
        case 'o':
          if (!isValidOptionList(value!)) fail(out, `Invalid option list: ${value}`);
          options = accumulateOptions(options, value!);
          break;
        case 'l': snapshot = parseSnapshotChoice(out, value!); break;
        case 'S': {
          const size = Number(cvtnum(out, 'buffer size for sparse output', value!));
          if (size % 512 !== 0 || size > MAX_SPARSE) {
            fail(out, 'Invalid buffer size for sparse output specified. Valid sizes are multiples of 512 up to 16777216. Select 0 to disable sparse detection (fully allocates output).');
          }
          sparseSize = size;
          break;
        }
        case 'p': progress = true; break;
        case 't': cache = value; break;
        case 'T': sourceCache = value; break;
        case 'q': quiet = true; break;
        case 'n': skipCreate = true; break;
        case 'm': {
          const n = parseInteger(value!, MAX_PARALLEL) ?? 0;
          if (n < 1) fail(out, `Invalid number of coroutines. Allowed number of coroutines is between 1 and ${MAX_PARALLEL}`);
          parallel = n;
          break;
        }
        case 'W': outOfOrder = true; break;
        // the rate limit is checked, and has no use for a copy that runs alone
        case 'r': cvtnum(out, 'rate limit', value!); break;
        case 'object': processObject(out, value!); break;
        case 'image-opts': imageOptions = true; break;
        default: flags.add(id);
      }
    },
  );
  if (flags.has('skip-broken-bitmaps') && !flags.has('bitmaps')) fail(out, 'Use of --skip-broken-bitmaps requires --bitmaps');
  if (offload && compress) fail(out, 'Cannot enable copy offloading when -c is used');
  if (offload && sparseSize !== undefined) fail(out, 'Cannot enable copy offloading when -S is used');
  if (offload && flags.has('salvage')) fail(out, 'Cannot use copy offloading in salvaging mode');
  if (flags.has('target-image-opts') && !skipCreate) fail(out, '--target-image-opts requires use of -n flag');
  if (skipCreate && options !== undefined) fail(out, '-o has no effect when skipping image creation');
  if (flags.has('target-is-zero') && !skipCreate) fail(out, '--target-is-zero requires use of -n flag');
  if (options !== undefined && hasHelpOption(options)) return printCreationHelp(out, outputFormat, positional.length >= 2 ? positional[positional.length - 1] : undefined);
  if (positional.length < 2) fail(out, 'Must specify image file name');
  checkSourceCacheMode(out, sourceCache);
  const bar = Progress.start(out, progress && !quiet, 1);
  const targetName = positional[positional.length - 1]!;
  const sources: BlockDevice[] = [];
  let target: BlockDevice | undefined;
  try {
    for (const name of positional.slice(0, -1)) sources.push(await openImageArgument(context, { name, format, imageOptions }, { readOnly: true }));
    if (snapshot !== undefined) {
      // snapshot.id/snapshot.name apply to the first source alone; a bare name cannot be concatenated
      if ('idOrName' in snapshot && sources.length > 1) fail(out, 'No support for concatenating multiple snapshot');
      await loadSnapshot(out, sources[0]!, snapshot);
    }
    const size = sources.reduce((sum, s) => sum + Math.ceil(s.size / 512) * 512, 0);
    let hasBacking = false;
    if (!skipCreate) hasBacking = await createTarget(size);
    checkCacheMode(out, cache);
    const where = locateFile(targetName);
    if (!where.ok) fail(out, `Could not open '${targetName}': ${where.message}`);
    try {
      // qemu-img's default for the target is unsafe: a convert that dies is run again, so flushes would only cost time
      target = (await openImage(where.location.path, { format: outputFormat as ImageFormat, readOnly: false, openBacking: false, cache: cacheMode(cache, 'unsafe') })).device;
    } catch (err) {
      fail(out, `Could not open '${targetName}': ${errorText(err)}`);
    }
    if (skipCreate && target.size < size) fail(out, 'output file is smaller than input file');
    if (compress && !target.writeCompressed) fail(out, 'Compression not supported for this file format');
    const backingSize = hasBacking ? await backingFileSize(target) : undefined;
    try {
      await convertImages(sources, target, {
        ...(sparseSize === undefined ? {} : { sparseSize }),
        targetIsZero: (!skipCreate && !hasBacking) || flags.has('target-is-zero'),
        targetHasBacking: hasBacking,
        ...(backingSize === undefined ? {} : { targetBackingSize: backingSize }),
        compress,
        parallel,
        outOfOrder,
        onProgress: (percent) => bar.set(percent),
      });
    } catch (err) {
      fail(out, errorText(err));
    }
    bar.end();
    return 0;
  } finally {
    if (target) await closeImage(out, target);
    for (const source of sources) await closeImage(out, source);
  }

  /** Create the output image as -O, -o, -B and -F ask; returns whether it has a backing file. */
  async function createTarget(size: number): Promise<boolean> {
    const driver = outputDriver(outputFormat) ?? fail(out, `Unknown file format '${outputFormat}'`);
    const where = locateFile(targetName);
    if (!where.ok) fail(out, where.message);
    const descriptions = creationOptions(driver);
    const parsed = parseOptionList(options ?? '', descriptions);
    if (!parsed.ok) {
      out.error(parsed.error.message);
      out.printError(parsed.error.hint ?? '');
      throw new Exit(1);
    }
    const values = parsed.values;
    const refuse = (option: string, message: string): void => {
      if (!descriptions.some((d) => d.name === option)) fail(out, message);
    };
    if (backingFile !== undefined) refuse('backing_file', `Backing file not supported for file format '${outputFormat}'`);
    if (backingFormat !== undefined) refuse('backing_fmt', `Backing file format not supported for file format '${outputFormat}'`);
    if (backingFile !== undefined && !values.has('backing_file')) values.set('backing_file', { text: backingFile, value: backingFile });
    if (backingFormat !== undefined && !values.has('backing_fmt')) values.set('backing_fmt', { text: backingFormat, value: backingFormat });
    const backing = values.get('backing_file')?.text;
    if (backing !== undefined && sources.length > 1) fail(out, 'Having a backing file for the target makes no sense when concatenating multiple input images');
    if (backing !== undefined && !values.has('backing_fmt')) fail(out, 'Use of backing file requires explicit backing format');
    if (compress) {
      if (!COMPRESSING_FORMATS.has(outputFormat)) fail(out, 'Compression not supported for this file format');
      const preallocation = values.get('preallocation')?.text;
      if (preallocation !== undefined && preallocation !== 'off') fail(out, 'Compression and preallocation not supported at the same time');
    }
    const request = createRequest(where.location.path, size, values);
    if ('error' in request) fail(out, `${targetName}: error while converting ${outputFormat}: ${request.error}`);
    try {
      await createImage(outputFormat as ImageFormat, request);
    } catch (err) {
      fail(out, `${targetName}: error while converting ${outputFormat}: ${errorText(err)}`);
    }
    return backing !== undefined;
  }
};
