#include "zero-scan.h"

#include <cstdint>
#include <cstring>

namespace virt_storage {
namespace {

// Whether `length` bytes at `p` are all zero. Words are OR-ed together in
// blocks so the compiler can vectorise the loop; a block with a set bit
// ends the scan early.
bool AllZero(const uint8_t* p, size_t length) {
  size_t at = 0;
  // head bytes until 8-byte alignment
  while (at < length && (reinterpret_cast<uintptr_t>(p + at) & 7) != 0) {
    if (p[at++] != 0) return false;
  }
  constexpr size_t kBlock = 64;
  for (; at + kBlock <= length; at += kBlock) {
    uint64_t words[kBlock / 8];
    std::memcpy(words, p + at, kBlock);
    uint64_t any = 0;
    for (uint64_t w : words) any |= w;
    if (any != 0) return false;
  }
  for (; at < length; at++) {
    if (p[at] != 0) return false;
  }
  return true;
}

struct Args {
  const uint8_t* data;
  size_t length;
  size_t sector;
};

bool ParseArgs(const Napi::CallbackInfo& info, Args* args) {
  Napi::Env env = info.Env();
  if (info.Length() < 2 || !info[0].IsBuffer() || !info[1].IsNumber()) {
    Napi::TypeError::New(env, "expected (buffer, sectorSize)").ThrowAsJavaScriptException();
    return false;
  }
  auto buf = info[0].As<Napi::Buffer<uint8_t>>();
  int64_t sector = info[1].As<Napi::Number>().Int64Value();
  if (sector <= 0) {
    Napi::RangeError::New(env, "sector size must be positive").ThrowAsJavaScriptException();
    return false;
  }
  *args = {buf.Data(), buf.Length(), static_cast<size_t>(sector)};
  return true;
}

// Sectors from the start of the buffer for which AllZero gives `zero`.
Napi::Value CountSectors(const Napi::CallbackInfo& info, bool zero) {
  Args args;
  if (!ParseArgs(info, &args)) return info.Env().Undefined();
  size_t count = 0;
  for (size_t at = 0; at < args.length; at += args.sector) {
    size_t length = args.length - at < args.sector ? args.length - at : args.sector;
    if (AllZero(args.data + at, length) != zero) break;
    count++;
  }
  return Napi::Number::New(info.Env(), static_cast<double>(count));
}

}  // namespace

Napi::Value ZeroSectors(const Napi::CallbackInfo& info) { return CountSectors(info, true); }
Napi::Value DataSectors(const Napi::CallbackInfo& info) { return CountSectors(info, false); }

}  // namespace virt_storage
