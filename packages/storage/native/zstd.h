// zstd for qcow2's compressed clusters (Node 20's zlib has no zstd).
// Both directions run on the libuv thread pool, so clusters compress in
// parallel on every core.
#pragma once

#include <napi.h>

namespace virt_storage {

Napi::Value ZstdCompress(const Napi::CallbackInfo& info);
Napi::Value ZstdDecompress(const Napi::CallbackInfo& info);

}  // namespace virt_storage
