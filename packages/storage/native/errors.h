// Errors raised by the addon are built by a factory the TypeScript side
// registers (setErrorFactory), so that JavaScript sees the project's own
// error class with the errno name, never a bare Error.
#pragma once

#include <napi.h>

#include <string>

namespace virt_storage {

// Remember the factory: (errnoName, errno, syscall) => Error.
void SetErrorFactory(const Napi::CallbackInfo& info);

// The error object for a failed system call.
Napi::Value SystemError(Napi::Env env, int err, const std::string& syscall);

// Throw a system error as a JavaScript exception.
void ThrowSystemError(Napi::Env env, int err, const std::string& syscall);

// A TypeError for a malformed argument (a bug in the caller, not bad data).
void ThrowTypeError(Napi::Env env, const std::string& message);

}  // namespace virt_storage
