#include "guest-memory.h"

#include <sys/mman.h>
#include <unistd.h>

#include <string>

#include "../base/failure.h"

namespace virt_kvm {

GuestMemory::GuestMemory(const std::vector<GuestRange>& ranges, bool huge_pages) {
  const uint64_t page = static_cast<uint64_t>(::sysconf(_SC_PAGESIZE));
  for (size_t i = 0; i < ranges.size(); i++) {
    const GuestRange& r = ranges[i];
    if (r.size == 0 || r.guest_address % page || r.size % page || r.guest_address + r.size < r.guest_address)
      throw VmmFailure(FailureCode::kInvalidArg, "guest memory ranges must be page-aligned and non-empty");
    for (size_t j = 0; j < i; j++)
      if (r.guest_address < ranges[j].guest_address + ranges[j].size && ranges[j].guest_address < r.guest_address + r.size)
        throw VmmFailure(FailureCode::kInvalidArg, "guest memory ranges overlap");
  }
  int flags = MAP_SHARED | MAP_ANONYMOUS | MAP_NORESERVE | (huge_pages ? MAP_HUGETLB : 0);
  for (const GuestRange& r : ranges) {
    void* host = ::mmap(nullptr, r.size, PROT_READ | PROT_WRITE, flags, -1, 0);
    if (host == MAP_FAILED) {
      int err = errno;
      for (const Region& mapped : regions_) ::munmap(mapped.host, mapped.size);
      throw SystemFailure(err, huge_pages ? "mmap guest memory (huge pages)" : "mmap guest memory");
    }
    // guest RAM never belongs in a core dump of the VMM
    ::madvise(host, r.size, MADV_DONTDUMP);
    regions_.push_back({r.guest_address, r.size, static_cast<uint8_t*>(host)});
  }
}

GuestMemory::~GuestMemory() {
  for (const Region& r : regions_) ::munmap(r.host, r.size);
}

uint64_t GuestMemory::TotalSize() const {
  uint64_t total = 0;
  for (const Region& r : regions_) total += r.size;
  return total;
}

uint8_t* GuestMemory::Translate(uint64_t address, uint64_t length) const {
  for (const Region& r : regions_) {
    if (address < r.guest_address) continue;
    uint64_t offset = address - r.guest_address;
    // written so that nothing overflows, whatever the guest passed
    if (offset < r.size && length <= r.size - offset) return r.host + offset;
  }
  return nullptr;
}

}  // namespace virt_kvm
