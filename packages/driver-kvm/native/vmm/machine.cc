#include "machine.h"

#include <sys/syscall.h>
#include <unistd.h>

#include <chrono>
#include <ctime>
#include <cstring>
#include <string>

#include "../base/failure.h"
#include "vcpu-exit.h"
#include "vcpu-kick.h"

namespace virt_kvm {
namespace {

// How long Pause waits for the vCPUs to leave the guest before giving up.
constexpr auto kParkTimeout = std::chrono::seconds(5);
// i8042 data (0x60) to status/command (0x64)
constexpr uint64_t kI8042Span = 5;
constexpr uint64_t kSerialSpan = 8;
// index (0x70) and data (0x71)
constexpr uint64_t kRtcSpan = 2;

// Which vCPU the calling thread runs, for devices that report on its behalf.
thread_local uint32_t current_vcpu = 0;

}  // namespace

const char* RunStateName(RunState state) {
  switch (state) {
    case RunState::kCreated: return "created";
    case RunState::kRunning: return "running";
    case RunState::kPaused: return "paused";
    case RunState::kGuestStopped: return "guest-stopped";
    case RunState::kStopped: return "stopped";
  }
  return "unknown";
}

Machine::Machine(const Kvm& kvm, const MachineConfig& config, GuestEventSink& events)
    : kvm_(kvm),
      vm_(kvm),
      memory_(config.memory, config.huge_pages),
      events_(events),
      serial_irq_(vm_, config.serial_gsi),
      serial_(serial_irq_, serial_out_),
      i8042_(*this),
      rtc_(host_clock_) {
  if (config.vcpus == 0 || config.vcpus > static_cast<uint32_t>(kvm.MaxVcpus()))
    throw VmmFailure(FailureCode::kConfigUnsupported, "this host runs 1 to " + std::to_string(kvm.MaxVcpus()) + " vCPUs per VM");
  vm_.SetTssAddress(config.tss_address);
  vm_.SetIdentityMapAddress(config.identity_map_address);
  vm_.DisablePmuIfPossible(kvm);
  vm_.CreateIrqchip();
  vm_.CreatePit2();
  uint32_t slot = 0;
  for (const auto& region : memory_.regions()) vm_.SetUserMemoryRegion(slot++, region.guest_address, region.size, region.host, 0);
  pio_.Insert(config.serial_port, kSerialSpan, &serial_);
  pio_.Insert(config.i8042_port, kI8042Span, &i8042_);
  pio_.Insert(config.rtc_port, kRtcSpan, &rtc_);
  for (uint32_t i = 0; i < config.vcpus; i++) {
    auto vcpu = std::make_unique<VcpuThread>();
    vcpu->fd = std::make_unique<VcpuFd>(kvm, vm_, i);
    vcpus_.push_back(std::move(vcpu));
  }
}

Machine::~Machine() { Stop(); }

int64_t Machine::HostClock::Now() { return static_cast<int64_t>(::time(nullptr)); }

VcpuFd& Machine::vcpu(uint32_t index) {
  if (index >= vcpus_.size()) throw VmmFailure(FailureCode::kInvalidArg, "no vCPU " + std::to_string(index));
  return *vcpus_[index]->fd;
}

VcpuFd& Machine::StoppedVcpu(uint32_t index) {
  if (state() == RunState::kRunning)
    throw VmmFailure(FailureCode::kOperationInvalid, "vCPU state is accessible only while the machine is paused or stopped");
  return vcpu(index);
}

VcpuStats Machine::stats(uint32_t index) {
  vcpu(index);
  return {vcpus_[index]->exits.load(), vcpus_[index]->tid.load()};
}

RunState Machine::state() {
  std::lock_guard lock(mutex_);
  return state_;
}

void Machine::Start(bool paused) {
  std::lock_guard lock(mutex_);
  if (state_ != RunState::kCreated) throw VmmFailure(FailureCode::kOperationInvalid, std::string("machine is ") + RunStateName(state_));
  state_ = paused ? RunState::kPaused : RunState::kRunning;
  hold_ = paused;
  for (auto& vcpu : vcpus_) {
    vcpu->thread = std::thread([this, v = vcpu.get()] { RunVcpu(*v); });
    vcpu->handle = vcpu->thread.native_handle();
  }
}

void Machine::Pause() {
  std::unique_lock lock(mutex_);
  if (state_ != RunState::kRunning) throw VmmFailure(FailureCode::kOperationInvalid, std::string("machine is ") + RunStateName(state_));
  state_ = RunState::kPaused;
  hold_ = true;
  KickAllLocked();
  if (!changed_.wait_for(lock, kParkTimeout, [&] { return parked_ == vcpus_.size() || state_ != RunState::kPaused; }))
    throw VmmFailure(FailureCode::kOperationFailed, "the vCPUs did not stop within 5 seconds");
}

void Machine::Resume() {
  std::lock_guard lock(mutex_);
  if (state_ != RunState::kPaused) throw VmmFailure(FailureCode::kOperationInvalid, std::string("machine is ") + RunStateName(state_));
  state_ = RunState::kRunning;
  hold_ = false;
  changed_.notify_all();
}

void Machine::Stop() {
  {
    std::lock_guard lock(mutex_);
    if (state_ == RunState::kStopped) return;
    state_ = RunState::kStopped;
    hold_ = true;
    KickAllLocked();
    changed_.notify_all();
  }
  for (auto& vcpu : vcpus_)
    if (vcpu->thread.joinable()) vcpu->thread.join();
}

void Machine::KickAllLocked() {
  for (auto& vcpu : vcpus_)
    if (vcpu->thread.joinable()) Kick(vcpu->handle, vcpu->fd->run());
}

void Machine::Reset() { StopByGuest({GuestEventKind::kReset, current_vcpu, "reset by the keyboard controller"}); }

void Machine::StopByGuest(const GuestEvent& event) {
  {
    std::lock_guard lock(mutex_);
    // the first vCPU to stop the machine speaks for it; the host's own stop wins over all
    if (state_ != RunState::kRunning && state_ != RunState::kPaused) return;
    state_ = RunState::kGuestStopped;
    hold_ = true;
    KickAllLocked();
  }
  events_.OnGuestEvent(event);
}

bool Machine::WaitUntilRunnable(VcpuThread& vcpu) {
  if (!hold_.load(std::memory_order_acquire)) return true;
  std::unique_lock lock(mutex_);
  if (state_ != RunState::kRunning) {
    parked_++;
    changed_.notify_all();
    changed_.wait(lock, [&] { return state_ == RunState::kRunning || state_ == RunState::kStopped; });
    parked_--;
  }
  if (state_ == RunState::kStopped) return false;
  // a kick meant for the pause just lifted must not bounce the next KVM_RUN
  vcpu.fd->run()->immediate_exit = 0;
  return true;
}

void Machine::RunVcpu(VcpuThread& vcpu) {
  const uint32_t id = vcpu.fd->id();
  current_vcpu = id;
  PrepareKickableThread();
  vcpu.tid = static_cast<int>(::syscall(SYS_gettid));
  std::string name = "CPU " + std::to_string(id) + "/KVM";
  pthread_setname_np(pthread_self(), name.substr(0, 15).c_str());
  const Buses buses{pio_, mmio_};
  const size_t run_size = static_cast<size_t>(kvm_.VcpuMmapSize());
  while (WaitUntilRunnable(vcpu)) {
    bool exited;
    try {
      exited = vcpu.fd->Run();
    } catch (const SystemFailure& failure) {
      StopByGuest({GuestEventKind::kCrashed, id, "KVM_RUN failed: " + std::string(std::strerror(failure.err()))});
      continue;
    }
    if (!exited) {
      // interrupted: unless the machine is being held, clear the kick and go on
      std::lock_guard lock(mutex_);
      if (state_ == RunState::kRunning) vcpu.fd->run()->immediate_exit = 0;
      continue;
    }
    vcpu.exits.fetch_add(1, std::memory_order_relaxed);
    if (auto event = HandleExit(vcpu.fd->run(), run_size, id, buses)) StopByGuest(*event);
  }
}

}  // namespace virt_kvm
