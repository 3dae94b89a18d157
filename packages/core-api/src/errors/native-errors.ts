import { ErrorCode, ErrorDomain } from './codes.js';
import { VirtError } from './virt-error.js';

/**
 * How a native addon of @virt builds its errors (the C++ side is
 * @virt/native-build's support/errors.h): a failed system call becomes a
 * system error naming the call, anything else carries one of libvirt's codes.
 */
export type NativeErrorFactory = (kind: 'system' | 'virt', codeOrErrno: string | number, detail: string) => VirtError;

/** The factory for an addon whose errors belong to `domain`. */
export function nativeErrorFactory(domain: ErrorDomain): NativeErrorFactory {
  return (kind, codeOrErrno, detail) => {
    if (kind === 'system') {
      const name = String(codeOrErrno);
      return VirtError.system(domain, detail, { name: 'Error', message: name, code: name });
    }
    return VirtError.create(Number(codeOrErrno) as ErrorCode, domain, detail);
  };
}
