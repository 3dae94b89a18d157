import { constants as osConstants } from 'node:os';
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

  /**
   * A system error: the detail followed by the OS error text, as
   * virReportSystemError, with the errno number in `extras.int1` as libvirt
   * keeps it (undefined when the cause is only a text).
   */
  static system(domain: ErrorDomain, detail: string, cause: NodeJS.ErrnoException | string): VirtError {
    const reason = typeof cause === 'string' ? cause : describeErrno(cause);
    const errno = typeof cause === 'string' ? undefined : errnoNumber(cause);
    return new VirtError(ErrorCode.SYSTEM_ERROR, domain, `${detail}: ${reason}`, ErrorLevel.ERROR, errno === undefined ? {} : { int1: errno });
  }

  /** "this function is not supported by the connection driver: virXxx" */
  static noSupport(domain: ErrorDomain, api: string): VirtError {
    return VirtError.create(ErrorCode.NO_SUPPORT, domain, api);
  }

  static isVirtError(value: unknown): value is VirtError {
    return value instanceof VirtError;
  }
}

/** strerror()-style text for a Node error ("No such file or directory"), as glibc words it. */
export function describeErrno(err: NodeJS.ErrnoException): string {
  return (err.code && ERRNO_TEXT[err.code]) || err.message;
}

/** The errno number of a Node error or of an errno name ("ENOENT" -> 2), or undefined. */
export function errnoNumber(err: NodeJS.ErrnoException | string): number | undefined {
  const name = typeof err === 'string' ? err : err.code;
  return name === undefined ? undefined : (osConstants.errno as Record<string, number | undefined>)[name];
}

