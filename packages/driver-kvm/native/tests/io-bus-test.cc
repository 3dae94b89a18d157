#include "../vmm/io-bus.h"

#include "check.h"
#include "fakes.h"

using namespace virt_kvm;
using namespace virt_kvm::testing;

namespace {

struct Recorder : BusDevice {
  uint64_t last_offset = ~0ULL;
  void Read(uint64_t offset, uint8_t* data, size_t) override {
    last_offset = offset;
    data[0] = 0x42;
  }
  void Write(uint64_t offset, const uint8_t*, size_t) override { last_offset = offset; }
};

}  // namespace

TEST(IoBusFindsTheDeviceAndItsOffset) {
  IoBus bus;
  Recorder a, b;
  bus.Insert(0x3f8, 8, &a);
  bus.Insert(0x60, 5, &b);
  uint8_t byte = 0;
  CHECK(bus.Read(0x3fd, &byte, 1));
  CHECK_EQ(a.last_offset, 5u);
  CHECK_EQ(byte, 0x42);
  CHECK(bus.Write(0x64, &byte, 1));
  CHECK_EQ(b.last_offset, 4u);
  CHECK(!bus.Read(0x400, &byte, 1));
  CHECK(!bus.Read(0x3f7, &byte, 1));
  CHECK(!bus.Read(0x5f, &byte, 1));
}

TEST(IoBusRefusesOverlaps) {
  IoBus bus;
  Recorder a;
  bus.Insert(0x100, 0x10, &a);
  CHECK_THROWS(bus.Insert(0x10f, 1, &a));
  CHECK_THROWS(bus.Insert(0xf0, 0x11, &a));
  CHECK_THROWS(bus.Insert(~0ULL, 2, &a));
  bus.Insert(0x110, 1, &a);
}
