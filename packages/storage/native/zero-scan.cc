#include "zero-scan.h"

#include <cstdint>
#include <cstring>

namespace virt_storage {
namespace {

// Whether `length` bytes at `p` are all zero. 128-byte blocks are OR-ed
// together as 16-byte vectors (SSE2 on every x86-64, NEON on arm64); a block
// with a set bit ends the scan early, so data is rejected at its first
// block and only zeros are read through.
bool AllZero(const uint8_t* p, size_t length) {
  typedef uint64_t Vec __attribute__((vector_size(16)));
  constexpr size_t kBlock = 128;
  size_t at = 0;
  for (; at + kBlock <= length; at += kBlock) {
    Vec v[kBlock / sizeof(Vec)];
    std::memcpy(v, p + at, kBlock);
    Vec any = v[0] | v[1] | v[2] | v[3] | v[4] | v[5] | v[6] | v[7];
    if ((any[0] | any[1]) != 0) return false;
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