/** glibc's strerror() texts (Node's own come from libuv, worded differently). */
const ERRNO_TEXT: Readonly<Record<string, string>> = {
  EPERM: 'Operation not permitted',
  ENOENT: 'No such file or directory',
  ESRCH: 'No such process',
  EINTR: 'Interrupted system call',
  EIO: 'Input/output error',
  ENXIO: 'No such device or address',
  E2BIG: 'Argument list too long',
  ENOEXEC: 'Exec format error',
  EBADF: 'Bad file descriptor',
  ECHILD: 'No child processes',
  EAGAIN: 'Resource temporarily unavailable',
  ENOMEM: 'Cannot allocate memory',
  EACCES: 'Permission denied',
  EFAULT: 'Bad address',
  ENOTBLK: 'Block device required',
  EBUSY: 'Device or resource busy',
  EEXIST: 'File exists',
  EXDEV: 'Invalid cross-device link',
  ENODEV: 'No such device',
  ENOTDIR: 'Not a directory',
  EISDIR: 'Is a directory',
  EINVAL: 'Invalid argument',
  ENFILE: 'Too many open files in system',
  EMFILE: 'Too many open files',
  ENOTTY: 'Inappropriate ioctl for device',
  ETXTBSY: 'Text file busy',
  EFBIG: 'File too large',
  ENOSPC: 'No space left on device',
  ESPIPE: 'Illegal seek',
  EROFS: 'Read-only file system',
  EMLINK: 'Too many links',
  EPIPE: 'Broken pipe',
  EDOM: 'Numerical argument out of domain',
  ERANGE: 'Numerical result out of range',
  EDEADLK: 'Resource deadlock avoided',
  ENAMETOOLONG: 'File name too long',
  ENOLCK: 'No locks available',
  ENOSYS: 'Function not implemented',
  ENOTEMPTY: 'Directory not empty',
  ELOOP: 'Too many levels of symbolic links',
  ENOMSG: 'No message of desired type',
  EIDRM: 'Identifier removed',
  ECHRNG: 'Channel number out of range',
  EL2NSYNC: 'Level 2 not synchronized',
  EL3HLT: 'Level 3 halted',
  EL3RST: 'Level 3 reset',
  ELNRNG: 'Link number out of range',
  EUNATCH: 'Protocol driver not attached',
  ENOCSI: 'No CSI structure available',
  EL2HLT: 'Level 2 halted',
  EBADE: 'Invalid exchange',
  EBADR: 'Invalid request descriptor',
  EXFULL: 'Exchange full',
  ENOANO: 'No anode',
  EBADRQC: 'Invalid request code',
  EBADSLT: 'Invalid slot',
  EBFONT: 'Bad font file format',
  ENOSTR: 'Device not a stream',
  ENODATA: 'No data available',
  ETIME: 'Timer expired',
  ENOSR: 'Out of streams resources',
  ENONET: 'Machine is not on the network',
  ENOPKG: 'Package not installed',
  EREMOTE: 'Object is remote',
  ENOLINK: 'Link has been severed',
  EADV: 'Advertise error',
  ESRMNT: 'Srmount error',
  ECOMM: 'Communication error on send',
  EPROTO: 'Protocol error',
  EMULTIHOP: 'Multihop attempted',
  EDOTDOT: 'RFS specific error',
  EBADMSG: 'Bad message',
  EOVERFLOW: 'Value too large for defined data type',
  ENOTUNIQ: 'Name not unique on network',
  EBADFD: 'File descriptor in bad state',
  EREMCHG: 'Remote address changed',
  ELIBACC: 'Can not access a needed shared library',
  ELIBBAD: 'Accessing a corrupted shared library',
  ELIBSCN: '.lib section in a.out corrupted',
  ELIBMAX: 'Attempting to link in too many shared libraries',
  ELIBEXEC: 'Cannot exec a shared library directly',
  EILSEQ: 'Invalid or incomplete multibyte or wide character',
  ERESTART: 'Interrupted system call should be restarted',
  ESTRPIPE: 'Streams pipe error',
  EUSERS: 'Too many users',
  ENOTSOCK: 'Socket operation on non-socket',
  EDESTADDRREQ: 'Destination address required',
  EMSGSIZE: 'Message too long',
  EPROTOTYPE: 'Protocol wrong type for socket',
  ENOPROTOOPT: 'Protocol not available',
  EPROTONOSUPPORT: 'Protocol not supported',
  ESOCKTNOSUPPORT: 'Socket type not supported',
  EOPNOTSUPP: 'Operation not supported',
  EPFNOSUPPORT: 'Protocol family not supported',
  EAFNOSUPPORT: 'Address family not supported by protocol',
  EADDRINUSE: 'Address already in use',
  EADDRNOTAVAIL: 'Cannot assign requested address',
  ENETDOWN: 'Network is down',
  ENETUNREACH: 'Network is unreachable',
  ENETRESET: 'Network dropped connection on reset',
  ECONNABORTED: 'Software caused connection abort',
  ECONNRESET: 'Connection reset by peer',
  ENOBUFS: 'No buffer space available',
  EISCONN: 'Transport endpoint is already connected',
  ENOTCONN: 'Transport endpoint is not connected',
  ESHUTDOWN: 'Cannot send after transport endpoint shutdown',
  ETOOMANYREFS: 'Too many references: cannot splice',
  ETIMEDOUT: 'Connection timed out',
  ECONNREFUSED: 'Connection refused',
  EHOSTDOWN: 'Host is down',
  EHOSTUNREACH: 'No route to host',
  EALREADY: 'Operation already in progress',
  EINPROGRESS: 'Operation now in progress',
  ESTALE: 'Stale file handle',
  EUCLEAN: 'Structure needs cleaning',
  ENOTNAM: 'Not a XENIX named type file',
  ENAVAIL: 'No XENIX semaphores available',
  EISNAM: 'Is a named type file',
  EREMOTEIO: 'Remote I/O error',
  EDQUOT: 'Disk quota exceeded',
  ENOMEDIUM: 'No medium found',
  EMEDIUMTYPE: 'Wrong medium type',
  ECANCELED: 'Operation canceled',
  ENOKEY: 'Required key not available',
  EKEYEXPIRED: 'Key has expired',
  EKEYREVOKED: 'Key has been revoked',
  EKEYREJECTED: 'Key was rejected by service',
  EOWNERDEAD: 'Owner died',
  ENOTRECOVERABLE: 'State not recoverable',
  ERFKILL: 'Operation not possible due to RF-kill',
  EHWPOISON: 'Memory page has hardware error',
};
