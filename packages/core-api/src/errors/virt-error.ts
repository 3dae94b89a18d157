import { ErrorCode, ErrorDomain, ErrorLevel } from './codes.js';
import { ERROR_MESSAGES } from './messages.js';

/** The extra fields libvirt keeps with an error (they travel over the wire). */
export interface ErrorExtras {
  str1?: string;
  str2?: string;
  str3?: string;
  int1?: number;
  int2?: number;
}

/**
 * The one error class of @virt: libvirt's virError. `message` is the text
 * libvirt would print (without virsh's "error: " prefix); `code`, `domain`
 * and `level` carry libvirt's numbers so that callers and the wire protocol
 * can tell errors apart without parsing text.
 */
export class VirtError extends Error {
  override readonly name = 'VirtError';

  constructor(
    readonly code: ErrorCode,
    readonly domain: ErrorDomain,
    message: string,
    readonly level: ErrorLevel = ErrorLevel.ERROR,
    readonly extras: ErrorExtras = {},
  ) {
    super(message);
  }

  /**
   * An error worded as libvirt words it: the code's own text, followed by
   * the detail when there is one ("Domain not found: no domain with
   * matching name 'x'").
   */
  static create(code: ErrorCode, domain: ErrorDomain, detail?: string): VirtError {
    const [plain, withDetail] = ERROR_MESSAGES[code];
    const message = detail === undefined ? plain : withDetail.replace('%s', () => detail);
    return new VirtError(code, domain, message, ErrorLevel.ERROR, {
      str1: detail === undefined ? plain : withDetail,
      ...(detail === undefined ? {} : { str2: detail }),
      int1: -1,
      int2: -1,
    });
  }

  /** A system error: the detail followed by the OS error text, as virReportSystemError. */
  static system(domain: ErrorDomain, detail: string, cause: NodeJS.ErrnoException | string): VirtError {
    const reason = typeof cause === 'string' ? cause : describeErrno(cause);
    return new VirtError(ErrorCode.SYSTEM_ERROR, domain, `${detail}: ${reason}`);
  }

  /** "this function is not supported by the connection driver: virXxx" */
  static noSupport(domain: ErrorDomain, api: string): VirtError {
    return VirtError.create(ErrorCode.NO_SUPPORT, domain, api);
  }

  static isVirtError(value: unknown): value is VirtError {
    return value instanceof VirtError;
  }
}

/** strerror()-style text for a Node error ("No such file or directory"). */
export function describeErrno(err: NodeJS.ErrnoException): string {
  return (err.code && ERRNO_TEXT[err.code]) || err.message;
}

const ERRNO_TEXT: Readonly<Record<string, string>> = {
  ENOENT: 'No such file or directory',
  EACCES: 'Permission denied',
  EPERM: 'Operation not permitted',
  EEXIST: 'File exists',
  EISDIR: 'Is a directory',
  ENOTDIR: 'Not a directory',
  ENOSPC: 'No space left on device',
  EINVAL: 'Invalid argument',
  EIO: 'Input/output error',
  EBUSY: 'Device or resource busy',
  ENOTEMPTY: 'Directory not empty',
  EROFS: 'Read-only file system',
  ECONNREFUSED: 'Connection refused',
  ECONNRESET: 'Connection reset by peer',
  ETIMEDOUT: 'Connection timed out',
  EPIPE: 'Broken pipe',
  ENAMETOOLONG: 'File name too long',
  ELOOP: 'Too many levels of symbolic links',
  EMFILE: 'Too many open files',
  ENODEV: 'No such device',
  ENXIO: 'No such device or address',
  EAGAIN: 'Resource temporarily unavailable',
};
