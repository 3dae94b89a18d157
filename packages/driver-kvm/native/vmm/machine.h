// The PC a guest runs on: one KVM VM with its RAM, in-kernel interrupt
// controllers and PIT, the board's emulated devices on the buses, and one
// native thread per vCPU running KVM_RUN. Where things sit is the caller's
// (TypeScript's arch/x86_64/layout); this class only wires them up.
#pragma once

#include <pthread.h>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <thread>
#include <vector>

#include "../devices/cmos-rtc.h"
#include "../devices/i8042.h"
#include "../devices/serial.h"
#include "../kvm/kvm.h"
#include "../kvm/vcpu-fd.h"
#include "../kvm/vm-fd.h"
#include "../memory/guest-memory.h"
#include "guest-event.h"
#include "io-bus.h"
#include "pipe-sink.h"

namespace virt_kvm {

struct MachineConfig {
  std::vector<GuestRange> memory;
  bool huge_pages = false;
  uint32_t vcpus = 1;
  // x86's three pages KVM needs outside RAM and MMIO (TSS, identity map)
  uint64_t tss_address = 0;
  uint64_t identity_map_address = 0;
  uint16_t serial_port = 0;
  uint32_t serial_gsi = 0;
  uint16_t i8042_port = 0;
  uint16_t rtc_port = 0;
};

enum class RunState {
  kCreated,       // built, vCPU threads not started
  kRunning,
  kPaused,        // by the host: every vCPU parked outside KVM_RUN
  kGuestStopped,  // by the guest (reset, shutdown, crash): parked, waiting for the host to act
  kStopped,       // threads gone
};
const char* RunStateName(RunState state);

struct VcpuStats {
  uint64_t exits;
  int thread_id;  // the host thread's TID (QEMU's query-cpus-fast thread-id), 0 before start
};

class Machine : private ResetLine {
 public:
  Machine(const Kvm& kvm, const MachineConfig& config, GuestEventSink& events);
  ~Machine() override;
  Machine(const Machine&) = delete;
  Machine& operator=(const Machine&) = delete;

  GuestMemory& memory() { return memory_; }
  VmFd& vm() { return vm_; }
  uint32_t vcpu_count() const { return static_cast<uint32_t>(vcpus_.size()); }
  // Throws VmmFailure for an index out of range.
  VcpuFd& vcpu(uint32_t index);
  // The vCPU for reading or changing its state, which KVM allows only
  // outside KVM_RUN: throws VmmFailure while the machine runs (the caller,
  // the host's one control thread, is also the only one that resumes it).
  VcpuFd& StoppedVcpu(uint32_t index);
  VcpuStats stats(uint32_t index);

  // Host input for the serial port: how many bytes it took.
  size_t SerialReceive(std::span<const uint8_t> bytes) { return serial_.Receive(bytes); }
  // The serial output's pipe, for the host to read (once).
  int ReleaseSerialOutput() { return serial_out_.ReleaseReadEnd(); }

  RunState state();
  // Start the vCPU threads; with `paused` they park before their first KVM_RUN.
  void Start(bool paused = false);
  // Return once every vCPU is parked outside KVM_RUN, so its state can be read.
  void Pause();
  void Resume();
  // Stop and join every vCPU thread; the machine cannot run again.
  void Stop();

 private:
  class IrqLine : public InterruptLine {
   public:
    IrqLine(VmFd& vm, uint32_t gsi) : vm_(vm), gsi_(gsi) {}
    void SetLevel(bool asserted) override { vm_.SetIrqLine(gsi_, asserted); }

   private:
    VmFd& vm_;
    uint32_t gsi_;
  };

  class HostClock : public WallClock {
   public:
    int64_t Now() override;
  };

  struct VcpuThread {
    std::unique_ptr<VcpuFd> fd;
    std::thread thread;
    pthread_t handle{};
    std::atomic<uint64_t> exits{0};
    std::atomic<int> tid{0};
  };

  void Reset() override;  // the i8042's reset line
  void RunVcpu(VcpuThread& vcpu);
  // Park while the host or the guest holds the machine; false when it must exit.
  bool WaitUntilRunnable(VcpuThread& vcpu);
  void StopByGuest(const GuestEvent& event);
  void KickAllLocked();

  const Kvm& kvm_;
  VmFd vm_;
  GuestMemory memory_;
  GuestEventSink& events_;
  IoBus pio_;
  IoBus mmio_;
  PipeSink serial_out_;
  IrqLine serial_irq_;
  Serial serial_;
  I8042 i8042_;
  HostClock host_clock_;
  CmosRtc rtc_;
  std::vector<std::unique_ptr<VcpuThread>> vcpus_;

  std::mutex mutex_;
  std::condition_variable changed_;
  RunState state_ = RunState::kCreated;
  // read without the lock on every exit: set while the vCPUs must leave KVM_RUN
  std::atomic<bool> hold_{false};
  uint32_t parked_ = 0;
};

}  // namespace virt_kvm
