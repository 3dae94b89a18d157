#include "vcpu-exit.h"

#include <cstring>
#include <string>

namespace virt_kvm {
namespace {

std::optional<GuestEvent> PortIo(kvm_run* run, size_t run_size, uint32_t vcpu, const IoBus& pio) {
  const auto& io = run->io;
  uint64_t bytes = static_cast<uint64_t>(io.size) * io.count;
  if ((io.size != 1 && io.size != 2 && io.size != 4) || io.data_offset > run_size || bytes > run_size - io.data_offset)
    return GuestEvent{GuestEventKind::kCrashed, vcpu, "malformed port I/O exit"};
  uint8_t* data = reinterpret_cast<uint8_t*>(run) + io.data_offset;
  for (uint32_t i = 0; i < io.count; i++, data += io.size) {
    if (io.direction == KVM_EXIT_IO_OUT) {
      pio.Write(io.port, data, io.size);
    } else if (!pio.Read(io.port, data, io.size)) {
      std::memset(data, 0xff, io.size);
    }
  }
  return std::nullopt;
}

std::optional<GuestEvent> Mmio(kvm_run* run, uint32_t vcpu, const IoBus& mmio) {
  auto& access = run->mmio;
  if (access.len == 0 || access.len > sizeof(access.data)) return GuestEvent{GuestEventKind::kCrashed, vcpu, "malformed MMIO exit"};
  if (access.is_write) {
    mmio.Write(access.phys_addr, access.data, access.len);
  } else if (!mmio.Read(access.phys_addr, access.data, access.len)) {
    std::memset(access.data, 0, access.len);
  }
  return std::nullopt;
}

std::optional<GuestEvent> SystemEvent(kvm_run* run, uint32_t vcpu) {
  switch (run->system_event.type) {
    case KVM_SYSTEM_EVENT_SHUTDOWN: return GuestEvent{GuestEventKind::kShutdown, vcpu, "system event: shutdown"};
    case KVM_SYSTEM_EVENT_RESET: return GuestEvent{GuestEventKind::kReset, vcpu, "system event: reset"};
    default:
      return GuestEvent{GuestEventKind::kCrashed, vcpu, "system event " + std::to_string(run->system_event.type)};
  }
}

}  // namespace

std::optional<GuestEvent> HandleExit(kvm_run* run, size_t run_size, uint32_t vcpu, const Buses& buses) {
  switch (run->exit_reason) {
    case KVM_EXIT_IO: return PortIo(run, run_size, vcpu, buses.pio);
    case KVM_EXIT_MMIO: return Mmio(run, vcpu, buses.mmio);
    case KVM_EXIT_INTR: return std::nullopt;
    // a triple fault: what a PC does then is reset
    case KVM_EXIT_SHUTDOWN: return GuestEvent{GuestEventKind::kReset, vcpu, "triple fault"};
    case KVM_EXIT_SYSTEM_EVENT: return SystemEvent(run, vcpu);
    case KVM_EXIT_HLT: return GuestEvent{GuestEventKind::kCrashed, vcpu, "halted without an in-kernel local APIC"};
    case KVM_EXIT_FAIL_ENTRY:
      return GuestEvent{GuestEventKind::kCrashed, vcpu,
                        "KVM could not enter the guest (hardware reason " + std::to_string(run->fail_entry.hardware_entry_failure_reason) + ")"};
    case KVM_EXIT_INTERNAL_ERROR:
      return GuestEvent{GuestEventKind::kCrashed, vcpu, "KVM internal error " + std::to_string(run->internal.suberror)};
    default: return GuestEvent{GuestEventKind::kCrashed, vcpu, "unexpected KVM exit " + std::to_string(run->exit_reason)};
  }
}

}  // namespace virt_kvm
