#pragma once

#include <napi.h>

namespace virt_kvm {

// createMachine(config, onEvent) and the machine* functions taking its handle.
void ExportMachine(Napi::Env env, Napi::Object exports);

}  // namespace virt_kvm
