#include "vm-fd.h"

#include <sys/ioctl.h>

#include "../base/failure.h"

namespace virt_kvm {

VmFd::VmFd(const Kvm& kvm) : fd_(::ioctl(kvm.fd(), KVM_CREATE_VM, 0)) {
  if (!fd_.valid()) ThrowErrno("KVM_CREATE_VM");
}

void VmFd::SetUserMemoryRegion(uint32_t slot, uint64_t guest_address, uint64_t size, void* host, uint32_t flags) {
  kvm_userspace_memory_region region{slot, flags, guest_address, size, reinterpret_cast<uint64_t>(host)};
  if (::ioctl(fd_.get(), KVM_SET_USER_MEMORY_REGION, &region) < 0) ThrowErrno("KVM_SET_USER_MEMORY_REGION");
}

void VmFd::SetTssAddress(uint64_t address) {
  if (::ioctl(fd_.get(), KVM_SET_TSS_ADDR, static_cast<unsigned long>(address)) < 0) ThrowErrno("KVM_SET_TSS_ADDR");
}

void VmFd::SetIdentityMapAddress(uint64_t address) {
  if (::ioctl(fd_.get(), KVM_SET_IDENTITY_MAP_ADDR, &address) < 0) ThrowErrno("KVM_SET_IDENTITY_MAP_ADDR");
}

void VmFd::DisablePmuIfPossible(const Kvm& kvm) {
  if (!(kvm.CheckExtension(KVM_CAP_PMU_CAPABILITY) & KVM_PMU_CAP_DISABLE)) return;
  kvm_enable_cap cap{};
  cap.cap = KVM_CAP_PMU_CAPABILITY;
  cap.args[0] = KVM_PMU_CAP_DISABLE;
  if (::ioctl(fd_.get(), KVM_ENABLE_CAP, &cap) < 0) ThrowErrno("KVM_ENABLE_CAP(KVM_CAP_PMU_CAPABILITY)");
}

void VmFd::CreateIrqchip() {
  if (::ioctl(fd_.get(), KVM_CREATE_IRQCHIP, 0) < 0) ThrowErrno("KVM_CREATE_IRQCHIP");
}

void VmFd::CreatePit2() {
  kvm_pit_config config{};
  config.flags = KVM_PIT_SPEAKER_DUMMY;
  if (::ioctl(fd_.get(), KVM_CREATE_PIT2, &config) < 0) ThrowErrno("KVM_CREATE_PIT2");
}

void VmFd::SetIrqLine(uint32_t gsi, bool level) {
  kvm_irq_level line{};
  line.irq = gsi;
  line.level = level ? 1 : 0;
  if (::ioctl(fd_.get(), KVM_IRQ_LINE, &line) < 0) ThrowErrno("KVM_IRQ_LINE");
}

void VmFd::RegisterIrqfd(int eventfd, uint32_t gsi) {
  kvm_irqfd irqfd{};
  irqfd.fd = static_cast<uint32_t>(eventfd);
  irqfd.gsi = gsi;
  if (::ioctl(fd_.get(), KVM_IRQFD, &irqfd) < 0) ThrowErrno("KVM_IRQFD");
}

void VmFd::RegisterIoeventfd(int eventfd, uint64_t address, uint32_t length, bool pio) {
  kvm_ioeventfd io{};
  io.addr = address;
  io.len = length;
  io.fd = eventfd;
  io.flags = pio ? KVM_IOEVENTFD_FLAG_PIO : 0;
  if (::ioctl(fd_.get(), KVM_IOEVENTFD, &io) < 0) ThrowErrno("KVM_IOEVENTFD");
}

kvm_irqchip VmFd::GetIrqchip(uint32_t chip_id) const {
  kvm_irqchip chip{};
  chip.chip_id = chip_id;
  if (::ioctl(fd_.get(), KVM_GET_IRQCHIP, &chip) < 0) ThrowErrno("KVM_GET_IRQCHIP");
  return chip;
}

void VmFd::SetIrqchip(const kvm_irqchip& chip) {
  if (::ioctl(fd_.get(), KVM_SET_IRQCHIP, &chip) < 0) ThrowErrno("KVM_SET_IRQCHIP");
}

kvm_pit_state2 VmFd::GetPit2() const {
  kvm_pit_state2 pit{};
  if (::ioctl(fd_.get(), KVM_GET_PIT2, &pit) < 0) ThrowErrno("KVM_GET_PIT2");
  return pit;
}

void VmFd::SetPit2(const kvm_pit_state2& pit) {
  if (::ioctl(fd_.get(), KVM_SET_PIT2, &pit) < 0) ThrowErrno("KVM_SET_PIT2");
}

kvm_clock_data VmFd::GetClock() const {
  kvm_clock_data clock{};
  if (::ioctl(fd_.get(), KVM_GET_CLOCK, &clock) < 0) ThrowErrno("KVM_GET_CLOCK");
  return clock;
}

void VmFd::SetClock(const kvm_clock_data& clock) {
  kvm_clock_data data = clock;
  // only the clock value is restored; the kernel refuses other flags
  data.flags = 0;
  if (::ioctl(fd_.get(), KVM_SET_CLOCK, &data) < 0) ThrowErrno("KVM_SET_CLOCK");
}

}  // namespace virt_kvm
