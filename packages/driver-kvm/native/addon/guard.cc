#include "guard.h"

#include <cmath>

namespace virt_kvm {
namespace {

constexpr double kMaxSafeInteger = 9007199254740991.0;

[[noreturn]] void BadArgument(const char* what, const char* expected) {
  throw VmmFailure(FailureCode::kInvalidArg, std::string(what) + " must be " + expected);
}

}  // namespace

std::optional<uint64_t> ToUnsigned(const Napi::Value& value) {
  if (!value.IsNumber()) return std::nullopt;
  double number = value.As<Napi::Number>().DoubleValue();
  if (!(number >= 0) || number > kMaxSafeInteger || std::floor(number) != number) return std::nullopt;
  return static_cast<uint64_t>(number);
}

uint64_t UnsignedArg(const Napi::CallbackInfo& info, size_t index, const char* what) {
  auto value = index < info.Length() ? ToUnsigned(info[index]) : std::nullopt;
  if (!value) BadArgument(what, "a non-negative integer");
  return *value;
}

Napi::Buffer<uint8_t> BufferArg(const Napi::CallbackInfo& info, size_t index, const char* what) {
  if (index >= info.Length() || !info[index].IsBuffer()) BadArgument(what, "a Buffer");
  return info[index].As<Napi::Buffer<uint8_t>>();
}

std::string StringArg(const Napi::CallbackInfo& info, size_t index, const char* what) {
  if (index >= info.Length() || !info[index].IsString()) BadArgument(what, "a string");
  return info[index].As<Napi::String>().Utf8Value();
}

}  // namespace virt_kvm
