import { ErrorCode, type ErrorDomain } from '../errors/codes.js';
import { VirtError } from '../errors/virt-error.js';

/**
 * Refuse flag bits a driver function does not support, as libvirt's
 * virCheckFlags: "unsupported flags (0x4) in function testDomainGetXMLDesc"
 * (VIR_ERR_INVALID_ARG, with no "invalid argument: " prefix).
 */
export function checkFlags(flags: number, supported: number, fn: string, domain: ErrorDomain): void {
  const unknown = (flags & ~supported) >>> 0;
  if (unknown !== 0) throw new VirtError(ErrorCode.INVALID_ARG, domain, `unsupported flags (0x${unknown.toString(16)}) in function ${fn}`);
}

/** "Flags 'A' and 'B' are mutually exclusive" (VIR_EXCLUSIVE_FLAGS_GOTO). */
export function exclusiveFlags(flags: number, a: number, aName: string, b: number, bName: string, domain: ErrorDomain): void {
  if (flags & a && flags & b) {
    throw new VirtError(ErrorCode.INVALID_ARG, domain, `Flags '${aName}' and '${bName}' are mutually exclusive`);
  }
}

/** "Flag 'A' is required by flag 'B'" (VIR_REQUIRE_FLAG_GOTO). */
export function requireFlag(flags: number, needed: number, neededName: string, by: number, byName: string, domain: ErrorDomain): void {
  if (flags & by && !(flags & needed)) {
    throw new VirtError(ErrorCode.INVALID_ARG, domain, `Flag '${neededName}' is required by flag '${byName}'`);
  }
}
