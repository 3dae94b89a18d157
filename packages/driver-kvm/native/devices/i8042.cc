#include "i8042.h"

namespace virt_kvm {
namespace {

constexpr uint64_t kDataPort = 0, kCommandPort = 4;
constexpr uint8_t kStatusOutputFull = 0x01, kStatusSystemFlag = 0x04, kStatusCommand = 0x08;
constexpr uint8_t kReadCommandByte = 0x20, kWriteCommandByte = 0x60;
constexpr uint8_t kSelfTest = 0xaa, kSelfTestPassed = 0x55;
constexpr uint8_t kKeyboardInterfaceTest = 0xab, kAuxInterfaceTest = 0xa9;
constexpr uint8_t kReadOutputPort = 0xd0, kWriteOutputPort = 0xd1;
constexpr uint8_t kPulseReset = 0xfe;
constexpr uint8_t kOutputPortReset = 0x01;

}  // namespace

void I8042::Read(uint64_t offset, uint8_t* data, size_t size) {
  std::lock_guard lock(mutex_);
  for (size_t i = 0; i < size; i++) data[i] = 0;
  if (offset == kDataPort) {
    data[0] = output_;
    output_full_ = false;
  } else if (offset == kCommandPort) {
    data[0] = static_cast<uint8_t>((output_full_ ? kStatusOutputFull : 0) | kStatusSystemFlag | (pending_command_ ? kStatusCommand : 0));
  }
}

void I8042::Write(uint64_t offset, const uint8_t* data, size_t size) {
  if (size < 1) return;
  bool reset = false;
  {
    std::lock_guard lock(mutex_);
    if (offset == kCommandPort) {
      if (data[0] == kPulseReset) {
        reset = true;
      } else {
        Command(data[0]);
      }
    } else if (offset == kDataPort) {
      uint8_t command = pending_command_;
      pending_command_ = 0;
      if (command == kWriteCommandByte) {
        command_byte_ = data[0];
      } else if (command == kWriteOutputPort) {
        output_port_ = data[0];
        reset = !(data[0] & kOutputPortReset);
      }
      // without a command, the byte goes to a keyboard there is none of: no answer
    }
  }
  // outside the lock: the reset may stop the vCPU that is calling us
  if (reset) reset_.Reset();
}

void I8042::Command(uint8_t command) {
  switch (command) {
    case kReadCommandByte: Output(command_byte_); break;
    case kWriteCommandByte:
    case kWriteOutputPort: pending_command_ = command; break;
    case kSelfTest: Output(kSelfTestPassed); break;
    case kKeyboardInterfaceTest:
    case kAuxInterfaceTest: Output(0x00); break;
    case kReadOutputPort: Output(output_port_); break;
    default: break;  // enable/disable interfaces and the rest change nothing we model
  }
}

void I8042::Output(uint8_t byte) {
  output_ = byte;
  output_full_ = true;
}

}  // namespace virt_kvm
