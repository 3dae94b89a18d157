// /dev/kvm itself: the API version, capabilities, and what the host lets a
// guest see (supported CPUID, MSR indices). One per process.
#pragma once

#include "linux-kvm.h"

#include <cstdint>
#include <string>
#include <vector>

#include "../base/fd.h"

namespace virt_kvm {

// How the host runs guests: hardware virtualisation, or PVM (guest code at
// CPL0 emulated, at CPL3 native), which decides what a guest can boot.
enum class KvmFlavour { kVmx, kSvm, kPvm, kUnknown };
const char* FlavourName(KvmFlavour flavour);

class Kvm {
 public:
  // Opens /dev/kvm and checks the API version is the stable one (12).
  Kvm();

  int fd() const { return fd_.get(); }
  // KVM_CHECK_EXTENSION: 0 when absent, else the capability's value.
  int CheckExtension(int capability) const;
  int VcpuMmapSize() const { return vcpu_mmap_size_; }
  int MaxVcpus() const;
  // KVM_GET_SUPPORTED_CPUID: every leaf the host can virtualise.
  std::vector<kvm_cpuid_entry2> SupportedCpuid() const;
  // KVM_GET_MSR_INDEX_LIST: the MSRs a vCPU's state includes.
  std::vector<uint32_t> MsrIndexList() const;
  KvmFlavour Flavour() const;

 private:
  Fd fd_;
  int vcpu_mmap_size_ = 0;
};

}  // namespace virt_kvm
