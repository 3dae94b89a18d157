// The native half of @virt/storage: only what Node cannot do itself.
#include <napi.h>

#include "errors.h"
#include "file-ops.h"
#include "zstd.h"

namespace virt_storage {

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("setErrorFactory", Napi::Function::New(env, SetErrorFactory, "setErrorFactory"));
  exports.Set("seekData", Napi::Function::New(env, SeekData, "seekData"));
  exports.Set("seekHole", Napi::Function::New(env, SeekHole, "seekHole"));
  exports.Set("fallocate", Napi::Function::New(env, Fallocate, "fallocate"));
  exports.Set("zstdCompress", Napi::Function::New(env, ZstdCompress, "zstdCompress"));
  exports.Set("zstdDecompress", Napi::Function::New(env, ZstdDecompress, "zstdDecompress"));
  return exports;
}

NODE_API_MODULE(virt_storage, Init)

}  // namespace virt_storage
