import type { FormatDriver } from '../formats.js';
import { RawImage, roundUpToSector } from './raw-image.js';
import { invalidArgument, unsupported } from '../errors.js';

export const rawDriver: FormatDriver = {
  name: 'raw',
  // preallocation belongs to the host file (FILE_CREATE_OPTIONS), as in QEMU
  createOptions: [{ name: 'size', type: 'size', help: 'Virtual disk size' }],
  // a raw file is as large as the disk, whatever it holds
  measure: async (request) => {
    const size = request.source?.size ?? roundUpToSector(request.size ?? 0);
    return { required: size, fullyAllocated: size };
  },
  open: (path, context) => RawImage.open(path, { readOnly: context.readOnly, probed: context.probed, cache: context.cache }),
  async create(request) {
    if (request.backingFile !== undefined) throw invalidArgument("'raw' does not support backing files");
    const unknown = Object.keys(request.options ?? {}).filter((o) => o !== 'preallocation');
    if (unknown.length > 0) throw invalidArgument(`Invalid parameter '${unknown[0]}'`);
    if (request.preallocation === 'metadata') throw unsupported('Unsupported preallocation mode: metadata');
    await RawImage.create(request.path, roundUpToSector(request.size), request.preallocation);
  },
};
