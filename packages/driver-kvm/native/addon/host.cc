// What the host's KVM offers: kvmInfo(), supportedCpuid(), msrIndexList().
#include "host.h"

#include "../kvm/kvm.h"
#include "guard.h"

namespace virt_kvm {

Napi::Value KvmInfo(const Napi::CallbackInfo& info) {
  return Guarded(info.Env(), [&]() -> Napi::Value {
    Kvm kvm;
    Napi::Object out = Napi::Object::New(info.Env());
    out.Set("apiVersion", 12);
    out.Set("flavour", FlavourName(kvm.Flavour()));
    out.Set("maxVcpus", kvm.MaxVcpus());
    out.Set("vcpuMmapSize", kvm.VcpuMmapSize());
    return out;
  });
}

Napi::Value CheckExtension(const Napi::CallbackInfo& info) {
  return Guarded(info.Env(), [&]() -> Napi::Value {
    auto capability = static_cast<int>(UnsignedArg(info, 0, "capability"));
    return Napi::Number::New(info.Env(), Kvm().CheckExtension(capability));
  });
}

Napi::Value SupportedCpuid(const Napi::CallbackInfo& info) {
  return Guarded(info.Env(), [&]() -> Napi::Value {
    auto entries = Kvm().SupportedCpuid();
    return Napi::Buffer<uint8_t>::Copy(info.Env(), reinterpret_cast<const uint8_t*>(entries.data()), entries.size() * sizeof(entries[0]));
  });
}

Napi::Value MsrIndexList(const Napi::CallbackInfo& info) {
  return Guarded(info.Env(), [&]() -> Napi::Value {
    auto indices = Kvm().MsrIndexList();
    auto out = Napi::Uint32Array::New(info.Env(), indices.size());
    for (size_t i = 0; i < indices.size(); i++) out[i] = indices[i];
    return out;
  });
}

}  // namespace virt_kvm
