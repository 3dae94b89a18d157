#pragma once

#include <napi.h>

namespace virt_kvm {

// { apiVersion, flavour: 'vmx' | 'svm' | 'pvm' | 'unknown', maxVcpus, vcpuMmapSize }
Napi::Value KvmInfo(const Napi::CallbackInfo& info);
// KVM_CHECK_EXTENSION(capability): 0 when absent.
Napi::Value CheckExtension(const Napi::CallbackInfo& info);
// KVM_GET_SUPPORTED_CPUID as the kernel's kvm_cpuid_entry2 array (40 bytes each).
Napi::Value SupportedCpuid(const Napi::CallbackInfo& info);
// KVM_GET_MSR_INDEX_LIST.
Napi::Value MsrIndexList(const Napi::CallbackInfo& info);

}  // namespace virt_kvm
