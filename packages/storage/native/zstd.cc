#include "zstd.h"

#include <zstd.h>
#include <zstd_errors.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>

#include "buffer-job.h"
#include "compress-job.h"
#include "errors.h"  // shared by the addons: @virt/native-build/support

namespace virt_storage {
namespace {

// One context per pool thread, reused across calls: creating a context
// costs more than compressing a small cluster.
ZSTD_CCtx* ThreadCompressContext() {
  thread_local std::unique_ptr<ZSTD_CCtx, size_t (*)(ZSTD_CCtx*)> ctx(ZSTD_createCCtx(), ZSTD_freeCCtx);
  return ctx.get();
}

ZSTD_DCtx* ThreadDecompressContext() {
  thread_local std::unique_ptr<ZSTD_DCtx, size_t (*)(ZSTD_DCtx*)> ctx(ZSTD_createDCtx(), ZSTD_freeDCtx);
  return ctx.get();
}

bool ReadSize(const Napi::Value& v, size_t max, size_t* out) {
  if (!v.IsNumber()) return false;
  double d = v.As<Napi::Number>().DoubleValue();
  if (!(d >= 1 && d <= static_cast<double>(max)) || d != static_cast<double>(static_cast<int64_t>(d))) return false;
  *out = static_cast<size_t>(d);
  return true;
}

// The largest buffer either direction produces: a qcow2 cluster is at most
// 2 MiB, a VMDK grain smaller still; the bound keeps a bad argument from
// becoming a huge allocation.
constexpr size_t kMaxBuffer = 64u << 20;

class ZstdCompressJob : public CompressJob {
 public:
  ZstdCompressJob(Napi::Env env, Napi::Buffer<uint8_t> src, int level, size_t limit)
      : CompressJob(env, src, "zstd-compress"), level_(level), limit_(limit) {}

 protected:
  size_t Capacity(size_t) override { return limit_; }

  Outcome Compress(const uint8_t* src, size_t src_len, uint8_t* out, size_t capacity, size_t* written, int* err) override {
    ZSTD_CCtx* ctx = ThreadCompressContext();
    if (!ctx) {
      *err = ENOMEM;
      return Outcome::kFailed;
    }
    ZSTD_CCtx_reset(ctx, ZSTD_reset_session_and_parameters);
    ZSTD_CCtx_setParameter(ctx, ZSTD_c_compressionLevel, level_);
    size_t n = ZSTD_compress2(ctx, out, capacity, src, src_len);
    if (ZSTD_isError(n)) {
      // not smaller than the limit: the caller stores the data as it is
      return ZSTD_getErrorCode(n) == ZSTD_error_dstSize_tooSmall ? Outcome::kTooLarge : Outcome::kFailed;
    }
    *written = n;
    return Outcome::kDone;
  }

 private:
  int level_;
  size_t limit_;
};

class DecompressJob : public BufferJob {
 public:
  DecompressJob(Napi::Env env, Napi::Buffer<uint8_t> src, Napi::Buffer<uint8_t> dst)
      : BufferJob(env, src), dst_ref_(Napi::Persistent(dst)), dst_(dst.Data()), dst_len_(dst.Length()) {}

 protected:
  // Decode until the output is full. Compressed clusters are stored padded
  // to whole sectors, so input may remain after the frame; input that ends
  // before the output is full, or that is not zstd, is corrupt.
  void Execute() override {
    ZSTD_DCtx* ctx = ThreadDecompressContext();
    if (!ctx) {
      err_ = ENOMEM;
      return;
    }
    ZSTD_DCtx_reset(ctx, ZSTD_reset_session_only);
    ZSTD_inBuffer in = {input(), input_length(), 0};
    ZSTD_outBuffer out = {dst_, dst_len_, 0};
    while (out.pos < out.size) {
      size_t before_in = in.pos;
      size_t before_out = out.pos;
      size_t rc = ZSTD_decompressStream(ctx, &out, &in);
      if (ZSTD_isError(rc)) {
        err_ = EIO;
        return;
      }
      // a finished frame, or no progress: nothing more will come
      if ((rc == 0 && out.pos < out.size) || (in.pos == before_in && out.pos == before_out)) {
        err_ = EIO;
        return;
      }
    }
  }

  void OnOK() override {
    if (err_ != 0) {
      deferred().Reject(virt_native::SystemError(Env(), err_, "zstd-decompress"));
    } else {
      deferred().Resolve(Env().Undefined());
    }
  }

 private:
  Napi::Reference<Napi::Buffer<uint8_t>> dst_ref_;
  uint8_t* dst_;
  size_t dst_len_;
  int err_ = 0;
};

}  // namespace

// zstdCompress(src, level, limit) -> Promise<Buffer | null>: the zstd frame,
// or null when it would not be smaller than `limit` bytes.
Napi::Value ZstdCompress(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  size_t limit;
  if (info.Length() != 3 || !info[0].IsBuffer() || !info[1].IsNumber() || !ReadSize(info[2], kMaxBuffer, &limit) ||
      info[0].As<Napi::Buffer<uint8_t>>().Length() > kMaxBuffer) {
    virt_native::ThrowTypeError(env, "zstdCompress(src, level, limit) expects a Buffer, a level and a size limit");
    return env.Undefined();
  }
  return (new ZstdCompressJob(env, info[0].As<Napi::Buffer<uint8_t>>(), info[1].As<Napi::Number>().Int32Value(), limit))->Start();
}

// zstdDecompress(src, dst) -> Promise<void>: fill `dst` exactly from the
// zstd data at the start of `src`.
Napi::Value ZstdDecompress(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() != 2 || !info[0].IsBuffer() || !info[1].IsBuffer() || info[1].As<Napi::Buffer<uint8_t>>().Length() == 0 ||
      info[1].As<Napi::Buffer<uint8_t>>().Length() > kMaxBuffer) {
    virt_native::ThrowTypeError(env, "zstdDecompress(src, dst) expects two Buffers, dst of 1 byte to 64 MiB");
    return env.Undefined();
  }
  return (new DecompressJob(env, info[0].As<Napi::Buffer<uint8_t>>(), info[1].As<Napi::Buffer<uint8_t>>()))->Start();
}

}  // namespace virt_storage
