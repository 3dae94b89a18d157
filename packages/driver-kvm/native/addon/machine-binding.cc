// The machine as JavaScript sees it: an opaque, type-tagged handle and
// functions on it. Guest events reach JavaScript through a thread-safe
// function; nothing else crosses from the vCPU threads.
#include "machine-binding.h"

#include <cstring>
#include <map>
#include <memory>

#include "../vmm/machine.h"
#include "guard.h"

namespace virt_kvm {
namespace {

constexpr napi_type_tag kMachineTag = {0x7a1c5e0f3b2d4e61ULL, 0x9f8e7d6c5b4a3928ULL};
// readMemory's largest single copy: enough for any table, bounded for any caller
constexpr uint64_t kMaxReadLength = 64ULL << 20;

struct MachineHandle : GuestEventSink {
  std::unique_ptr<Kvm> kvm;
  Napi::ThreadSafeFunction events;
  std::unique_ptr<Machine> machine;

  ~MachineHandle() override {
    machine.reset();  // joins the vCPU threads: no event can follow
    events.Release();
  }

  void OnGuestEvent(const GuestEvent& event) override {
    auto* copy = new GuestEvent(event);
    auto deliver = [](Napi::Env env, Napi::Function callback, GuestEvent* e) {
      std::unique_ptr<GuestEvent> owned(e);
      if (!env) return;
      Napi::Object out = Napi::Object::New(env);
      out.Set("kind", GuestEventName(e->kind));
      out.Set("vcpu", e->vcpu);
      out.Set("detail", e->detail);
      callback.Call({out});
    };
    if (events.NonBlockingCall(copy, deliver) != napi_ok) delete copy;
  }
};

// What the External owns: the handle until machineDestroy, then nothing.
struct Holder {
  std::unique_ptr<MachineHandle> handle;
};

MachineHandle& HandleArg(const Napi::CallbackInfo& info) {
  bool tagged = false;
  if (info.Length() < 1 || !info[0].IsExternal() || napi_check_object_type_tag(info.Env(), info[0], &kMachineTag, &tagged) != napi_ok ||
      !tagged)
    throw VmmFailure(FailureCode::kInvalidArg, "not a machine handle");
  Holder* holder = info[0].As<Napi::External<Holder>>().Data();
  if (!holder->handle) throw VmmFailure(FailureCode::kOperationInvalid, "the machine has been destroyed");
  return *holder->handle;
}

uint64_t Field(const Napi::Object& object, const char* name) {
  auto value = ToUnsigned(object.Get(name));
  if (!value) throw VmmFailure(FailureCode::kInvalidArg, std::string("machine config: ") + name + " must be a non-negative integer");
  return *value;
}

MachineConfig ConfigArg(const Napi::CallbackInfo& info) {
  if (info.Length() < 1 || !info[0].IsObject()) throw VmmFailure(FailureCode::kInvalidArg, "machine config must be an object");
  Napi::Object object = info[0].As<Napi::Object>();
  MachineConfig config;
  Napi::Value memory = object.Get("memory");
  if (!memory.IsArray()) throw VmmFailure(FailureCode::kInvalidArg, "machine config: memory must be an array of ranges");
  Napi::Array ranges = memory.As<Napi::Array>();
  for (uint32_t i = 0; i < ranges.Length(); i++) {
    Napi::Value range = ranges.Get(i);
    if (!range.IsObject()) throw VmmFailure(FailureCode::kInvalidArg, "machine config: memory ranges must be objects");
    config.memory.push_back({Field(range.As<Napi::Object>(), "guestAddress"), Field(range.As<Napi::Object>(), "size")});
  }
  config.huge_pages = object.Get("hugePages").ToBoolean();
  config.vcpus = static_cast<uint32_t>(Field(object, "vcpus"));
  config.tss_address = Field(object, "tssAddress");
  config.identity_map_address = Field(object, "identityMapAddress");
  config.serial_port = static_cast<uint16_t>(Field(object, "serialPort"));
  config.serial_gsi = static_cast<uint32_t>(Field(object, "serialGsi"));
  config.i8042_port = static_cast<uint16_t>(Field(object, "i8042Port"));
  config.rtc_port = static_cast<uint16_t>(Field(object, "rtcPort"));
  return config;
}

VcpuStateKind VcpuKindArg(const Napi::CallbackInfo& info, size_t index) {
  static const std::map<std::string, VcpuStateKind> kinds = {
      {"regs", VcpuStateKind::kRegs},   {"sregs", VcpuStateKind::kSregs},        {"fpu", VcpuStateKind::kFpu},
      {"xsave", VcpuStateKind::kXsave}, {"xcrs", VcpuStateKind::kXcrs},          {"lapic", VcpuStateKind::kLapic},
      {"mp-state", VcpuStateKind::kMpState}, {"events", VcpuStateKind::kEvents}, {"debug-regs", VcpuStateKind::kDebugRegs},
  };
  auto it = kinds.find(StringArg(info, index, "vCPU state kind"));
  if (it == kinds.end()) throw VmmFailure(FailureCode::kInvalidArg, "unknown vCPU state kind");
  return it->second;
}

Napi::Value CreateMachine(const Napi::CallbackInfo& info) {
  return Guarded(info.Env(), [&]() -> Napi::Value {
    MachineConfig config = ConfigArg(info);
    if (info.Length() < 2 || !info[1].IsFunction()) throw VmmFailure(FailureCode::kInvalidArg, "onEvent must be a function");
    auto handle = std::make_unique<MachineHandle>();
    handle->kvm = std::make_unique<Kvm>();
    handle->events = Napi::ThreadSafeFunction::New(info.Env(), info[1].As<Napi::Function>(), "virt-kvm guest events", 0, 1);
    // an idle machine must not keep the process alive; a running one does
    handle->events.Unref(info.Env());
    handle->machine = std::make_unique<Machine>(*handle->kvm, config, *handle);
    auto external = Napi::External<Holder>::New(info.Env(), new Holder{std::move(handle)}, [](Napi::Env, Holder* h) { delete h; });
    napi_type_tag_object(info.Env(), external, &kMachineTag);
    return external;
  });
}

Napi::Value Destroy(const Napi::CallbackInfo& info) {
  return Guarded(info.Env(), [&]() -> Napi::Value {
    HandleArg(info);
    info[0].As<Napi::External<Holder>>().Data()->handle.reset();
    return info.Env().Undefined();
  });
}

Napi::Value Start(const Napi::CallbackInfo& info) {
  return Guarded(info.Env(), [&]() -> Napi::Value {
    MachineHandle& h = HandleArg(info);
    h.machine->Start(info.Length() > 1 && info[1].ToBoolean());
    h.events.Ref(info.Env());
    return info.Env().Undefined();
  });
}

Napi::Value Pause(const Napi::CallbackInfo& info) {
  return Guarded(info.Env(), [&]() -> Napi::Value {
    HandleArg(info).machine->Pause();
    return info.Env().Undefined();
  });
}

Napi::Value Resume(const Napi::CallbackInfo& info) {
  return Guarded(info.Env(), [&]() -> Napi::Value {
    HandleArg(info).machine->Resume();
    return info.Env().Undefined();
  });
}

Napi::Value Stop(const Napi::CallbackInfo& info) {
  return Guarded(info.Env(), [&]() -> Napi::Value {
    MachineHandle& h = HandleArg(info);
    h.machine->Stop();
    h.events.Unref(info.Env());
    return info.Env().Undefined();
  });
}

Napi::Value State(const Napi::CallbackInfo& info) {
  return Guarded(info.Env(), [&]() -> Napi::Value {
    return Napi::String::New(info.Env(), RunStateName(HandleArg(info).machine->state()));
  });
}

Napi::Value WriteMemory(const Napi::CallbackInfo& info) {
  return Guarded(info.Env(), [&]() -> Napi::Value {
    MachineHandle& h = HandleArg(info);
    uint64_t address = UnsignedArg(info, 1, "guest address");
    auto data = BufferArg(info, 2, "data");
    if (!h.machine->memory().Write(address, data.Data(), data.Length()))
      throw VmmFailure(FailureCode::kInvalidArg, "guest range at " + std::to_string(address) + " of " + std::to_string(data.Length()) +
                                                     " bytes is not in guest RAM");
    return info.Env().Undefined();
  });
}

Napi::Value ReadMemory(const Napi::CallbackInfo& info) {
  return Guarded(info.Env(), [&]() -> Napi::Value {
    MachineHandle& h = HandleArg(info);
    uint64_t address = UnsignedArg(info, 1, "guest address");
    uint64_t length = UnsignedArg(info, 2, "length");
    if (length > kMaxReadLength) throw VmmFailure(FailureCode::kInvalidArg, "readMemory reads at most 64 MiB at once");
    const uint8_t* src = h.machine->memory().Translate(address, length);
    if (!src) throw VmmFailure(FailureCode::kInvalidArg, "guest range at " + std::to_string(address) + " is not in guest RAM");
    return Napi::Buffer<uint8_t>::Copy(info.Env(), src, length);
  });
}

Napi::Value GetVcpuState(const Napi::CallbackInfo& info) {
  return Guarded(info.Env(), [&]() -> Napi::Value {
    MachineHandle& h = HandleArg(info);
    auto& vcpu = h.machine->StoppedVcpu(static_cast<uint32_t>(UnsignedArg(info, 1, "vCPU index")));
    auto state = vcpu.GetState(VcpuKindArg(info, 2));
    return Napi::Buffer<uint8_t>::Copy(info.Env(), state.data(), state.size());
  });
}

Napi::Value SetVcpuState(const Napi::CallbackInfo& info) {
  return Guarded(info.Env(), [&]() -> Napi::Value {
    MachineHandle& h = HandleArg(info);
    auto& vcpu = h.machine->StoppedVcpu(static_cast<uint32_t>(UnsignedArg(info, 1, "vCPU index")));
    auto data = BufferArg(info, 3, "state");
    vcpu.SetState(VcpuKindArg(info, 2), data.Data(), data.Length());
    return info.Env().Undefined();
  });
}

Napi::Value SetCpuid(const Napi::CallbackInfo& info) {
  return Guarded(info.Env(), [&]() -> Napi::Value {
    MachineHandle& h = HandleArg(info);
    auto& vcpu = h.machine->StoppedVcpu(static_cast<uint32_t>(UnsignedArg(info, 1, "vCPU index")));
    auto data = BufferArg(info, 2, "CPUID entries");
    if (data.Length() % sizeof(kvm_cpuid_entry2)) throw VmmFailure(FailureCode::kInvalidArg, "CPUID entries are 40 bytes each");
    std::vector<kvm_cpuid_entry2> entries(data.Length() / sizeof(kvm_cpuid_entry2));
    std::memcpy(entries.data(), data.Data(), data.Length());
    vcpu.SetCpuid(entries);
    return info.Env().Undefined();
  });
}

std::vector<uint32_t> MsrIndicesArg(const Napi::CallbackInfo& info, size_t index) {
  if (index >= info.Length() || !info[index].IsTypedArray() || info[index].As<Napi::TypedArray>().TypedArrayType() != napi_uint32_array)
    throw VmmFailure(FailureCode::kInvalidArg, "MSR indices must be a Uint32Array");
  auto array = info[index].As<Napi::Uint32Array>();
  return {array.Data(), array.Data() + array.ElementLength()};
}

Napi::Value GetMsrs(const Napi::CallbackInfo& info) {
  return Guarded(info.Env(), [&]() -> Napi::Value {
    MachineHandle& h = HandleArg(info);
    auto& vcpu = h.machine->StoppedVcpu(static_cast<uint32_t>(UnsignedArg(info, 1, "vCPU index")));
    auto values = vcpu.GetMsrs(MsrIndicesArg(info, 2));
    auto out = Napi::BigUint64Array::New(info.Env(), values.size());
    std::memcpy(out.Data(), values.data(), values.size() * sizeof(uint64_t));
    return out;
  });
}

Napi::Value SetMsrs(const Napi::CallbackInfo& info) {
  return Guarded(info.Env(), [&]() -> Napi::Value {
    MachineHandle& h = HandleArg(info);
    auto& vcpu = h.machine->StoppedVcpu(static_cast<uint32_t>(UnsignedArg(info, 1, "vCPU index")));
    auto indices = MsrIndicesArg(info, 2);
    if (info.Length() < 4 || !info[3].IsTypedArray() || info[3].As<Napi::TypedArray>().TypedArrayType() != napi_biguint64_array)
      throw VmmFailure(FailureCode::kInvalidArg, "MSR values must be a BigUint64Array");
    auto values = info[3].As<Napi::BigUint64Array>();
    vcpu.SetMsrs(indices, {values.Data(), values.Data() + values.ElementLength()});
    return info.Env().Undefined();
  });
}

Napi::Value SerialReceive(const Napi::CallbackInfo& info) {
  return Guarded(info.Env(), [&]() -> Napi::Value {
    MachineHandle& h = HandleArg(info);
    auto data = BufferArg(info, 1, "input");
    return Napi::Number::New(info.Env(), static_cast<double>(h.machine->SerialReceive({data.Data(), data.Length()})));
  });
}

Napi::Value SerialOutput(const Napi::CallbackInfo& info) {
  return Guarded(info.Env(), [&]() -> Napi::Value {
    int fd = HandleArg(info).machine->ReleaseSerialOutput();
    if (fd < 0) throw VmmFailure(FailureCode::kOperationInvalid, "the serial output was already taken");
    return Napi::Number::New(info.Env(), fd);
  });
}

Napi::Value VcpuStatsOf(const Napi::CallbackInfo& info) {
  return Guarded(info.Env(), [&]() -> Napi::Value {
    VcpuStats stats = HandleArg(info).machine->stats(static_cast<uint32_t>(UnsignedArg(info, 1, "vCPU index")));
    Napi::Object out = Napi::Object::New(info.Env());
    out.Set("exits", static_cast<double>(stats.exits));
    out.Set("threadId", stats.thread_id);
    return out;
  });
}

}  // namespace

void ExportMachine(Napi::Env env, Napi::Object exports) {
  const std::pair<const char*, Napi::Function::Callback> functions[] = {
      {"createMachine", CreateMachine},   {"machineDestroy", Destroy},           {"machineStart", Start},
      {"machinePause", Pause},            {"machineResume", Resume},             {"machineStop", Stop},
      {"machineState", State},            {"machineWriteMemory", WriteMemory},   {"machineReadMemory", ReadMemory},
      {"machineGetVcpuState", GetVcpuState}, {"machineSetVcpuState", SetVcpuState}, {"machineSetCpuid", SetCpuid},
      {"machineGetMsrs", GetMsrs},        {"machineSetMsrs", SetMsrs},           {"machineSerialReceive", SerialReceive},
      {"machineSerialOutput", SerialOutput}, {"machineVcpuStats", VcpuStatsOf},
  };
  for (const auto& [name, callback] : functions) exports.Set(name, Napi::Function::New(env, callback, name));
}

}  // namespace virt_kvm
