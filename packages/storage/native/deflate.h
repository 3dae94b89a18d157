// zlib deflate for compressed qcow2 clusters and streamOptimized VMDK
// grains. node:zlib's asynchronous calls set up a new stream per call and
// come back to the main thread for every 16 KiB of output; here one call
// is one job on the libuv pool, and each pool thread keeps its stream
// (deflateReset instead of a fresh deflateInit), which is what lets a
// convert compress on all cores with little beside the compression itself.
#pragma once

#include <napi.h>

namespace virt_storage {

// deflateCompress(src, level, windowBits, memLevel, limit) ->
// Promise<Buffer | null>: windowBits as zlib's deflateInit2 takes it
// (negative for raw deflate, 8..15 for a zlib stream); null when the
// output would exceed `limit` bytes (0: no limit).
Napi::Value DeflateCompress(const Napi::CallbackInfo& info);

}  // namespace virt_storage
