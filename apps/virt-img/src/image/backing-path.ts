import { protocolOf } from './location.js';

/**
 * Where a backing file name recorded in `image` points, as qemu-img works
 * it out: an absolute name (or one with a protocol) as it is, otherwise
 * the image's folder as written, up to its last '/', joined to the name
 * without any normalisation ("sub/../q.qcow2" stays so).
 */
export function backingPath(image: string, backing: string): string {
  if (backing.startsWith('/') || protocolOf(backing) !== undefined) return backing;
  const slash = image.lastIndexOf('/');
  return slash < 0 ? backing : image.slice(0, slash + 1) + backing;
}
