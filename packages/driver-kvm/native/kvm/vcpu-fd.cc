#include "vcpu-fd.h"

#include <sys/ioctl.h>
#include <sys/mman.h>

#include <cerrno>
#include <cstring>
#include <memory>

#include "../base/failure.h"

namespace virt_kvm {
namespace {

struct StateIoctls {
  unsigned long get;
  unsigned long set;
  const char* name;
};

StateIoctls IoctlsFor(VcpuStateKind kind, bool xsave2) {
  switch (kind) {
    case VcpuStateKind::kRegs: return {KVM_GET_REGS, KVM_SET_REGS, "REGS"};
    case VcpuStateKind::kSregs: return {KVM_GET_SREGS, KVM_SET_SREGS, "SREGS"};
    case VcpuStateKind::kFpu: return {KVM_GET_FPU, KVM_SET_FPU, "FPU"};
    case VcpuStateKind::kXsave: return {xsave2 ? KVM_GET_XSAVE2 : KVM_GET_XSAVE, KVM_SET_XSAVE, "XSAVE"};
    case VcpuStateKind::kXcrs: return {KVM_GET_XCRS, KVM_SET_XCRS, "XCRS"};
    case VcpuStateKind::kLapic: return {KVM_GET_LAPIC, KVM_SET_LAPIC, "LAPIC"};
    case VcpuStateKind::kMpState: return {KVM_GET_MP_STATE, KVM_SET_MP_STATE, "MP_STATE"};
    case VcpuStateKind::kEvents: return {KVM_GET_VCPU_EVENTS, KVM_SET_VCPU_EVENTS, "VCPU_EVENTS"};
    case VcpuStateKind::kDebugRegs: return {KVM_GET_DEBUGREGS, KVM_SET_DEBUGREGS, "DEBUGREGS"};
  }
  throw VmmFailure(FailureCode::kInternalError, "unknown vCPU state kind");
}

// kvm_msrs is a header followed by entries; one buffer holds both.
std::unique_ptr<uint8_t[]> MsrBuffer(size_t count) {
  return std::unique_ptr<uint8_t[]>(new uint8_t[sizeof(kvm_msrs) + count * sizeof(kvm_msr_entry)]());
}

}  // namespace

VcpuFd::VcpuFd(const Kvm& kvm, const VmFd& vm, uint32_t id)
    : fd_(::ioctl(vm.fd(), KVM_CREATE_VCPU, static_cast<unsigned long>(id))), id_(id), run_size_(kvm.VcpuMmapSize()) {
  if (!fd_.valid()) ThrowErrno("KVM_CREATE_VCPU");
  void* run = ::mmap(nullptr, run_size_, PROT_READ | PROT_WRITE, MAP_SHARED, fd_.get(), 0);
  if (run == MAP_FAILED) ThrowErrno("mmap kvm_run");
  run_ = static_cast<kvm_run*>(run);
  size_t xsave2 = static_cast<size_t>(kvm.CheckExtension(KVM_CAP_XSAVE2));
  xsave_size_ = xsave2 > sizeof(kvm_xsave) ? xsave2 : sizeof(kvm_xsave);
}

VcpuFd::~VcpuFd() {
  if (run_) ::munmap(run_, run_size_);
}

bool VcpuFd::Run() {
  if (::ioctl(fd_.get(), KVM_RUN, 0) == 0) return true;
  if (errno == EINTR || errno == EAGAIN) return false;
  ThrowErrno("KVM_RUN");
}

size_t VcpuFd::StateSize(VcpuStateKind kind) const {
  switch (kind) {
    case VcpuStateKind::kRegs: return sizeof(kvm_regs);
    case VcpuStateKind::kSregs: return sizeof(kvm_sregs);
    case VcpuStateKind::kFpu: return sizeof(kvm_fpu);
    case VcpuStateKind::kXsave: return xsave_size_;
    case VcpuStateKind::kXcrs: return sizeof(kvm_xcrs);
    case VcpuStateKind::kLapic: return sizeof(kvm_lapic_state);
    case VcpuStateKind::kMpState: return sizeof(kvm_mp_state);
    case VcpuStateKind::kEvents: return sizeof(kvm_vcpu_events);
    case VcpuStateKind::kDebugRegs: return sizeof(kvm_debugregs);
  }
  return 0;
}

std::vector<uint8_t> VcpuFd::GetState(VcpuStateKind kind) const {
  std::vector<uint8_t> state(StateSize(kind));
  StateIoctls io = IoctlsFor(kind, xsave_size_ > sizeof(kvm_xsave));
  if (::ioctl(fd_.get(), io.get, state.data()) < 0) ThrowErrno((std::string("KVM_GET_") + io.name).c_str());
  return state;
}

void VcpuFd::SetState(VcpuStateKind kind, const uint8_t* data, size_t size) {
  StateIoctls io = IoctlsFor(kind, false);
  if (size != StateSize(kind))
    throw VmmFailure(FailureCode::kInvalidArg, std::string("vCPU ") + io.name + " state must be " + std::to_string(StateSize(kind)) +
                                                   " bytes, not " + std::to_string(size));
  // the kernel may write back into the struct; never into the caller's bytes
  std::vector<uint8_t> copy(data, data + size);
  if (::ioctl(fd_.get(), io.set, copy.data()) < 0) ThrowErrno((std::string("KVM_SET_") + io.name).c_str());
}

void VcpuFd::SetCpuid(const std::vector<kvm_cpuid_entry2>& entries) {
  std::unique_ptr<uint8_t[]> storage(new uint8_t[sizeof(kvm_cpuid2) + entries.size() * sizeof(kvm_cpuid_entry2)]());
  auto* cpuid = reinterpret_cast<kvm_cpuid2*>(storage.get());
  cpuid->nent = static_cast<uint32_t>(entries.size());
  std::memcpy(cpuid->entries, entries.data(), entries.size() * sizeof(kvm_cpuid_entry2));
  if (::ioctl(fd_.get(), KVM_SET_CPUID2, cpuid) < 0) ThrowErrno("KVM_SET_CPUID2");
}

std::vector<uint64_t> VcpuFd::GetMsrs(const std::vector<uint32_t>& indices) const {
  auto storage = MsrBuffer(indices.size());
  auto* msrs = reinterpret_cast<kvm_msrs*>(storage.get());
  msrs->nmsrs = static_cast<uint32_t>(indices.size());
  for (size_t i = 0; i < indices.size(); i++) msrs->entries[i].index = indices[i];
  int got = ::ioctl(fd_.get(), KVM_GET_MSRS, msrs);
  if (got < 0) ThrowErrno("KVM_GET_MSRS");
  if (static_cast<size_t>(got) != indices.size())
    throw VmmFailure(FailureCode::kOperationFailed, "KVM_GET_MSRS refused MSR " + std::to_string(indices[got]));
  std::vector<uint64_t> values(indices.size());
  for (size_t i = 0; i < indices.size(); i++) values[i] = msrs->entries[i].data;
  return values;
}

void VcpuFd::SetMsrs(const std::vector<uint32_t>& indices, const std::vector<uint64_t>& values) {
  if (indices.size() != values.size()) throw VmmFailure(FailureCode::kInvalidArg, "one value per MSR index");
  auto storage = MsrBuffer(indices.size());
  auto* msrs = reinterpret_cast<kvm_msrs*>(storage.get());
  msrs->nmsrs = static_cast<uint32_t>(indices.size());
  for (size_t i = 0; i < indices.size(); i++) {
    msrs->entries[i].index = indices[i];
    msrs->entries[i].data = values[i];
  }
  int set = ::ioctl(fd_.get(), KVM_SET_MSRS, msrs);
  if (set < 0) ThrowErrno("KVM_SET_MSRS");
  if (static_cast<size_t>(set) != indices.size())
    throw VmmFailure(FailureCode::kOperationFailed, "KVM_SET_MSRS refused MSR " + std::to_string(indices[set]));
}

}  // namespace virt_kvm
