import { ErrorCode, ErrorDomain, VirtError } from '@virt/core-api';

/** A kernel, program or initrd image we cannot load: the file and what is wrong with it. */
export function imageError(path: string, problem: string, what: 'kernel' | 'initrd' = 'kernel'): VirtError {
  return VirtError.create(ErrorCode.OPERATION_FAILED, ErrorDomain.QEMU, `cannot load ${what} '${path}': ${problem}`);
}
