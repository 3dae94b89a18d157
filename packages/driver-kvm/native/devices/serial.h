// A 16550A UART as the PC's COM1 (8250 family): what Linux's 8250 driver and
// firmware consoles expect, including the loopback mode drivers probe with.
// Input arrives through Receive(); output goes to a ByteSink. Safe to call
// from several threads (vCPUs and the host's input side).
#pragma once

#include <cstdint>
#include <deque>
#include <mutex>
#include <span>

#include "device-ports.h"

namespace virt_kvm {

class Serial : public BusDevice {
 public:
  // Bytes the receive FIFO holds; Receive() accepts no more until the guest reads.
  static constexpr size_t kFifoSize = 64;

  Serial(InterruptLine& irq, ByteSink& out) : irq_(irq), out_(out) {}

  void Read(uint64_t offset, uint8_t* data, size_t size) override;
  void Write(uint64_t offset, const uint8_t* data, size_t size) override;

  // Queue host input for the guest; returns how many bytes fitted.
  size_t Receive(std::span<const uint8_t> bytes);

 private:
  uint8_t ReadRegister(uint8_t reg);
  void WriteRegister(uint8_t reg, uint8_t value);
  void Transmit(uint8_t byte);
  // retry a byte the sink refused, so the transmitter frees up once it drains
  void FlushPending();
  uint8_t InterruptIdentification() const;
  void UpdateInterrupt();

  std::mutex mutex_;
  InterruptLine& irq_;
  ByteSink& out_;
  std::deque<uint8_t> rx_;
  bool tx_pending_ = false;
  uint8_t tx_byte_ = 0;
  // THRE interrupt latched until IIR reports it or THR is written
  bool thre_interrupt_ = false;
  bool irq_asserted_ = false;
  uint8_t ier_ = 0, lcr_ = 0, mcr_ = 0, scr_ = 0, fcr_ = 0;
  uint8_t dll_ = 0x0c, dlm_ = 0;  // 9600 baud, as after a PC BIOS
};

}  // namespace virt_kvm
