import type { VirtError } from '@virt/core-api';
import { systemError } from '../errors.js';

/**
 * An I/O request that fails the way QEMU's vmdk driver fails it, with the
 * same errno (EINVAL for malformed grains and refused writes, EIO for
 * unreadable metadata, EPERM where QEMU returns its internal -1), so that callers can word it as qemu-img does
 * ("error while reading at byte 0: Invalid argument").
 */
export function requestFailed(detail: string, errno: 'EINVAL' | 'EIO' | 'EPERM'): VirtError {
  return systemError(detail, Object.assign(new Error(errno), { code: errno }));
}
