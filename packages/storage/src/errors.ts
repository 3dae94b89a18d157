import { ErrorCode, ErrorDomain, VirtError } from '@virt/core-api';

/*
 * Every failure of this package is a VirtError in the storage domain whose
 * message reads as qemu-img's for the same situation, so that virt-img
 * prints what users of qemu-img expect and scripts can match on it.
 */

/** An image that is malformed or inconsistent ("qcow2: Image is corrupt", "Invalid L1 table offset"). */
export function corruptImage(message: string): VirtError {
  return new VirtError(ErrorCode.OPERATION_FAILED, ErrorDomain.STORAGE, message);
}

/** A feature or option this image or this library does not support. */
export function unsupported(message: string): VirtError {
  return new VirtError(ErrorCode.CONFIG_UNSUPPORTED, ErrorDomain.STORAGE, message);
}

/** A request that makes no sense (a size that is not a number, an option that does not exist). */
export function invalidArgument(message: string): VirtError {
  return new VirtError(ErrorCode.INVALID_ARG, ErrorDomain.STORAGE, message);
}

/** An operation that cannot happen in this state (writing a read-only image, shrinking without --shrink). */
export function invalidOperation(message: string): VirtError {
  return new VirtError(ErrorCode.OPERATION_INVALID, ErrorDomain.STORAGE, message);
}

/** `message`: the system's text for `cause` ("Could not open 'x': No such file or directory"). */
export function systemError(message: string, cause: unknown): VirtError {
  if (cause instanceof VirtError) return cause;
  return VirtError.system(ErrorDomain.STORAGE, message, cause as NodeJS.ErrnoException);
}

/** `err` with `prefix` put before its message ("Could not open backing file: ..."), its code kept. */
export function prefixError(prefix: string, err: unknown): VirtError {
  if (!(err instanceof VirtError)) return systemError(prefix, err);
  return new VirtError(err.code, err.domain, `${prefix}: ${err.message}`, err.level, err.extras);
}
