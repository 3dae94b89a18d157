// An address space of devices (port I/O or MMIO): which device answers at
// an address. Filled while the machine is built and read-only once its
// vCPUs run, so lookups need no lock.
#pragma once

#include <cstdint>
#include <vector>

#include "../devices/device-ports.h"

namespace virt_kvm {

class IoBus {
 public:
  // Throws VmmFailure when the range overlaps a device already there.
  void Insert(uint64_t base, uint64_t length, BusDevice* device);
  // false when no device answers at `address` (the caller decides what an empty bus reads as).
  bool Read(uint64_t address, uint8_t* data, size_t size) const;
  bool Write(uint64_t address, const uint8_t* data, size_t size) const;

 private:
  struct Entry {
    uint64_t base;
    uint64_t length;
    BusDevice* device;
  };
  const Entry* Find(uint64_t address) const;

  std::vector<Entry> entries_;  // sorted by base
};

}  // namespace virt_kvm
