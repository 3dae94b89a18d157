// What one KVM_RUN exit means: port and MMIO accesses go to the buses
// (an empty bus reads as all ones for ports, zeros for MMIO, and drops
// writes, as on a PC); anything else stops the vCPU with a guest event.
#pragma once

#include "../kvm/linux-kvm.h"

#include <optional>

#include "../memory/guest-memory.h"
#include "guest-event.h"
#include "io-bus.h"

namespace virt_kvm {

struct Buses {
  const IoBus& pio;
  const IoBus& mmio;
};

// nullopt: carry on running. `run_size` bounds the I/O data KVM placed in the page.
std::optional<GuestEvent> HandleExit(kvm_run* run, size_t run_size, uint32_t vcpu, const Buses& buses);

}  // namespace virt_kvm
