#include "serial.h"

namespace virt_kvm {
namespace {

// register offsets
constexpr uint8_t kData = 0, kIer = 1, kIir = 2, kLcr = 3, kMcr = 4, kLsr = 5, kMsr = 6, kScr = 7;
constexpr uint8_t kLcrDlab = 0x80;
constexpr uint8_t kIerRxData = 0x01, kIerTxEmpty = 0x02;
constexpr uint8_t kIirNone = 0x01, kIirTxEmpty = 0x02, kIirRxData = 0x04, kIirFifoEnabled = 0xc0;
constexpr uint8_t kFcrEnable = 0x01, kFcrClearRx = 0x02;
constexpr uint8_t kLsrDataReady = 0x01, kLsrThrEmpty = 0x20, kLsrIdle = 0x40;
constexpr uint8_t kMcrLoop = 0x10;
// modem status with the line up: carrier, data set ready, clear to send
constexpr uint8_t kMsrConnected = 0x80 | 0x20 | 0x10;

}  // namespace

void Serial::Read(uint64_t offset, uint8_t* data, size_t size) {
  std::lock_guard lock(mutex_);
  FlushPending();
  // wider accesses read the one register at that offset and zeros above it
  for (size_t i = 0; i < size; i++) data[i] = 0;
  if (offset < 8) data[0] = ReadRegister(static_cast<uint8_t>(offset));
  UpdateInterrupt();
}

void Serial::Write(uint64_t offset, const uint8_t* data, size_t size) {
  std::lock_guard lock(mutex_);
  FlushPending();
  if (offset < 8 && size >= 1) WriteRegister(static_cast<uint8_t>(offset), data[0]);
  UpdateInterrupt();
}

size_t Serial::Receive(std::span<const uint8_t> bytes) {
  std::lock_guard lock(mutex_);
  size_t taken = 0;
  // in loopback the line is cut off from the outside, as on the chip
  if (!(mcr_ & kMcrLoop))
    for (; taken < bytes.size() && rx_.size() < kFifoSize; taken++) rx_.push_back(bytes[taken]);
  UpdateInterrupt();
  return taken;
}

uint8_t Serial::ReadRegister(uint8_t reg) {
  switch (reg) {
    case kData: {
      if (lcr_ & kLcrDlab) return dll_;
      if (rx_.empty()) return 0;
      uint8_t byte = rx_.front();
      rx_.pop_front();
      return byte;
    }
    case kIer: return (lcr_ & kLcrDlab) ? dlm_ : ier_;
    case kIir: {
      uint8_t iir = InterruptIdentification();
      // reading IIR acknowledges a transmitter-empty interrupt
      if ((iir & 0x0f) == kIirTxEmpty) thre_interrupt_ = false;
      return iir | ((fcr_ & kFcrEnable) ? kIirFifoEnabled : 0);
    }
    case kLcr: return lcr_;
    case kMcr: return mcr_;
    case kLsr: {
      uint8_t lsr = rx_.empty() ? 0 : kLsrDataReady;
      if (!tx_pending_) lsr |= kLsrThrEmpty | kLsrIdle;
      return lsr;
    }
    case kMsr:
      if (mcr_ & kMcrLoop) {
        // loopback wires RTS->CTS, DTR->DSR, OUT1->RI, OUT2->DCD
        return static_cast<uint8_t>(((mcr_ & 0x02) << 3) | ((mcr_ & 0x01) << 5) | ((mcr_ & 0x04) << 4) | ((mcr_ & 0x08) << 4));
      }
      return kMsrConnected;
    case kScr: return scr_;
  }
  return 0;
}

void Serial::WriteRegister(uint8_t reg, uint8_t value) {
  switch (reg) {
    case kData:
      if (lcr_ & kLcrDlab) {
        dll_ = value;
      } else {
        Transmit(value);
      }
      break;
    case kIer:
      if (lcr_ & kLcrDlab) {
        dlm_ = value;
      } else {
        // enabling the transmitter interrupt with THR empty raises it at once
        if (!(ier_ & kIerTxEmpty) && (value & kIerTxEmpty) && !tx_pending_) thre_interrupt_ = true;
        ier_ = value & 0x0f;
      }
      break;
    case kIir:  // FIFO control
      fcr_ = value & 0xc9;
      if (value & kFcrClearRx) rx_.clear();
      break;
    case kLcr: lcr_ = value; break;
    case kMcr: mcr_ = value & 0x1f; break;
    case kScr: scr_ = value; break;
    default: break;  // LSR and MSR are read-only
  }
}

void Serial::Transmit(uint8_t byte) {
  thre_interrupt_ = false;
  if (mcr_ & kMcrLoop) {
    if (rx_.size() < kFifoSize) rx_.push_back(byte);
    thre_interrupt_ = true;
    return;
  }
  if (tx_pending_) return;  // the guest overran a full transmitter: the byte is lost, as on the chip
  tx_byte_ = byte;
  tx_pending_ = true;
  FlushPending();
}

void Serial::FlushPending() {
  if (!tx_pending_ || !out_.Put(tx_byte_)) return;
  tx_pending_ = false;
  thre_interrupt_ = true;
}

uint8_t Serial::InterruptIdentification() const {
  if ((ier_ & kIerRxData) && !rx_.empty()) return kIirRxData;
  if ((ier_ & kIerTxEmpty) && thre_interrupt_) return kIirTxEmpty;
  return kIirNone;
}

void Serial::UpdateInterrupt() {
  bool asserted = InterruptIdentification() != kIirNone;
  if (asserted == irq_asserted_) return;
  irq_asserted_ = asserted;
  irq_.SetLevel(asserted);
}

}  // namespace virt_kvm
