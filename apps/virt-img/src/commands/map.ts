import { mapImage, type MapEntry } from '@virt/storage';
import { errorText, Exit, fail, long, scanOptions, usageError, type Command } from '../command.js';
import { closeImage, openImageArgument } from '../image/open.js';
import { cvtnum } from '../options/cvtnum.js';
import { processObject } from '../options/objects.js';
import { outputFormat } from '../options/output-format.js';

/** qemu-img map [--object objectdef] [--image-opts] [-f fmt] [--start-offset=offset] [--max-length=len] [--output=ofmt] [-U] filename */
export const map: Command = async (context, args) => {
  const { out } = context;
  let format: string | undefined;
  let output: string | undefined;
  let start = 0;
  let maxLength: number | undefined;
  let imageOptions = false;
  const positional = scanOptions(
    context,
    'map',
    args,
    ':f:s:l:hU',
    [long('format', true, 'f'), long('output', true), long('object', true), long('image-opts', false), long('force-share', false, 'U'), long('start-offset', true, 's'), long('max-length', true, 'l')],
    (id, value) => {
      if (id === 'f') format = value;
      else if (id === 's') start = Number(cvtnum(out, 'start offset', value!));
      else if (id === 'l') maxLength = Number(cvtnum(out, 'max length', value!));
      else if (id === 'output') output = value;
      else if (id === 'object') processObject(out, value!);
      else if (id === 'image-opts') imageOptions = true;
    },
  );
  if (positional.length !== 1) usageError(out, 'Expecting one image file name');
  const json = outputFormat(out, output) === 'json';
  const device = await openImageArgument(context, { name: positional[0]!, format, imageOptions }, { readOnly: true });
  try {
    out.print(json ? '[' : `${'Offset'.padEnd(16)}${'Length'.padEnd(16)}${'Mapped to'.padEnd(16)}File\n`);
    let first = true;
    try {
      for await (const entry of mapImage(device, { start, ...(maxLength === undefined ? {} : { length: maxLength }), dataOnly: !json })) {
        if (json) {
          out.print(`${first ? '' : ',\n'}${jsonEntry(entry)}`);
        } else if (entry.data && !entry.zero) {
          if (entry.offset === undefined) fail(out, 'File contains external, encrypted or compressed clusters.');
          out.print(`${hex(entry.start)}${hex(entry.length)}${hex(entry.offset)}${entry.file ?? device.path}\n`);
        }
        first = false;
      }
    } catch (err) {
      if (err instanceof Exit) throw err;
      fail(out, `Could not read file metadata: ${errorText(err)}`);
    }
    // an empty walk still shows one (empty) entry
    if (json) out.print(`${first ? jsonEntry({ start, length: 0, depth: 0, present: false, zero: false, data: false }) : ''}]\n`);
    return 0;
  } finally {
    await closeImage(out, device);
  }
};

function jsonEntry(e: MapEntry): string {
  const offset = e.offset === undefined ? '' : `, "offset": ${e.offset}`;
  return `{ "start": ${e.start}, "length": ${e.length}, "depth": ${e.depth}, "present": ${e.present}, "zero": ${e.zero}, "data": ${e.data}${offset}}`;
}

/** printf's %#-16x: "0x..." left-justified, but a plain "0". */
function hex(value: number): string {
  return (value === 0 ? '0' : `0x${value.toString(16)}`).padEnd(16);
}
