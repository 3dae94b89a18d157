// The addon's boundary: core exceptions become the project's VirtError,
// argument checks become TypeErrors, and handles are type-tagged so that a
// wrong one is an error, never a stray pointer.
#pragma once

#include <napi.h>

#include <cstdint>
#include <optional>
#include <string>

#include "../base/failure.h"
#include "errors.h"  // shared by the addons: @virt/native-build/support

namespace virt_kvm {

// Run `body`, turning a core failure into a pending JavaScript exception
// (and an empty value).
template <typename Body>
Napi::Value Guarded(Napi::Env env, Body&& body) {
  try {
    return body();
  } catch (const SystemFailure& failure) {
    virt_native::ThrowSystemError(env, failure.err(), failure.call());
  } catch (const VmmFailure& failure) {
    virt_native::ThrowVirtError(env, static_cast<int>(failure.code()), failure.what());
  } catch (const std::bad_alloc&) {
    virt_native::ThrowVirtError(env, static_cast<int>(FailureCode::kInternalError), "out of memory");
  }
  return env.Undefined();
}

// A non-negative integer below 2^53 (guest addresses, sizes, indices), or nullopt.
std::optional<uint64_t> ToUnsigned(const Napi::Value& value);

// Throws VmmFailure(kInvalidArg) naming `what` unless argument `index` is such an integer.
uint64_t UnsignedArg(const Napi::CallbackInfo& info, size_t index, const char* what);

// The Buffer at argument `index`, or VmmFailure(kInvalidArg).
Napi::Buffer<uint8_t> BufferArg(const Napi::CallbackInfo& info, size_t index, const char* what);

// The string at argument `index`, or VmmFailure(kInvalidArg).
std::string StringArg(const Napi::CallbackInfo& info, size_t index, const char* what);

}  // namespace virt_kvm
