#include "cmos-rtc.h"

#include <ctime>

namespace virt_kvm {
namespace {

constexpr uint8_t kSeconds = 0x00, kMinutes = 0x02, kHours = 0x04, kWeekday = 0x06, kDay = 0x07, kMonth = 0x08, kYear = 0x09;
constexpr uint8_t kStatusA = 0x0a, kStatusB = 0x0b, kStatusC = 0x0c, kStatusD = 0x0d;
// the century byte where ACPI's FADT says it is on PCs
constexpr uint8_t kCentury = 0x32;
constexpr uint8_t kIndexMask = 0x7f;  // bit 7 of the index port is the NMI mask
constexpr uint8_t kBinary = 0x04, k24Hour = 0x02;
constexpr uint8_t kPm = 0x80;
// 32.768 kHz time base, 1024 Hz rate: what firmware leaves in status A
constexpr uint8_t kStatusADefault = 0x26;
constexpr uint8_t kStatusDValidRam = 0x80;

}  // namespace

CmosRtc::CmosRtc(WallClock& clock) : clock_(clock) {
  ram_[kStatusA] = kStatusADefault;
  ram_[kStatusB] = k24Hour;
  ram_[kStatusD] = kStatusDValidRam;
}

void CmosRtc::SetRam(uint8_t index, uint8_t value) {
  std::lock_guard lock(mutex_);
  ram_[index & kIndexMask] = value;
}

void CmosRtc::Read(uint64_t offset, uint8_t* data, size_t size) {
  std::lock_guard lock(mutex_);
  for (size_t i = 0; i < size; i++) data[i] = 0;
  if (size >= 1) data[0] = offset == 1 ? ReadRegister(index_) : 0xff;
}

void CmosRtc::Write(uint64_t offset, const uint8_t* data, size_t size) {
  if (size < 1) return;
  std::lock_guard lock(mutex_);
  if (offset == 0) index_ = data[0] & kIndexMask;
  else if (offset == 1) WriteRegister(index_, data[0]);
}

uint8_t CmosRtc::Encode(int value) const {
  return static_cast<uint8_t>((ram_[kStatusB] & kBinary) ? value : ((value / 10) << 4) | (value % 10));
}

int CmosRtc::Decode(uint8_t value) const { return (ram_[kStatusB] & kBinary) ? value : (value >> 4) * 10 + (value & 0x0f); }

uint8_t CmosRtc::ReadRegister(uint8_t index) {
  if (index > kYear && index != kCentury) {
    // reading status C acknowledges interrupts: there are never any pending
    return index == kStatusC ? 0 : ram_[index];
  }
  time_t now = static_cast<time_t>(GuestTime());
  tm t{};
  gmtime_r(&now, &t);
  switch (index) {
    case kSeconds: return Encode(t.tm_sec);
    case kMinutes: return Encode(t.tm_min);
    case kHours: {
      if (ram_[kStatusB] & k24Hour) return Encode(t.tm_hour);
      int hour12 = t.tm_hour % 12 == 0 ? 12 : t.tm_hour % 12;
      return static_cast<uint8_t>(Encode(hour12) | (t.tm_hour >= 12 ? kPm : 0));
    }
    case kWeekday: return Encode(t.tm_wday + 1);
    case kDay: return Encode(t.tm_mday);
    case kMonth: return Encode(t.tm_mon + 1);
    case kYear: return Encode((t.tm_year + 1900) % 100);
    case kCentury: return Encode((t.tm_year + 1900) / 100);
    default: return ram_[index];  // the alarm registers
  }
}

void CmosRtc::WriteRegister(uint8_t index, uint8_t value) {
  if (index == kStatusC || index == kStatusD) return;  // read-only
  if (index > kYear && index != kCentury) {
    ram_[index] = value;
    return;
  }
  if (index == 0x01 || index == 0x03 || index == 0x05) {
    ram_[index] = value;  // alarm seconds, minutes, hours
    return;
  }
  // setting one field of the time moves the guest's clock by that much
  time_t now = static_cast<time_t>(GuestTime());
  tm t{};
  gmtime_r(&now, &t);
  int year = t.tm_year + 1900;
  switch (index) {
    case kSeconds: t.tm_sec = Decode(value); break;
    case kMinutes: t.tm_min = Decode(value); break;
    case kHours:
      if (ram_[kStatusB] & k24Hour) {
        t.tm_hour = Decode(value);
      } else {
        int hour = Decode(value & ~kPm) % 12;
        t.tm_hour = hour + ((value & kPm) ? 12 : 0);
      }
      break;
    case kWeekday: return;  // derived from the date
    case kDay: t.tm_mday = Decode(value); break;
    case kMonth: t.tm_mon = Decode(value) - 1; break;
    case kYear: t.tm_year = (year / 100) * 100 + Decode(value) - 1900; break;
    case kCentury: t.tm_year = Decode(value) * 100 + year % 100 - 1900; break;
  }
  offset_ += static_cast<int64_t>(timegm(&t)) - static_cast<int64_t>(now);
}

}  // namespace virt_kvm
