// The small interfaces devices are written against, so that each device is
// a state machine testable without KVM or threads: a bus access in, an
// interrupt line and a byte sink out.
#pragma once

#include <cstddef>
#include <cstdint>

namespace virt_kvm {

// A device on the port-I/O or MMIO bus. `offset` is relative to the
// device's base; `size` is the access width (1, 2, 4 or 8 bytes).
class BusDevice {
 public:
  virtual ~BusDevice() = default;
  virtual void Read(uint64_t offset, uint8_t* data, size_t size) = 0;
  virtual void Write(uint64_t offset, const uint8_t* data, size_t size) = 0;
};

// An interrupt line the device drives: asserted while it wants service.
class InterruptLine {
 public:
  virtual ~InterruptLine() = default;
  virtual void SetLevel(bool asserted) = 0;
};

// Where a device's output bytes go; false when the sink cannot take the
// byte now (the device keeps it and tries again).
class ByteSink {
 public:
  virtual ~ByteSink() = default;
  virtual bool Put(uint8_t byte) = 0;
};

}  // namespace virt_kvm
