import { openImage, type BlockDevice, type ImageFormat } from '@virt/storage';
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

/** The virtual size of an image's backing file, or undefined when it has none or it cannot be opened. */
export async function backingFileSize(image: BlockDevice): Promise<number | undefined> {
  const { fullBackingFilename, backingFormat } = await image.describe();
  if (fullBackingFilename === undefined) return undefined;
  try {
    const { device } = await openImage(fullBackingFilename, { format: backingFormat as ImageFormat | undefined, readOnly: true, openBacking: false });
    const size = device.size;
    await device.close();
    return size;
  } catch {
    return undefined;
  }
}
