#include "io-bus.h"

#include <algorithm>

#include "../base/failure.h"

namespace virt_kvm {

void IoBus::Insert(uint64_t base, uint64_t length, BusDevice* device) {
  if (length == 0 || base + length < base) throw VmmFailure(FailureCode::kInternalError, "empty or wrapping bus range");
  for (const Entry& e : entries_)
    if (base < e.base + e.length && e.base < base + length)
      throw VmmFailure(FailureCode::kInternalError, "bus ranges overlap");
  auto at = std::lower_bound(entries_.begin(), entries_.end(), base, [](const Entry& e, uint64_t b) { return e.base < b; });
  entries_.insert(at, Entry{base, length, device});
}

const IoBus::Entry* IoBus::Find(uint64_t address) const {
  auto after = std::upper_bound(entries_.begin(), entries_.end(), address, [](uint64_t a, const Entry& e) { return a < e.base; });
  if (after == entries_.begin()) return nullptr;
  const Entry& e = *(after - 1);
  return address - e.base < e.length ? &e : nullptr;
}

bool IoBus::Read(uint64_t address, uint8_t* data, size_t size) const {
  const Entry* e = Find(address);
  if (!e) return false;
  e->device->Read(address - e->base, data, size);
  return true;
}

bool IoBus::Write(uint64_t address, const uint8_t* data, size_t size) const {
  const Entry* e = Find(address);
  if (!e) return false;
  e->device->Write(address - e->base, data, size);
  return true;
}

}  // namespace virt_kvm
