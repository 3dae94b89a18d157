// The PC's i8042 keyboard controller, as far as a guest without a keyboard
// uses it: the command byte, self tests, the output port, and the CPU reset
// line (command 0xFE, or output port bit 0 cleared) that Linux's reboot=k
// and many boot loaders pulse. Ports 0x60 (data, offset 0) and 0x64
// (status/command, offset 4).
#pragma once

#include <cstdint>
#include <mutex>

#include "device-ports.h"

namespace virt_kvm {

// Told when the guest pulses the reset line.
class ResetLine {
 public:
  virtual ~ResetLine() = default;
  virtual void Reset() = 0;
};

class I8042 : public BusDevice {
 public:
  explicit I8042(ResetLine& reset) : reset_(reset) {}

  void Read(uint64_t offset, uint8_t* data, size_t size) override;
  void Write(uint64_t offset, const uint8_t* data, size_t size) override;

 private:
  void Command(uint8_t command);
  void Output(uint8_t byte);

  std::mutex mutex_;
  ResetLine& reset_;
  // the command awaiting its data byte on port 0x60, or 0
  uint8_t pending_command_ = 0;
  uint8_t command_byte_ = 0x45;  // translate, system flag, keyboard interrupt (a PC's default)
  uint8_t output_port_ = 0x01;   // reset line high (not asserted)
  bool output_full_ = false;
  uint8_t output_ = 0;
};

}  // namespace virt_kvm
