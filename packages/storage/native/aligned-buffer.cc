#include "aligned-buffer.h"

#include <unistd.h>

#include <cstdlib>

namespace virt_storage {

// Larger requests are a caller's bug, not a reason to exhaust memory.
constexpr int64_t kMaxAlignedBuffer = int64_t{1} << 30;

Napi::Value AlignedBuffer(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsNumber()) {
    Napi::TypeError::New(env, "expected (size)").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  int64_t size = info[0].As<Napi::Number>().Int64Value();
  if (size <= 0 || size > kMaxAlignedBuffer) {
    Napi::RangeError::New(env, "aligned buffer size out of range").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  void* data = nullptr;
  long page = sysconf(_SC_PAGESIZE);
  if (posix_memalign(&data, page > 0 ? static_cast<size_t>(page) : 4096, static_cast<size_t>(size)) != 0) {
    Napi::Error::New(env, "out of memory").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  return Napi::Buffer<uint8_t>::New(env, static_cast<uint8_t*>(data), static_cast<size_t>(size),
                                    [](Napi::Env, uint8_t* p) { std::free(p); });
}

}  // namespace virt_storage
