// One buffer compressed on the libuv thread pool, resolving a promise with
// the output (a Buffer), null when it did not fit the caller's limit, or a
// system error. The codecs (zstd.cc, deflate.cc) supply only Compress().
#pragma once

#include <napi.h>

#include <cerrno>
#include <cstdint>
#include <memory>

#include "buffer-job.h"
#include "errors.h"  // shared by the addons: @virt/native-build/support

namespace virt_storage {

class CompressJob : public BufferJob {
 public:
  CompressJob(Napi::Env env, Napi::Buffer<uint8_t> src, const char* syscall) : BufferJob(env, src), syscall_(syscall) {}

 protected:
  enum class Outcome { kDone, kTooLarge, kFailed };

  // On a pool thread: compress src into out (capacity bytes), setting
  // *written; kTooLarge when the output would not fit, kFailed with
  // *err set on any other failure. `out` is allocated by the caller.
  virtual Outcome Compress(const uint8_t* src, size_t src_len, uint8_t* out, size_t capacity, size_t* written, int* err) = 0;
  // The output buffer to allocate for src_len bytes of input.
  virtual size_t Capacity(size_t src_len) = 0;

  void Execute() override {
    size_t capacity = Capacity(input_length());
    out_.reset(new uint8_t[capacity]);
    switch (Compress(input(), input_length(), out_.get(), capacity, &out_len_, &err_)) {
      case Outcome::kDone:
        break;
      case Outcome::kTooLarge:
        out_len_ = 0;
        break;
      case Outcome::kFailed:
        if (err_ == 0) err_ = EIO;
        break;
    }
  }

  void OnOK() override {
    Napi::Env env = Env();
    if (err_ != 0) {
      deferred().Reject(virt_native::SystemError(env, err_, syscall_));
    } else if (out_len_ == 0) {
      deferred().Resolve(env.Null());
    } else {
      deferred().Resolve(Napi::Buffer<uint8_t>::Copy(env, out_.get(), out_len_));
    }
  }

 private:
  const char* syscall_;
  std::unique_ptr<uint8_t[]> out_;
  size_t out_len_ = 0;
  int err_ = 0;
};

}  // namespace virt_storage
