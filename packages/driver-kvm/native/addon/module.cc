// The native half of @virt/driver-kvm: KVM's ioctls, guest memory, vCPU
// threads and the devices a guest hits often. TypeScript does the rest.
#include <napi.h>

#include "errors.h"  // shared by the addons: @virt/native-build/support
#include "host.h"
#include "machine-binding.h"

namespace virt_kvm {

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("setErrorFactory", Napi::Function::New(env, virt_native::SetErrorFactory, "setErrorFactory"));
  exports.Set("kvmInfo", Napi::Function::New(env, KvmInfo, "kvmInfo"));
  exports.Set("checkExtension", Napi::Function::New(env, CheckExtension, "checkExtension"));
  exports.Set("supportedCpuid", Napi::Function::New(env, SupportedCpuid, "supportedCpuid"));
  exports.Set("msrIndexList", Napi::Function::New(env, MsrIndexList, "msrIndexList"));
  ExportMachine(env, exports);
  return exports;
}

NODE_API_MODULE(virt_kvm, Init)

}  // namespace virt_kvm
