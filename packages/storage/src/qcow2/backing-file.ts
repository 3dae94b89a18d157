import type { ImageFormat } from '../block/device.js';
import { invalidArgument } from '../errors.js';
import type { Qcow2State } from './state.js';

/**
 * Point the header at another backing file, or at none (qemu-img rebase
 * -u): the name and format are rewritten with the header; the chain
 * already open stays as it is until the image is reopened.
 */
export async function setBackingFile(state: Qcow2State, path: string | undefined, format: ImageFormat | undefined): Promise<void> {
  if (path !== undefined && state.dataFileIsRaw()) throw invalidArgument('Cannot use a backing file with a raw external data file');
  if (path === undefined || path === '') {
    delete state.header.backingFile;
    delete state.header.backingFormat;
  } else {
    state.header.backingFile = path;
    if (format === undefined) delete state.header.backingFormat;
    else state.header.backingFormat = format;
  }
  await state.rewriteHeader();
}
