#include "guest-event.h"

namespace virt_kvm {

const char* GuestEventName(GuestEventKind kind) {
  switch (kind) {
    case GuestEventKind::kReset: return "reset";
    case GuestEventKind::kShutdown: return "shutdown";
    case GuestEventKind::kCrashed: return "crashed";
  }
  return "unknown";
}

}  // namespace virt_kvm
