// A job on the libuv thread pool over one input Buffer, settling a promise
// on the main thread: the Buffer is kept alive (and its bytes in place)
// until then. Subclasses do the work in Execute() and settle in OnOK().
#pragma once

#include <napi.h>

#include <cstddef>
#include <cstdint>

namespace virt_storage {

class BufferJob : public Napi::AsyncWorker {
 public:
  BufferJob(Napi::Env env, Napi::Buffer<uint8_t> input)
      : Napi::AsyncWorker(env),
        deferred_(Napi::Promise::Deferred::New(env)),
        input_ref_(Napi::Persistent(input)),
        input_(input.Data()),
        input_length_(input.Length()) {}

  // Queue the job; the promise settles on the main thread.
  Napi::Promise Start() {
    Napi::Promise promise = deferred_.Promise();
    Queue();
    return promise;
  }

 protected:
  const uint8_t* input() const { return input_; }
  size_t input_length() const { return input_length_; }
  Napi::Promise::Deferred& deferred() { return deferred_; }

 private:
  Napi::Promise::Deferred deferred_;
  Napi::Reference<Napi::Buffer<uint8_t>> input_ref_;
  const uint8_t* input_;
  size_t input_length_;
};

}  // namespace virt_storage
