import { ErrorCode, ErrorDomain, VirtError } from '@virt/core-api';

/** An error of the kvm driver (VIR_FROM_QEMU, as libvirt's KVM driver reports). */
export function kvmError(code: ErrorCode, detail?: string): VirtError {
  return VirtError.create(code, ErrorDomain.QEMU, detail);
}

/** "unsupported configuration: <detail>", naming what we cannot honour. */
export function unsupportedConfig(detail: string): VirtError {
  return kvmError(ErrorCode.CONFIG_UNSUPPORTED, detail);
}

/** "Requested operation is not valid: <detail>" */
export function invalidOperation(detail: string): VirtError {
  return kvmError(ErrorCode.OPERATION_INVALID, detail);
}
