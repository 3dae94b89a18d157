// One VM's file descriptor: memory slots, the in-kernel interrupt
// controllers and PIT, interrupt lines, irqfd/ioeventfd, and the VM-wide
// state a snapshot needs (irqchips, PIT, clock).
#pragma once

#include "linux-kvm.h"

#include <cstdint>

#include "../base/fd.h"
#include "kvm.h"

namespace virt_kvm {

class VmFd {
 public:
  explicit VmFd(const Kvm& kvm);

  int fd() const { return fd_.get(); }

  void SetUserMemoryRegion(uint32_t slot, uint64_t guest_address, uint64_t size, void* host, uint32_t flags);
  // x86 needs these three pages out of the guest's way before the first vCPU (VMX uses them).
  void SetTssAddress(uint64_t address);
  void SetIdentityMapAddress(uint64_t address);
  // No virtual PMU for the guest (KVM_CAP_PMU_CAPABILITY), where the host
  // lets userspace choose: nothing saves or restores counters. Before any vCPU.
  void DisablePmuIfPossible(const Kvm& kvm);
  // PIC pair + IOAPIC, and the PIT with its speaker port dummy.
  void CreateIrqchip();
  void CreatePit2();

  // Drive an interrupt line (GSI) to `level`: ISA devices raise and lower.
  void SetIrqLine(uint32_t gsi, bool level);
  // Let a write to `eventfd` inject `gsi` without a return to user space.
  void RegisterIrqfd(int eventfd, uint32_t gsi);
  // Let a guest write of `length` bytes at `address` signal `eventfd` in the kernel (the virtio notify fast path).
  void RegisterIoeventfd(int eventfd, uint64_t address, uint32_t length, bool pio);

  kvm_irqchip GetIrqchip(uint32_t chip_id) const;
  void SetIrqchip(const kvm_irqchip& chip);
  kvm_pit_state2 GetPit2() const;
  void SetPit2(const kvm_pit_state2& pit);
  kvm_clock_data GetClock() const;
  void SetClock(const kvm_clock_data& clock);

 private:
  Fd fd_;
};

}  // namespace virt_kvm
