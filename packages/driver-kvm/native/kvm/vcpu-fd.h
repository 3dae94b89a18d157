// One vCPU's file descriptor and its shared kvm_run page, with the state
// accessors a boot (regs, sregs, CPUID, MSRs) and a snapshot (everything)
// need. State moves as the kernel's own structs, byte for byte.
#pragma once

#include "linux-kvm.h"

#include <cstdint>
#include <vector>

#include "../base/fd.h"
#include "kvm.h"
#include "vm-fd.h"

namespace virt_kvm {

// The parts of a vCPU's state KVM hands out as one fixed-size struct each.
enum class VcpuStateKind { kRegs, kSregs, kFpu, kXsave, kXcrs, kLapic, kMpState, kEvents, kDebugRegs };

class VcpuFd {
 public:
  VcpuFd(const Kvm& kvm, const VmFd& vm, uint32_t id);
  ~VcpuFd();
  VcpuFd(const VcpuFd&) = delete;
  VcpuFd& operator=(const VcpuFd&) = delete;

  uint32_t id() const { return id_; }
  kvm_run* run() const { return run_; }
  // KVM_RUN; false when interrupted by a signal (or immediate_exit) before an exit.
  bool Run();

  std::vector<uint8_t> GetState(VcpuStateKind kind) const;
  void SetState(VcpuStateKind kind, const uint8_t* data, size_t size);
  size_t StateSize(VcpuStateKind kind) const;

  void SetCpuid(const std::vector<kvm_cpuid_entry2>& entries);
  // KVM_GET_MSRS / KVM_SET_MSRS for exactly these indices (all or an error).
  std::vector<uint64_t> GetMsrs(const std::vector<uint32_t>& indices) const;
  void SetMsrs(const std::vector<uint32_t>& indices, const std::vector<uint64_t>& values);

 private:
  Fd fd_;
  uint32_t id_;
  kvm_run* run_ = nullptr;
  size_t run_size_;
  // KVM_CAP_XSAVE2's size when the host has wider XSAVE state than 4 KiB
  size_t xsave_size_;
};

}  // namespace virt_kvm
