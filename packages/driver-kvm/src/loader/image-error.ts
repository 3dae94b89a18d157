import { ErrorCode, ErrorDomain, VirtError } from '@virt/core-api';

/** A kernel or program image we cannot load: the file and what is wrong with it. */
export function imageError(path: string, problem: string): VirtError {
  return VirtError.create(ErrorCode.OPERATION_FAILED, ErrorDomain.QEMU, `cannot load kernel '${path}': ${problem}`);
}
