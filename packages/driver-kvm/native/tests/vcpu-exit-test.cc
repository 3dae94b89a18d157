#include "../vmm/vcpu-exit.h"

#include <cstring>
#include <vector>

#include "check.h"

using namespace virt_kvm;

namespace {

// A kvm_run page as KVM hands it over, with room for I/O data after it.
struct RunPage {
  std::vector<uint8_t> bytes = std::vector<uint8_t>(4096);
  kvm_run* run() { return reinterpret_cast<kvm_run*>(bytes.data()); }
};

}  // namespace

TEST(EmptyPortsReadAsAllOnes) {
  RunPage page;
  IoBus pio, mmio;
  kvm_run* run = page.run();
  run->exit_reason = KVM_EXIT_IO;
  run->io = {KVM_EXIT_IO_IN, 2, 0x1234, 3, 1024};
  auto event = HandleExit(run, page.bytes.size(), 0, {pio, mmio});
  CHECK(!event.has_value());
  for (int i = 0; i < 6; i++) CHECK_EQ(page.bytes[1024 + i], 0xff);
}

TEST(MalformedExitsStopTheVcpuInsteadOfOverrunning) {
  RunPage page;
  IoBus pio, mmio;
  kvm_run* run = page.run();
  run->exit_reason = KVM_EXIT_IO;
  run->io = {KVM_EXIT_IO_IN, 4, 0x10, 0x7fffffff, 4000};
  auto event = HandleExit(run, page.bytes.size(), 3, {pio, mmio});
  CHECK(event.has_value() && event->kind == GuestEventKind::kCrashed && event->vcpu == 3);
  run->io = {KVM_EXIT_IO_IN, 3, 0x10, 1, 100};
  CHECK(HandleExit(run, page.bytes.size(), 0, {pio, mmio}).has_value());
  run->exit_reason = KVM_EXIT_MMIO;
  run->mmio.len = 9;
  CHECK(HandleExit(run, page.bytes.size(), 0, {pio, mmio}).has_value());
}

TEST(TripleFaultMeansReset) {
  RunPage page;
  IoBus pio, mmio;
  page.run()->exit_reason = KVM_EXIT_SHUTDOWN;
  auto event = HandleExit(page.run(), page.bytes.size(), 1, {pio, mmio});
  CHECK(event.has_value() && event->kind == GuestEventKind::kReset && event->detail == "triple fault");
}
