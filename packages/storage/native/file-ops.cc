#include "file-ops.h"

#include <fcntl.h>
#include <linux/falloc.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <string>

#include "errors.h"  // shared by the addons: @virt/native-build/support

namespace virt_storage {
namespace {

// Offsets and lengths arrive as JavaScript numbers: exact up to 2^53, far
// beyond any file this library opens; anything else is a caller bug.
bool ReadOffset(const Napi::Value& v, int64_t* out) {
  if (!v.IsNumber()) return false;
  double d = v.As<Napi::Number>().DoubleValue();
  if (!(d >= 0 && d <= 9007199254740991.0) || d != static_cast<double>(static_cast<int64_t>(d))) return false;
  *out = static_cast<int64_t>(d);
  return true;
}

bool ReadFd(const Napi::Value& v, int* out) {
  if (!v.IsNumber()) return false;
  int32_t fd = v.As<Napi::Number>().Int32Value();
  if (fd < 0) return false;
  *out = fd;
  return true;
}

// lseek(fd, offset, whence): the offset found, or -1 when there is no more
// data (ENXIO past the last data extent, or at/after the end of the file).
Napi::Value Seek(const Napi::CallbackInfo& info, int whence, const char* name) {
  Napi::Env env = info.Env();
  int fd;
  int64_t offset;
  if (info.Length() != 2 || !ReadFd(info[0], &fd) || !ReadOffset(info[1], &offset)) {
    virt_native::ThrowTypeError(env, std::string(name) + "(fd, offset) expects a file descriptor and a non-negative integer");
    return env.Undefined();
  }
  off_t found = lseek(fd, static_cast<off_t>(offset), whence);
  if (found < 0) {
    if (errno == ENXIO) return Napi::Number::New(env, -1);
    virt_native::ThrowSystemError(env, errno, "lseek");
    return env.Undefined();
  }
  return Napi::Number::New(env, static_cast<double>(found));
}

class FallocateWorker : public Napi::AsyncWorker {
 public:
  FallocateWorker(Napi::Env env, int fd, int mode, int64_t offset, int64_t length)
      : Napi::AsyncWorker(env), deferred_(Napi::Promise::Deferred::New(env)), fd_(fd), mode_(mode), offset_(offset), length_(length) {}

  Napi::Promise Promise() { return deferred_.Promise(); }

 protected:
  void Execute() override {
    int rc;
    do {
      rc = fallocate(fd_, mode_, static_cast<off_t>(offset_), static_cast<off_t>(length_));
    } while (rc < 0 && errno == EINTR);
    if (rc < 0) err_ = errno;
  }

  void OnOK() override {
    if (err_ == 0) {
      deferred_.Resolve(Env().Undefined());
    } else {
      deferred_.Reject(virt_native::SystemError(Env(), err_, "fallocate"));
    }
  }

 private:
  Napi::Promise::Deferred deferred_;
  int fd_;
  int mode_;
  int64_t offset_;
  int64_t length_;
  int err_ = 0;
};

}  // namespace

Napi::Value SeekData(const Napi::CallbackInfo& info) { return Seek(info, SEEK_DATA, "seekData"); }

Napi::Value SeekHole(const Napi::CallbackInfo& info) { return Seek(info, SEEK_HOLE, "seekHole"); }

// fallocate(fd, kind, offset, length) -> Promise<void>, kind being
// "allocate" (reserve blocks, growing the file), "punch-hole" (free the
// blocks, keep the size) or "zero-range" (read as zeros, keep the size).
Napi::Value Fallocate(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int fd;
  int64_t offset, length;
  if (info.Length() != 4 || !ReadFd(info[0], &fd) || !info[1].IsString() || !ReadOffset(info[2], &offset) ||
      !ReadOffset(info[3], &length) || length == 0) {
    virt_native::ThrowTypeError(env, "fallocate(fd, kind, offset, length) expects a file descriptor, a kind and a positive range");
    return env.Undefined();
  }
  std::string kind = info[1].As<Napi::String>().Utf8Value();
  int mode;
  if (kind == "allocate") {
    mode = 0;
  } else if (kind == "punch-hole") {
    mode = FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE;
  } else if (kind == "zero-range") {
    mode = FALLOC_FL_ZERO_RANGE | FALLOC_FL_KEEP_SIZE;
  } else {
    virt_native::ThrowTypeError(env, "fallocate kind must be allocate, punch-hole or zero-range");
    return env.Undefined();
  }
  auto* worker = new FallocateWorker(env, fd, mode, offset, length);
  auto promise = worker->Promise();
  worker->Queue();
  return promise;
}

}  // namespace virt_storage
