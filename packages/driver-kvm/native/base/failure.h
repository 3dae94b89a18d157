// The native core reports failures as C++ exceptions of two kinds; the addon
// layer turns them into VirtError (system errors keep their errno, the others
// one of libvirt's error codes). The core never sees Node.
#pragma once

#include <stdexcept>
#include <string>

namespace virt_kvm {

// A system call failed: errno and the call's name ("KVM_CREATE_VM").
class SystemFailure : public std::runtime_error {
 public:
  SystemFailure(int err, std::string call) : std::runtime_error(call), err_(err), call_(std::move(call)) {}
  int err() const { return err_; }
  const std::string& call() const { return call_; }

 private:
  int err_;
  std::string call_;
};

// libvirt's virErrorNumber values the core raises.
enum class FailureCode : int {
  kInternalError = 1,
  kOperationFailed = 9,
  kOperationInvalid = 55,
  kConfigUnsupported = 67,
  kInvalidArg = 8,
};

// Anything else: a bad request or a state that forbids it.
class VmmFailure : public std::runtime_error {
 public:
  VmmFailure(FailureCode code, const std::string& message) : std::runtime_error(message), code_(code) {}
  FailureCode code() const { return code_; }

 private:
  FailureCode code_;
};

// Throw SystemFailure for the current errno.
[[noreturn]] void ThrowErrno(const char* call);

}  // namespace virt_kvm
