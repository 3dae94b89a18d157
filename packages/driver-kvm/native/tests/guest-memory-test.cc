#include "../memory/guest-memory.h"

#include <cstdint>

#include "check.h"

using namespace virt_kvm;

TEST(GuestMemoryTranslatesOnlyWholeRangesInsideOneRegion) {
  GuestMemory memory({{0, 0x10000}, {0x100000, 0x2000}}, false);
  CHECK(memory.Translate(0, 0x10000) != nullptr);
  CHECK(memory.Translate(0xffff, 1) != nullptr);
  CHECK(memory.Translate(0xffff, 2) == nullptr);
  CHECK(memory.Translate(0x10000, 1) == nullptr);
  // across the gap between two regions
  CHECK(memory.Translate(0xfff0, 0x100000) == nullptr);
  CHECK(memory.Translate(0x101fff, 1) != nullptr);
  CHECK(memory.Translate(0x102000, 0) == nullptr);
  // lengths and addresses chosen to wrap around 2^64
  CHECK(memory.Translate(0x100000, UINT64_MAX) == nullptr);
  CHECK(memory.Translate(UINT64_MAX, 2) == nullptr);
  CHECK(memory.Translate(0x1000, UINT64_MAX - 0x800) == nullptr);
  CHECK_EQ(memory.TotalSize(), 0x12000u);
}

TEST(GuestMemoryReadsAndWritesObjects) {
  GuestMemory memory({{0x1000, 0x1000}}, false);
  CHECK(memory.WriteObject<uint64_t>(0x1ff8, 0x1122334455667788ULL));
  CHECK(!memory.WriteObject<uint64_t>(0x1ffc, 1));
  auto value = memory.ReadObject<uint64_t>(0x1ff8);
  CHECK(value.has_value() && *value == 0x1122334455667788ULL);
  CHECK(!memory.ReadObject<uint32_t>(0x0ffe).has_value());
}

TEST(GuestMemoryRefusesOverlappingOrUnalignedRanges) {
  CHECK_THROWS(GuestMemory({{0, 0x2000}, {0x1000, 0x1000}}, false));
  CHECK_THROWS(GuestMemory({{0x800, 0x1000}}, false));
  CHECK_THROWS(GuestMemory({{0, 0}}, false));
  CHECK_THROWS(GuestMemory({{UINT64_MAX & ~0xfffULL, 0x2000}}, false));
}
