// Errors raised by @virt's addons are built by a factory the TypeScript side
// registers (setErrorFactory), so that JavaScript sees the project's own
// error class (VirtError), never a bare Error.
#pragma once

#include <napi.h>

#include <string>

namespace virt_native {

// Remember the factory, called as
//   ('system', errnoName, syscall) for a failed system call, and
//   ('virt', code, message) for an error with one of libvirt's codes.
void SetErrorFactory(const Napi::CallbackInfo& info);

// The error object for a failed system call.
Napi::Value SystemError(Napi::Env env, int err, const std::string& syscall);

// Throw a system error as a JavaScript exception.
void ThrowSystemError(Napi::Env env, int err, const std::string& syscall);

// The error object for an error with a libvirt error code (virErrorNumber).
Napi::Value VirtError(Napi::Env env, int code, const std::string& message);

void ThrowVirtError(Napi::Env env, int code, const std::string& message);

// A TypeError for a malformed argument (a bug in the caller, not bad data).
void ThrowTypeError(Napi::Env env, const std::string& message);

}  // namespace virt_native
