import { describeErrno, ErrorCode, ErrorDomain, VirtError } from '@virt/core-api';

/**
 * A step of an operation failed: the message names the step in qemu-img's
 * words ("error while reading at byte 0") and then the reason.
 */
export class OperationError extends VirtError {
  constructor(
    readonly step: string,
    readonly reason: unknown,
  ) {
    super(ErrorCode.OPERATION_FAILED, ErrorDomain.STORAGE, `${step}: ${reasonText(reason)}`);
  }
}

function reasonText(reason: unknown): string {
  if (reason instanceof VirtError) return reason.message;
  if (reason instanceof Error) return (reason as NodeJS.ErrnoException).code === undefined ? reason.message : describeErrno(reason);
  return String(reason);
}

/** Run `task`, turning its failure into an OperationError naming `step`. */
export async function during<T>(step: string, task: () => Promise<T>): Promise<T> {
  try {
    return await task();
  } catch (err) {
    throw new OperationError(step, err);
  }
}
