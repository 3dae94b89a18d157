#include "kvm.h"

#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/stat.h>

#include <cerrno>
#include <fstream>
#include <memory>

#include "../base/failure.h"

namespace virt_kvm {
namespace {

constexpr int kStableApiVersion = 12;
// The host's CPUID table has a few dozen leaves; KVM says E2BIG below its size.
constexpr uint32_t kMaxCpuidEntries = 256;

bool Exists(const char* path) {
  struct stat st;
  return ::stat(path, &st) == 0;
}

}  // namespace

const char* FlavourName(KvmFlavour flavour) {
  switch (flavour) {
    case KvmFlavour::kVmx: return "vmx";
    case KvmFlavour::kSvm: return "svm";
    case KvmFlavour::kPvm: return "pvm";
    case KvmFlavour::kUnknown: break;
  }
  return "unknown";
}

Kvm::Kvm() : fd_(::open("/dev/kvm", O_RDWR | O_CLOEXEC)) {
  if (!fd_.valid()) ThrowErrno("open /dev/kvm");
  int version = ::ioctl(fd_.get(), KVM_GET_API_VERSION, 0);
  if (version < 0) ThrowErrno("KVM_GET_API_VERSION");
  if (version != kStableApiVersion)
    throw VmmFailure(FailureCode::kConfigUnsupported, "/dev/kvm speaks API version " + std::to_string(version) + ", not 12");
  vcpu_mmap_size_ = ::ioctl(fd_.get(), KVM_GET_VCPU_MMAP_SIZE, 0);
  if (vcpu_mmap_size_ < 0) ThrowErrno("KVM_GET_VCPU_MMAP_SIZE");
}

int Kvm::CheckExtension(int capability) const {
  int r = ::ioctl(fd_.get(), KVM_CHECK_EXTENSION, capability);
  return r < 0 ? 0 : r;
}

int Kvm::MaxVcpus() const {
  int max = CheckExtension(KVM_CAP_MAX_VCPUS);
  return max > 0 ? max : CheckExtension(KVM_CAP_NR_VCPUS);
}

std::vector<kvm_cpuid_entry2> Kvm::SupportedCpuid() const {
  size_t bytes = sizeof(kvm_cpuid2) + kMaxCpuidEntries * sizeof(kvm_cpuid_entry2);
  std::unique_ptr<uint8_t[]> storage(new uint8_t[bytes]());
  auto* cpuid = reinterpret_cast<kvm_cpuid2*>(storage.get());
  cpuid->nent = kMaxCpuidEntries;
  if (::ioctl(fd_.get(), KVM_GET_SUPPORTED_CPUID, cpuid) < 0) ThrowErrno("KVM_GET_SUPPORTED_CPUID");
  return {cpuid->entries, cpuid->entries + cpuid->nent};
}

std::vector<uint32_t> Kvm::MsrIndexList() const {
  kvm_msr_list probe{};
  // E2BIG with nmsrs set to the real count
  if (::ioctl(fd_.get(), KVM_GET_MSR_INDEX_LIST, &probe) < 0 && errno != E2BIG) ThrowErrno("KVM_GET_MSR_INDEX_LIST");
  std::unique_ptr<uint8_t[]> storage(new uint8_t[sizeof(kvm_msr_list) + probe.nmsrs * sizeof(uint32_t)]());
  auto* list = reinterpret_cast<kvm_msr_list*>(storage.get());
  list->nmsrs = probe.nmsrs;
  if (::ioctl(fd_.get(), KVM_GET_MSR_INDEX_LIST, list) < 0) ThrowErrno("KVM_GET_MSR_INDEX_LIST");
  return {list->indices, list->indices + list->nmsrs};
}

KvmFlavour Kvm::Flavour() const {
  // the vendor modules register themselves in sysfs when loaded
  if (Exists("/sys/module/kvm_pvm")) return KvmFlavour::kPvm;
  if (Exists("/sys/module/kvm_intel")) return KvmFlavour::kVmx;
  if (Exists("/sys/module/kvm_amd")) return KvmFlavour::kSvm;
  return KvmFlavour::kUnknown;
}

}  // namespace virt_kvm
