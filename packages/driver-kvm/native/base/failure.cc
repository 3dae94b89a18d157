#include "failure.h"

#include <cerrno>

namespace virt_kvm {

void ThrowErrno(const char* call) { throw SystemFailure(errno, call); }

}  // namespace virt_kvm
