import type { CheckReport } from '@virt/storage';
import { errorText, Exit, fail, long, scanOptions, usageError, type Command } from '../command.js';
import { formatFixed } from '../format/printf.js';
import { prettyJson, type JsonValue } from '../format/json.js';
import { closeImage, openImageArgument } from '../image/open.js';
import { checkSourceCacheMode } from '../options/cache.js';
import { processObject } from '../options/objects.js';
import { outputFormat } from '../options/output-format.js';

/** qemu-img check's status for a format that has no check. */
const NO_CHECK = 63;

/** qemu-img check [--object objectdef] [--image-opts] [-q] [-f fmt] [--output=ofmt] [-r [leaks | all]] [-T src_cache] [-U] filename */
export const check: Command = async (context, args) => {
  const { out } = context;
  let format: string | undefined;
  let output: string | undefined;
  let repair: 'leaks' | 'all' | undefined;
  let sourceCache: string | undefined;
  let quiet = false;
  let imageOptions = false;
  const positional = scanOptions(
    context,
    'check',
    args,
    ':hf:r:T:qU',
    [long('format', true, 'f'), long('repair', true, 'r'), long('output', true), long('object', true), long('image-opts', false), long('force-share', false, 'U')],
    (id, value) => {
      if (id === 'f') format = value;
      else if (id === 'r') {
        if (value !== 'leaks' && value !== 'all') usageError(out, `Unknown option value for -r (expecting 'leaks' or 'all'): ${value}`);
        repair = value;
      } else if (id === 'output') output = value;
      else if (id === 'T') sourceCache = value;
      else if (id === 'q') quiet = true;
      else if (id === 'object') processObject(out, value!);
      else if (id === 'image-opts') imageOptions = true;
    },
  );
  if (positional.length !== 1) usageError(out, 'Expecting one image file name');
  const json = outputFormat(out, output) === 'json';
  checkSourceCacheMode(out, sourceCache);
  const name = positional[0]!;
  const device = await openImageArgument(context, { name, format, imageOptions }, { readOnly: repair === undefined, forCheck: true });
  try {
    if (!device.check || (repair !== undefined && device.format !== 'qcow2')) fail(out, 'This image format does not support checks', NO_CHECK);
    const report = (line: string): void => out.printError(`${line}\n`);
    let result: CheckReport;
    try {
      result = await device.check({ repair, report });
      if (result.corruptionsFixed > 0 || result.leaksFixed > 0) {
        if (!json && !quiet) {
          out.print(`The following inconsistencies were found and repaired:\n\n    ${result.leaksFixed} leaked clusters\n    ${result.corruptionsFixed} corruptions\n\nDouble checking the fixed image now...\n`);
        }
        const fixed = result;
        result = { ...(await device.check({ report })), corruptionsFixed: fixed.corruptionsFixed, leaksFixed: fixed.leaksFixed };
      }
    } catch (err) {
      // some drivers word the failure as qemu-img does already
      const text = errorText(err);
      fail(out, text.startsWith('Check failed') ? text : `Check failed: ${text}`);
    }
    if (!quiet) out.print(json ? `${prettyJson(checkJson(name, device.format, result))}\n` : humanCheck(result));
    if (result.checkErrors > 0) fail(out, 'Check failed');
    return result.corruptions > 0 ? 2 : result.leaks > 0 ? 3 : 0;
  } finally {
    if (!(await closeImage(out, device))) throw new Exit(1);
  }
};

function humanCheck(r: CheckReport): string {
  let text = '';
  if (r.corruptions === 0 && r.leaks === 0 && r.checkErrors === 0) text += 'No errors were found on the image.\n';
  if (r.corruptions > 0) text += `\n${r.corruptions} errors were found on the image.\nData may be corrupted, or further writes to the image may corrupt it.\n`;
  if (r.leaks > 0) text += `\n${r.leaks} leaked clusters were found on the image.\nThis means waste of disk space, but no harm to data.\n`;
  if (r.checkErrors > 0) text += `\n${r.checkErrors} internal errors have occurred during the check.\n`;
  const total = r.totalClusters ?? 0;
  const allocated = r.allocatedClusters ?? 0;
  if (total !== 0 && allocated !== 0) {
    const percent = (part: number, whole: number): string => formatFixed((part * 100) / whole, 2);
    text += `${allocated}/${total} = ${percent(allocated, total)}% allocated, ${percent(r.fragmentedClusters ?? 0, allocated)}% fragmented, ${percent(r.compressedClusters ?? 0, allocated)}% compressed clusters\n`;
  }
  if (r.imageEndOffset) text += `Image end offset: ${r.imageEndOffset}\n`;
  return text;
}

/** QEMU's ImageCheck: counts that are zero are left out. */
function checkJson(filename: string, format: string, r: CheckReport): JsonValue {
  const json: Record<string, JsonValue> = { filename, format, 'check-errors': r.checkErrors };
  const optional: [string, number | undefined][] = [
    ['image-end-offset', r.imageEndOffset],
    ['corruptions', r.corruptions],
    ['leaks', r.leaks],
    ['corruptions-fixed', r.corruptionsFixed],
    ['leaks-fixed', r.leaksFixed],
    ['total-clusters', r.totalClusters],
    ['allocated-clusters', r.allocatedClusters],
    ['fragmented-clusters', r.fragmentedClusters],
    ['compressed-clusters', r.compressedClusters],
  ];
  for (const [key, value] of optional) if (value) json[key] = value;
  return json;
}

