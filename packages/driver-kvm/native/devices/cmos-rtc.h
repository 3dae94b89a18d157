// The PC's CMOS real-time clock (MC146818) on ports 0x70 (index, bit 7
// masks NMI) and 0x71 (data): the time from a clock source, in BCD or
// binary and 12- or 24-hour form as status register B asks, a time the
// guest sets kept as an offset from that source, and the CMOS RAM. Alarm,
// periodic and update-ended interrupts are not emulated: status register C
// reads as none pending.
#pragma once

#include <cstdint>
#include <mutex>

#include "device-ports.h"

namespace virt_kvm {

// Seconds since the Unix epoch, UTC: the host's clock, or a test's.
class WallClock {
 public:
  virtual ~WallClock() = default;
  virtual int64_t Now() = 0;
};

class CmosRtc : public BusDevice {
 public:
  explicit CmosRtc(WallClock& clock);

  void Read(uint64_t offset, uint8_t* data, size_t size) override;
  void Write(uint64_t offset, const uint8_t* data, size_t size) override;

  // A CMOS RAM byte the firmware would have set (e.g. memory sizes), before the guest runs.
  void SetRam(uint8_t index, uint8_t value);

 private:
  uint8_t ReadRegister(uint8_t index);
  void WriteRegister(uint8_t index, uint8_t value);
  // The guest's time now, and the fields of it the time registers show.
  int64_t GuestTime() { return clock_.Now() + offset_; }
  uint8_t Encode(int value) const;
  int Decode(uint8_t value) const;

  std::mutex mutex_;
  WallClock& clock_;
  int64_t offset_ = 0;
  uint8_t index_ = 0;
  uint8_t ram_[128] = {};
};

}  // namespace virt_kvm
