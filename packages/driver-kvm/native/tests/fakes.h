// Test doubles for the device interfaces.
#pragma once

#include <vector>

#include "../devices/device-ports.h"
#include "../devices/i8042.h"

namespace virt_kvm::testing {

struct FakeIrq : InterruptLine {
  bool level = false;
  int raised = 0;
  void SetLevel(bool asserted) override {
    if (asserted && !level) raised++;
    level = asserted;
  }
};

struct FakeSink : ByteSink {
  std::vector<uint8_t> bytes;
  bool accepting = true;
  bool Put(uint8_t byte) override {
    if (!accepting) return false;
    bytes.push_back(byte);
    return true;
  }
};

struct FakeReset : ResetLine {
  int resets = 0;
  void Reset() override { resets++; }
};

inline uint8_t ReadByte(BusDevice& device, uint64_t offset) {
  uint8_t value = 0;
  device.Read(offset, &value, 1);
  return value;
}

inline void WriteByte(BusDevice& device, uint64_t offset, uint8_t value) { device.Write(offset, &value, 1); }

}  // namespace virt_kvm::testing
