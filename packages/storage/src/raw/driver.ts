import type { FormatDriver } from '../formats.js';
import { RawImage } from './raw-image.js';
import { invalidArgument } from '../errors.js';

export const rawDriver: FormatDriver = {
  name: 'raw',
  createOptions: [
    { name: 'size', type: 'size', help: 'Virtual disk size' },
    { name: 'preallocation', type: 'str', help: 'Preallocation mode (allowed values: off, falloc, full)', default: 'off' },
  ],
  // a raw file is as large as the disk, whatever it holds
  measure: async (request) => {
    const size = request.source?.size ?? request.size ?? 0;
    return { required: size, fullyAllocated: size };
  },
  open: (path, context) => RawImage.open(path, { readOnly: context.readOnly, probed: context.probed }),
  async create(request) {
    if (request.backingFile !== undefined) throw invalidArgument("'raw' does not support backing files");
    const unknown = Object.keys(request.options ?? {}).filter((o) => o !== 'preallocation');
    if (unknown.length > 0) throw invalidArgument(`Invalid parameter '${unknown[0]}'`);
    await RawImage.create(request.path, request.size, request.preallocation);
  },
};
