#include "errors.h"

#include <cerrno>
#include <cstring>

namespace virt_native {
namespace {

// Per-environment state (worker threads each load their own copy), freed
// with the environment rather than at static destruction.
struct AddonData {
  Napi::FunctionReference factory;
};

Napi::FunctionReference* Factory(Napi::Env env) {
  AddonData* data = env.GetInstanceData<AddonData>();
  return data && !data->factory.IsEmpty() ? &data->factory : nullptr;
}

// strerrorname_np is glibc 2.32+; Debian 12 has 2.36.
std::string ErrnoName(int err) {
  const char* name = strerrorname_np(err);
  return name ? name : "E" + std::to_string(err);
}

}  // namespace

void SetErrorFactory(const Napi::CallbackInfo& info) {
  if (info.Length() != 1 || !info[0].IsFunction()) {
    ThrowTypeError(info.Env(), "setErrorFactory expects a function");
    return;
  }
  Napi::Env env = info.Env();
  AddonData* data = env.GetInstanceData<AddonData>();
  if (!data) {
    data = new AddonData();
    env.SetInstanceData(data);
  }
  data->factory = Napi::Persistent(info[0].As<Napi::Function>());
}

Napi::Value SystemError(Napi::Env env, int err, const std::string& syscall) {
  Napi::FunctionReference* factory = Factory(env);
  if (!factory) {
    auto e = Napi::Error::New(env, syscall + ": " + std::strerror(err));
    e.Set("code", ErrnoName(err));
    return e.Value();
  }
  return factory->Call({Napi::String::New(env, "system"), Napi::String::New(env, ErrnoName(err)), Napi::String::New(env, syscall)});
}

void ThrowSystemError(Napi::Env env, int err, const std::string& syscall) {
  Napi::Error(env, SystemError(env, err, syscall)).ThrowAsJavaScriptException();
}

Napi::Value VirtError(Napi::Env env, int code, const std::string& message) {
  Napi::FunctionReference* factory = Factory(env);
  if (!factory) return Napi::Error::New(env, message).Value();
  return factory->Call({Napi::String::New(env, "virt"), Napi::Number::New(env, code), Napi::String::New(env, message)});
}

void ThrowVirtError(Napi::Env env, int code, const std::string& message) {
  Napi::Error(env, VirtError(env, code, message)).ThrowAsJavaScriptException();
}

void ThrowTypeError(Napi::Env env, const std::string& message) {
  Napi::TypeError::New(env, message).ThrowAsJavaScriptException();
}

}  // namespace virt_native
