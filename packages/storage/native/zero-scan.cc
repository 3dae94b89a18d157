#include "zero-scan.h"

#include <cstdint>
#include <cstring>
#include <vector>

#include "buffer-job.h"

namespace virt_storage {
namespace {

// Whether `length` bytes at `p` are all zero. 128-byte blocks are OR-ed
// together as 16-byte vectors (SSE2 on every x86-64, NEON on arm64); a block
// with a set bit ends the scan early, so data is rejected at its first
// block and only zeros are read through.
bool AllZero(const uint8_t* p, size_t length) {
  typedef uint64_t Vec __attribute__((vector_size(16)));
  constexpr size_t kBlock = 128;
  size_t at = 0;
  for (; at + kBlock <= length; at += kBlock) {
    Vec v[kBlock / sizeof(Vec)];
    std::memcpy(v, p + at, kBlock);
    Vec any = v[0] | v[1] | v[2] | v[3] | v[4] | v[5] | v[6] | v[7];
    if ((any[0] | any[1]) != 0) return false;
  }
  for (; at < length; at++) {
    if (p[at] != 0) return false;
  }
  return true;
}

struct Args {
  const uint8_t* data;
  size_t length;
  size_t sector;
};

bool ParseArgs(const Napi::CallbackInfo& info, Args* args) {
  Napi::Env env = info.Env();
  if (info.Length() < 2 || !info[0].IsBuffer() || !info[1].IsNumber()) {
    Napi::TypeError::New(env, "expected (buffer, sectorSize)").ThrowAsJavaScriptException();
    return false;
  }
  auto buf = info[0].As<Napi::Buffer<uint8_t>>();
  int64_t sector = info[1].As<Napi::Number>().Int64Value();
  if (sector <= 0) {
    Napi::RangeError::New(env, "sector size must be positive").ThrowAsJavaScriptException();
    return false;
  }
  *args = {buf.Data(), buf.Length(), static_cast<size_t>(sector)};
  return true;
}

// The buffer's sectors as runs of all-zero and not-all-zero ones,
// alternating and starting with a zero run (empty when the first sector
// holds data): where each run ends, in sectors from the start. Scanned on
// the thread pool, so that a copy's pieces are scanned side by side and
// away from the main thread.
class SectorRunsJob : public BufferJob {
 public:
  SectorRunsJob(Napi::Env env, Napi::Buffer<uint8_t> buf, size_t sector) : BufferJob(env, buf), sector_(sector) {}

 protected:
  void Execute() override {
    bool zero = true;
    uint32_t count = 0;
    for (size_t at = 0; at < input_length(); at += sector_, count++) {
      size_t length = input_length() - at < sector_ ? input_length() - at : sector_;
      if (AllZero(input() + at, length) != zero) {
        ends_.push_back(count);
        zero = !zero;
      }
    }
    ends_.push_back(count);
  }

  void OnOK() override {
    Napi::Env env = Env();
    Napi::Uint32Array ends = Napi::Uint32Array::New(env, ends_.size());
    std::memcpy(ends.Data(), ends_.data(), ends_.size() * sizeof(uint32_t));
    deferred().Resolve(ends);
  }

 private:
  size_t sector_;
  std::vector<uint32_t> ends_;
};

}  // namespace

Napi::Value SectorRuns(const Napi::CallbackInfo& info) {
  Args args;
  if (!ParseArgs(info, &args)) return info.Env().Undefined();
  // run ends are counted in 32 bits
  if (args.length / args.sector >= UINT32_MAX) {
    Napi::RangeError::New(info.Env(), "buffer too large to scan at once").ThrowAsJavaScriptException();
    return info.Env().Undefined();
  }
  auto* job = new SectorRunsJob(info.Env(), info[0].As<Napi::Buffer<uint8_t>>(), args.sector);
  return job->Start();
}

Napi::Value ZeroSectors(const Napi::CallbackInfo& info) {
  Args args;
  if (!ParseArgs(info, &args)) return info.Env().Undefined();
  size_t count = 0;
  for (size_t at = 0; at < args.length; at += args.sector, count++) {
    size_t length = args.length - at < args.sector ? args.length - at : args.sector;
    if (!AllZero(args.data + at, length)) break;
  }
  return Napi::Number::New(info.Env(), static_cast<double>(count));
}

}  // namespace virt_storage
