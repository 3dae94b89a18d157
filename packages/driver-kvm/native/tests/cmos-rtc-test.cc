#include "../devices/cmos-rtc.h"

#include <ctime>

#include "check.h"
#include "fakes.h"

using namespace virt_kvm;
using namespace virt_kvm::testing;

namespace {

struct FixedClock : WallClock {
  int64_t now;
  explicit FixedClock(int64_t t) : now(t) {}
  int64_t Now() override { return now; }
};

// Sunday 22 November 2026, 13:45:30 UTC
int64_t TestTime() {
  tm t{};
  t.tm_year = 2026 - 1900;
  t.tm_mon = 10;
  t.tm_mday = 22;
  t.tm_hour = 13;
  t.tm_min = 45;
  t.tm_sec = 30;
  return timegm(&t);
}

uint8_t Reg(CmosRtc& rtc, uint8_t index) {
  WriteByte(rtc, 0, index);
  return ReadByte(rtc, 1);
}

void SetReg(CmosRtc& rtc, uint8_t index, uint8_t value) {
  WriteByte(rtc, 0, index);
  WriteByte(rtc, 1, value);
}

}  // namespace

TEST(RtcShowsTheClockInBcd24HourByDefault) {
  FixedClock clock(TestTime());
  CmosRtc rtc(clock);
  CHECK_EQ(Reg(rtc, 0x00), 0x30);
  CHECK_EQ(Reg(rtc, 0x02), 0x45);
  CHECK_EQ(Reg(rtc, 0x04), 0x13);
  CHECK_EQ(Reg(rtc, 0x06), 0x01);  // Sunday
  CHECK_EQ(Reg(rtc, 0x07), 0x22);
  CHECK_EQ(Reg(rtc, 0x08), 0x11);
  CHECK_EQ(Reg(rtc, 0x09), 0x26);
  CHECK_EQ(Reg(rtc, 0x32), 0x20);
  CHECK_EQ(Reg(rtc, 0x0a), 0x26);
  CHECK_EQ(Reg(rtc, 0x0b), 0x02);
  CHECK_EQ(Reg(rtc, 0x0c), 0x00);
  CHECK_EQ(Reg(rtc, 0x0d), 0x80);
  // the index port's bit 7 masks NMI; it does not change the register
  CHECK_EQ(Reg(rtc, 0x80 | 0x02), 0x45);
  clock.now += 61;
  CHECK_EQ(Reg(rtc, 0x00), 0x31);
  CHECK_EQ(Reg(rtc, 0x02), 0x46);
}

TEST(RtcFollowsStatusBForBinaryAnd12Hour) {
  FixedClock clock(TestTime());
  CmosRtc rtc(clock);
  SetReg(rtc, 0x0b, 0x04 | 0x02);
  CHECK_EQ(Reg(rtc, 0x00), 30);
  CHECK_EQ(Reg(rtc, 0x04), 13);
  SetReg(rtc, 0x0b, 0x00);
  CHECK_EQ(Reg(rtc, 0x04), 0x81);  // 1 pm in BCD
}

TEST(RtcKeepsATimeTheGuestSetsAsAnOffset) {
  FixedClock clock(TestTime());
  CmosRtc rtc(clock);
  SetReg(rtc, 0x09, 0x27);
  CHECK_EQ(Reg(rtc, 0x09), 0x27);
  CHECK_EQ(Reg(rtc, 0x08), 0x11);
  SetReg(rtc, 0x04, 0x09);
  CHECK_EQ(Reg(rtc, 0x04), 0x09);
  CHECK_EQ(Reg(rtc, 0x02), 0x45);
  clock.now += 3600;
  CHECK_EQ(Reg(rtc, 0x04), 0x10);
  CHECK_EQ(Reg(rtc, 0x09), 0x27);
}

TEST(RtcKeepsCmosRamAndIgnoresReadOnlyRegisters) {
  FixedClock clock(TestTime());
  CmosRtc rtc(clock);
  SetReg(rtc, 0x40, 0x5a);
  CHECK_EQ(Reg(rtc, 0x40), 0x5a);
  rtc.SetRam(0x34, 0x12);
  CHECK_EQ(Reg(rtc, 0x34), 0x12);
  SetReg(rtc, 0x0d, 0x00);
  CHECK_EQ(Reg(rtc, 0x0d), 0x80);
  uint8_t wide[4] = {1, 2, 3, 4};
  rtc.Read(2, wide, sizeof wide);
  CHECK_EQ(wide[0], 0xff);
  CHECK_EQ(wide[1], 0);
}
