#include "deflate.h"

#include <zlib.h>

#include <cerrno>
#include <cstdint>
#include <memory>

#include "errors.h"

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

class DeflateWorker : public Napi::AsyncWorker {
 public:
  DeflateWorker(Napi::Env env, Napi::Buffer<uint8_t> src, Params params, size_t limit)
      : Napi::AsyncWorker(env),
        deferred_(Napi::Promise::Deferred::New(env)),
        src_ref_(Napi::Persistent(src)),
        src_(src.Data()),
        src_len_(src.Length()),
        params_(params),
        limit_(limit) {}

  Napi::Promise Promise() { return deferred_.Promise(); }

 protected:
  void Execute() override {
    z_stream* z = ThreadStream(params_);
    if (!z) {
      err_ = ENOMEM;
      return;
    }
    size_t capacity = deflateBound(z, static_cast<uLong>(src_len_));
    if (limit_ != 0 && limit_ < capacity) capacity = limit_;
    out_.reset(new uint8_t[capacity]);
    z->next_in = const_cast<Bytef*>(src_);
    z->avail_in = static_cast<uInt>(src_len_);
    z->next_out = out_.get();
    z->avail_out = static_cast<uInt>(capacity);
    int rc = deflate(z, Z_FINISH);
    if (rc == Z_STREAM_END) {
      out_len_ = capacity - z->avail_out;
    } else if (rc != Z_OK && rc != Z_BUF_ERROR) {
      err_ = EIO;
    }
    // otherwise the output did not fit the limit: out_len_ stays 0
  }

  void OnOK() override {
    Napi::Env env = Env();
    if (err_ != 0) {
      deferred_.Reject(SystemError(env, err_, "deflate"));
    } else if (out_len_ == 0) {
      deferred_.Resolve(env.Null());
    } else {
      deferred_.Resolve(Napi::Buffer<uint8_t>::Copy(env, out_.get(), out_len_));
    }
  }

 private:
  Napi::Promise::Deferred deferred_;
  Napi::Reference<Napi::Buffer<uint8_t>> src_ref_;
  const uint8_t* src_;
  size_t src_len_;
  Params params_;
  size_t limit_;
  std::unique_ptr<uint8_t[]> out_;
  size_t out_len_ = 0;
  int err_ = 0;
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
    ThrowTypeError(env, "deflateCompress(src, level, windowBits, memLevel, limit) expects a Buffer of at most 64 MiB and zlib's parameters");
    return env.Undefined();
  }
  auto* worker = new DeflateWorker(env, info[0].As<Napi::Buffer<uint8_t>>(), params, static_cast<size_t>(limit));
  auto promise = worker->Promise();
  worker->Queue();
  return promise;
}

}  // namespace virt_storage
