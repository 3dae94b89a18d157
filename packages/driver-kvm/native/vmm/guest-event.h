// What a guest does that its VMM must act on: the control plane's only
// traffic from vCPU threads to the host side.
#pragma once

#include <cstdint>
#include <string>

namespace virt_kvm {

enum class GuestEventKind {
  kReset,     // reset line, triple fault, or a PSCI/ACPI reset
  kShutdown,  // ACPI power off
  kCrashed,   // KVM could not run the vCPU on (internal error, failed entry, ...)
};

struct GuestEvent {
  GuestEventKind kind;
  uint32_t vcpu;
  std::string detail;  // "triple fault", "KVM internal error 1", ...
};

const char* GuestEventName(GuestEventKind kind);

class GuestEventSink {
 public:
  virtual ~GuestEventSink() = default;
  // Called on a vCPU thread; must not block.
  virtual void OnGuestEvent(const GuestEvent& event) = 0;
};

}  // namespace virt_kvm
