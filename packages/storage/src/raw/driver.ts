import type { FormatDriver } from '../formats.js';
import { RawImage } from './raw-image.js';
import { invalidArgument } from '../errors.js';

export const rawDriver: FormatDriver = {
  name: 'raw',
  open: (path, context) => RawImage.open(path, { readOnly: context.readOnly, probed: context.probed }),
  async create(request) {
    if (request.backingFile !== undefined) throw invalidArgument("'raw' does not support backing files");
    const unknown = Object.keys(request.options ?? {});
    if (unknown.length > 0) throw invalidArgument(`Invalid parameter '${unknown[0]}'`);
    await RawImage.create(request.path, request.size, request.preallocation);
  },
};
