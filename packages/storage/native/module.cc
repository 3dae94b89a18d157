// The native half of @virt/storage: only what Node cannot do itself.
#include <napi.h>

#include "aligned-buffer.h"
#include "deflate.h"
#include "errors.h"  // shared by the addons: @virt/native-build/support
#include "file-ops.h"
#include "zero-scan.h"
#include "zstd.h"

namespace virt_storage {

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("setErrorFactory", Napi::Function::New(env, virt_native::SetErrorFactory, "setErrorFactory"));
  exports.Set("seekData", Napi::Function::New(env, SeekData, "seekData"));
  exports.Set("seekHole", Napi::Function::New(env, SeekHole, "seekHole"));
  exports.Set("fallocate", Napi::Function::New(env, Fallocate, "fallocate"));
  exports.Set("alignedBuffer", Napi::Function::New(env, AlignedBuffer, "alignedBuffer"));
  exports.Set("zeroSectors", Napi::Function::New(env, ZeroSectors, "zeroSectors"));
  exports.Set("sectorRuns", Napi::Function::New(env, SectorRuns, "sectorRuns"));
  exports.Set("deflateCompress", Napi::Function::New(env, DeflateCompress, "deflateCompress"));
  exports.Set("zstdCompress", Napi::Function::New(env, ZstdCompress, "zstdCompress"));
  exports.Set("zstdDecompress", Napi::Function::New(env, ZstdDecompress, "zstdDecompress"));
  return exports;
}

NODE_API_MODULE(virt_storage, Init)

}  // namespace virt_storage
