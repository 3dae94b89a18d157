// Page-aligned buffers for bulk I/O. Node's own large buffers start a few
// bytes past a page boundary; the kernel copies file data into and out of
// such buffers several times slower than into page-aligned ones (4x in
// measurements here), which dominated the cost of copying an image.
#pragma once

#include <napi.h>

namespace virt_storage {

// alignedBuffer(size): a Buffer of `size` bytes starting on a page boundary,
// contents undefined, freed when the Buffer is collected.
Napi::Value AlignedBuffer(const Napi::CallbackInfo& info);

}  // namespace virt_storage
