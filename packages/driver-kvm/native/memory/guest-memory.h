// The guest's RAM: host mappings for a few guest-physical ranges. Every
// access goes through Translate, which returns memory only when the whole
// range lies inside one region, so an address a guest chose can never reach
// host memory outside its RAM. Regions are fixed once built, so vCPU and
// device threads read the table without locks.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <vector>

namespace virt_kvm {

struct GuestRange {
  uint64_t guest_address;
  uint64_t size;
};

class GuestMemory {
 public:
  struct Region {
    uint64_t guest_address;
    uint64_t size;
    uint8_t* host;
  };

  // Anonymous shared mappings, reserved lazily (MAP_NORESERVE), optionally
  // from huge pages; ranges must be page-aligned and must not overlap.
  GuestMemory(const std::vector<GuestRange>& ranges, bool huge_pages);
  ~GuestMemory();
  GuestMemory(const GuestMemory&) = delete;
  GuestMemory& operator=(const GuestMemory&) = delete;

  const std::vector<Region>& regions() const { return regions_; }
  uint64_t TotalSize() const;

  // Host address of [address, address + length), or nullptr unless the
  // range lies wholly in one region (and does not wrap around).
  uint8_t* Translate(uint64_t address, uint64_t length) const;

  bool Read(uint64_t address, void* out, size_t length) const {
    const uint8_t* src = Translate(address, length);
    if (!src) return false;
    std::memcpy(out, src, length);
    return true;
  }
  bool Write(uint64_t address, const void* in, size_t length) {
    uint8_t* dst = Translate(address, length);
    if (!dst) return false;
    std::memcpy(dst, in, length);
    return true;
  }
  template <typename T>
  std::optional<T> ReadObject(uint64_t address) const {
    T value;
    if (!Read(address, &value, sizeof(T))) return std::nullopt;
    return value;
  }
  template <typename T>
  bool WriteObject(uint64_t address, const T& value) {
    return Write(address, &value, sizeof(T));
  }

 private:
  std::vector<Region> regions_;
};

}  // namespace virt_kvm
