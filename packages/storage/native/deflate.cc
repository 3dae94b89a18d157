#include "deflate.h"

#include <zlib.h>

#include <cerrno>
#include <cstdint>

#include "compress-job.h"
#include "errors.h"  // shared by the addons: @virt/native-build/support

namespace virt_storage {
namespace {

constexpr size_t kMaxInput = 64u << 20;

struct Params {
  int level;
  int window_bits;
  int mem_level;
  bool operator==(const Params& o) const {
    return level == o.level && window_bits == o.window_bits && mem_level == o.mem_level;
  }
};

// The calling pool thread's deflate stream, set to `params`: reset when it
// already has them, set up again when a caller asks for others.
z_stream* ThreadStream(const Params& params) {
  struct Stream {
    z_stream z{};
    Params params{};
    bool ready = false;
    ~Stream() {
      if (ready) deflateEnd(&z);
    }
  };
  thread_local Stream stream;
  if (stream.ready && stream.params == params) {
    if (deflateReset(&stream.z) == Z_OK) return &stream.z;
  }
  if (stream.ready) deflateEnd(&stream.z);
  stream.z = z_stream{};
  stream.ready = deflateInit2(&stream.z, params.level, Z_DEFLATED, params.window_bits, params.mem_level, Z_DEFAULT_STRATEGY) == Z_OK;
  stream.params = params;
  return stream.ready ? &stream.z : nullptr;
}

class DeflateJob : public CompressJob {
 public:
  DeflateJob(Napi::Env env, Napi::Buffer<uint8_t> src, Params params, size_t limit)
      : CompressJob(env, src, "deflate"), params_(params), limit_(limit) {}

 protected:
  // zlib's own bound for these parameters (any input fits), or the limit
  size_t Capacity(size_t src_len) override {
    z_stream* z = ThreadStream(params_);
    size_t bound = z ? deflateBound(z, static_cast<uLong>(src_len)) : src_len + src_len / 4 + 64;
    return limit_ != 0 && limit_ < bound ? limit_ : bound;
  }

  Outcome Compress(const uint8_t* src, size_t src_len, uint8_t* out, size_t capacity, size_t* written, int* err) override {
    z_stream* z = ThreadStream(params_);
    if (!z) {
      *err = ENOMEM;
      return Outcome::kFailed;
    }
    z->next_in = const_cast<Bytef*>(src);
    z->avail_in = static_cast<uInt>(src_len);
    z->next_out = out;
    z->avail_out = static_cast<uInt>(capacity);
    int rc = deflate(z, Z_FINISH);
    if (rc == Z_STREAM_END) {
      *written = capacity - z->avail_out;
      return Outcome::kDone;
    }
    // Z_OK or Z_BUF_ERROR: the output did not fit the limit
    return rc == Z_OK || rc == Z_BUF_ERROR ? Outcome::kTooLarge : Outcome::kFailed;
  }

 private:
  Params params_;
  size_t limit_;
};

bool ValidParams(const Params& p) {
  bool raw = p.window_bits >= -15 && p.window_bits <= -9;
  bool wrapped = p.window_bits >= 9 && p.window_bits <= 15;
  return p.level >= -1 && p.level <= 9 && (raw || wrapped) && p.mem_level >= 1 && p.mem_level <= 9;
}

}  // namespace

Napi::Value DeflateCompress(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  bool shaped = info.Length() == 5 && info[0].IsBuffer() && info[1].IsNumber() && info[2].IsNumber() && info[3].IsNumber() && info[4].IsNumber();
  Params params{};
  double limit = -1;
  if (shaped) {
    params = {info[1].As<Napi::Number>().Int32Value(), info[2].As<Napi::Number>().Int32Value(), info[3].As<Napi::Number>().Int32Value()};
    limit = info[4].As<Napi::Number>().DoubleValue();
  }
  if (!shaped || !ValidParams(params) || !(limit >= 0 && limit <= static_cast<double>(kMaxInput) * 2) ||
      info[0].As<Napi::Buffer<uint8_t>>().Length() > kMaxInput) {
    virt_native::ThrowTypeError(env, "deflateCompress(src, level, windowBits, memLevel, limit) expects a Buffer of at most 64 MiB and zlib's parameters");
    return env.Undefined();
  }
  return (new DeflateJob(env, info[0].As<Napi::Buffer<uint8_t>>(), params, static_cast<size_t>(limit)))->Start();
}

}  // namespace virt_storage
