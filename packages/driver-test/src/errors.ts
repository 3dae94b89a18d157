import { ErrorCode, ErrorDomain, VirtError } from '@virt/core-api';

/** An error raised by the test driver itself (VIR_FROM_TEST). */
export function testError(code: ErrorCode, detail?: string): VirtError {
  return VirtError.create(code, ErrorDomain.TEST, detail);
}

/** "Requested operation is not valid: <detail>" from the test driver. */
export function invalidOperation(detail: string): VirtError {
  return testError(ErrorCode.OPERATION_INVALID, detail);
}

/** "internal error: <detail>" from the test driver. */
export function internalError(detail: string): VirtError {
  return testError(ErrorCode.INTERNAL_ERROR, detail);
}
