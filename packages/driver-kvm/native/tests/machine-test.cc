// The machine on the real /dev/kvm (skipped without one): vCPU threads,
// pause/resume/stop and a guest event, under the sanitizers. The guest is
// a few bytes of real-mode code, which runs (slowly) even on PVM.
#include "../vmm/machine.h"

#include <unistd.h>

#include <chrono>
#include <mutex>
#include <thread>

#include "check.h"

using namespace virt_kvm;

namespace {

struct Events : GuestEventSink {
  std::mutex mutex;
  std::vector<GuestEvent> seen;
  void OnGuestEvent(const GuestEvent& event) override {
    std::lock_guard lock(mutex);
    seen.push_back(event);
  }
  size_t count() {
    std::lock_guard lock(mutex);
    return seen.size();
  }
};

MachineConfig SmallPc(uint32_t vcpus) {
  MachineConfig config;
  config.memory = {{0, 1 << 20}};
  config.vcpus = vcpus;
  config.tss_address = 0xfffbd000;
  config.identity_map_address = 0xfffbc000;
  config.serial_port = 0x3f8;
  config.serial_gsi = 4;
  config.i8042_port = 0x60;
  config.rtc_port = 0x70;
  return config;
}

// Real mode at CS:IP = 0:ip instead of the reset vector (CS base 0xffff0000).
void StartAt(Machine& machine, uint32_t vcpu, uint16_t ip) {
  auto sregs_bytes = machine.vcpu(vcpu).GetState(VcpuStateKind::kSregs);
  auto* sregs = reinterpret_cast<kvm_sregs*>(sregs_bytes.data());
  sregs->cs.base = 0;
  sregs->cs.selector = 0;
  machine.vcpu(vcpu).SetState(VcpuStateKind::kSregs, sregs_bytes.data(), sregs_bytes.size());
  auto regs_bytes = machine.vcpu(vcpu).GetState(VcpuStateKind::kRegs);
  auto* regs = reinterpret_cast<kvm_regs*>(regs_bytes.data());
  regs->rip = ip;
  regs->rflags = 2;
  machine.vcpu(vcpu).SetState(VcpuStateKind::kRegs, regs_bytes.data(), regs_bytes.size());
}

uint16_t Counter(Machine& machine) { return *machine.memory().ReadObject<uint16_t>(0x2000); }

void SleepMs(int ms) { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); }

}  // namespace

TEST(MachinePausesResumesAndStops) {
  if (access("/dev/kvm", R_OK | W_OK) != 0) return;
  Kvm kvm;
  Events events;
  Machine machine(kvm, SmallPc(1), events);
  // 1000: inc word [0x2000]; jmp 1000
  const uint8_t loop[] = {0xff, 0x06, 0x00, 0x20, 0xeb, 0xfa};
  CHECK(machine.memory().Write(0x1000, loop, sizeof loop));
  StartAt(machine, 0, 0x1000);
  machine.Start();
  SleepMs(50);
  machine.Pause();
  uint16_t paused = Counter(machine);
  CHECK(paused != 0);
  SleepMs(30);
  CHECK_EQ(Counter(machine), paused);
  CHECK(machine.state() == RunState::kPaused);
  // pausing twice is a state error, not a hang
  CHECK_THROWS(machine.Pause());
  machine.Resume();
  SleepMs(50);
  CHECK(Counter(machine) != paused);
  for (int i = 0; i < 20; i++) {
    machine.Pause();
    machine.Resume();
  }
  machine.Stop();
  CHECK(machine.state() == RunState::kStopped);
  CHECK_EQ(events.count(), 0u);
}

TEST(MachineReportsAGuestResetAndParksEveryVcpu) {
  if (access("/dev/kvm", R_OK | W_OK) != 0) return;
  Kvm kvm;
  Events events;
  Machine machine(kvm, SmallPc(2), events);
  // vCPU 0 at 1000: mov al, 0xfe; out 0x64, al; jmp $ -- vCPU 1 at 1100: jmp $
  const uint8_t reset[] = {0xb0, 0xfe, 0xe6, 0x64, 0xeb, 0xfe};
  const uint8_t spin[] = {0xeb, 0xfe};
  CHECK(machine.memory().Write(0x1000, reset, sizeof reset));
  CHECK(machine.memory().Write(0x1100, spin, sizeof spin));
  StartAt(machine, 0, 0x1000);
  StartAt(machine, 1, 0x1100);
  // vCPU 1 would wait for INIT/SIPI with an in-kernel APIC: make it runnable
  kvm_mp_state runnable{KVM_MP_STATE_RUNNABLE};
  machine.vcpu(1).SetState(VcpuStateKind::kMpState, reinterpret_cast<uint8_t*>(&runnable), sizeof runnable);
  machine.Start();
  for (int i = 0; i < 500 && events.count() == 0; i++) SleepMs(10);
  CHECK_EQ(events.count(), 1u);
  CHECK(machine.state() == RunState::kGuestStopped);
  if (events.count() == 1) {
    CHECK(events.seen[0].kind == GuestEventKind::kReset);
    CHECK_EQ(events.seen[0].vcpu, 0u);
  }
  machine.Stop();
}
