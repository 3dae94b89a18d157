// A ByteSink into a pipe the host side reads (the console's log and
// clients). The write end never blocks a vCPU: a full pipe refuses the byte
// and the device holds it, as a busy UART would.
#pragma once

#include "../base/fd.h"
#include "../devices/device-ports.h"

namespace virt_kvm {

class PipeSink : public ByteSink {
 public:
  PipeSink();
  bool Put(uint8_t byte) override;
  // The read end, handed to the host side, which then owns it (-1 the second time).
  int ReleaseReadEnd();

 private:
  Fd read_;
  Fd write_;
};

}  // namespace virt_kvm
