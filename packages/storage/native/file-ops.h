// File operations Node's fs lacks: finding data and holes in sparse files
// (lseek SEEK_DATA / SEEK_HOLE) and fallocate (preallocation, punching
// holes, zeroing ranges).
#pragma once

#include <napi.h>

namespace virt_storage {

Napi::Value SeekData(const Napi::CallbackInfo& info);
Napi::Value SeekHole(const Napi::CallbackInfo& info);
Napi::Value Fallocate(const Napi::CallbackInfo& info);

}  // namespace virt_storage
