import { mapImage, type BlockDevice, type MeasureRequest } from '@virt/storage';
import { errorText, Exit, fail, long, scanOptions, type Command } from '../command.js';
import { prettyJson } from '../format/json.js';
import { creationOptions, outputDriver } from '../image/creation.js';
import { loadSnapshot, parseSnapshotChoice, type SnapshotChoice } from '../image/load-snapshot.js';
import { closeImage, openImageArgument } from '../image/open.js';
import { cvtnum } from '../options/cvtnum.js';
import { processObject } from '../options/objects.js';
import { accumulateOptions, isValidOptionList, parseOptionList } from '../options/option-list.js';
import { outputFormat } from '../options/output-format.js';

/** qemu-img measure [--output=ofmt] [-O output_fmt] [-o options] [--size N | [--object objectdef] [--image-opts] [-f fmt] [-l snapshot_param] filename] */
export const measure: Command = async (context, args) => {
  const { out } = context;
  let format: string | undefined;
  let targetFormat = 'raw';
  let options: string | undefined;
  let snapshot: SnapshotChoice | undefined;
  let size: number | undefined;
  let json = false;
  let imageOptions = false;
  const positional = scanOptions(
    context,
    'measure',
    args,
    'hf:O:o:l:U',
    [long('image-opts', false), long('object', true), long('output', true), long('size', true), long('force-share', false, 'U')],
    (id, value) => {
      if (id === 'f') format = value;
      else if (id === 'O') targetFormat = value!;
      else if (id === 'o') {
        if (!isValidOptionList(value!)) fail(out, `Invalid option list: ${value}`);
        options = accumulateOptions(options, value!);
      } else if (id === 'l') snapshot = parseSnapshotChoice(out, value!);
      else if (id === 'output') json = outputFormat(out, value) === 'json';
      else if (id === 'size') size = Number(cvtnum(out, 'image size', value!));
      else if (id === 'object') processObject(out, value!);
      else if (id === 'image-opts') imageOptions = true;
    },
  );
  if (positional.length > 1) fail(out, 'At most one filename argument is allowed.');
  const filename = positional[0];
  if (filename === undefined && (imageOptions || format !== undefined || snapshot !== undefined)) fail(out, '--image-opts, -f, and -l require a filename argument.');
  if (filename !== undefined && size !== undefined) fail(out, '--size N cannot be used together with a filename.');
  if (filename === undefined && size === undefined) fail(out, 'Either --size N or one filename must be specified.');
  let source: BlockDevice | undefined;
  try {
    if (filename !== undefined) source = await openImageArgument(context, { name: filename, format, imageOptions }, { readOnly: true });
    if (source && snapshot !== undefined) await loadSnapshot(out, source, snapshot);
    const driver = outputDriver(targetFormat) ?? fail(out, `Unknown file format '${targetFormat}'`);
    const parsed = parseOptionList(options ?? '', creationOptions(driver));
    if (!parsed.ok) {
      out.error(parsed.error.message);
      out.printError(parsed.error.hint ?? '');
      fail(out, `Invalid options for file format '${targetFormat}'`);
    }
    const values: Record<string, string> = {};
    for (const [name, { value }] of parsed.values) values[name] = typeof value === 'boolean' ? (value ? 'on' : 'off') : String(value);
    const request: MeasureRequest = { format: driver.name, options: values };
    if (source) {
      const device = source;
      const bitmaps = await persistentBitmaps(device);
      request.source = { size: device.size, allocatedBytes: (clusterSize) => dataClusterBytes(device, clusterSize), ...(bitmaps ? { persistentBitmaps: bitmaps } : {}) };
    } else {
      request.size = size ?? Number(values.size ?? 0);
    }
    let result;
    try {
      result = await driver.measure(request);
    } catch (err) {
      fail(out, errorText(err));
    }
    if (json) {
      const fields = { ...(result.bitmaps === undefined ? {} : { bitmaps: result.bitmaps }), required: result.required, 'fully-allocated': result.fullyAllocated };
      out.print(`${prettyJson(fields)}\n`);
    } else {
      out.print(`required size: ${result.required}\nfully allocated size: ${result.fullyAllocated}\n`);
      if (result.bitmaps !== undefined) out.print(`bitmaps size: ${result.bitmaps}\n`);
    }
    return 0;
  } finally {
    if (source && !(await closeImage(out, source))) throw new Exit(1);
  }
};

/** The bytes of the clusters of a disk that hold data (not holes, not zeros), through its chain; a cluster counts whole. */
async function dataClusterBytes(device: BlockDevice, clusterSize: number): Promise<number> {
  let total = 0;
  let countedUpTo = 0;
  for await (const entry of mapImage(device)) {
    if (!entry.data || entry.zero) continue;
    const first = Math.max(countedUpTo, Math.floor(entry.start / clusterSize));
    const end = Math.ceil((entry.start + entry.length) / clusterSize);
    if (end > first) total += (end - first) * clusterSize;
    countedUpTo = Math.max(countedUpTo, end);
  }
  return total;
}

/** The persistent bitmaps of a source that can keep them (a v3 qcow2 image), or undefined for one that cannot. */
async function persistentBitmaps(device: BlockDevice): Promise<{ name: string; granularity: number }[] | undefined> {
  const description = await device.describe();
  const data = description.formatSpecific?.data;
  if (description.format !== 'qcow2' || data?.compat !== '1.1') return undefined;
  const bitmaps = Array.isArray(data.bitmaps) ? data.bitmaps : [];
  return bitmaps.map((b) => {
    const bitmap = b as { name: string; granularity: number };
    return { name: bitmap.name, granularity: bitmap.granularity };
  });
}
