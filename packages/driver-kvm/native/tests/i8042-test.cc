#include "../devices/i8042.h"

#include "check.h"
#include "fakes.h"

using namespace virt_kvm;
using namespace virt_kvm::testing;

TEST(I8042PulsesResetOnCommandFE) {
  FakeReset reset;
  I8042 i8042(reset);
  WriteByte(i8042, 4, 0xfe);
  CHECK_EQ(reset.resets, 1);
}

TEST(I8042ResetsWhenTheOutputPortDropsBitZero) {
  FakeReset reset;
  I8042 i8042(reset);
  WriteByte(i8042, 4, 0xd1);
  CHECK_EQ(ReadByte(i8042, 4) & 0x08, 0x08);  // waiting for the data byte
  WriteByte(i8042, 0, 0x03);
  CHECK_EQ(reset.resets, 0);
  WriteByte(i8042, 4, 0xd1);
  WriteByte(i8042, 0, 0x02);
  CHECK_EQ(reset.resets, 1);
}

TEST(I8042AnswersSelfTestAndCommandByte) {
  FakeReset reset;
  I8042 i8042(reset);
  WriteByte(i8042, 4, 0xaa);
  CHECK_EQ(ReadByte(i8042, 4) & 0x01, 0x01);
  CHECK_EQ(ReadByte(i8042, 0), 0x55);
  CHECK_EQ(ReadByte(i8042, 4) & 0x01, 0);
  WriteByte(i8042, 4, 0x60);
  WriteByte(i8042, 0, 0x47);
  WriteByte(i8042, 4, 0x20);
  CHECK_EQ(ReadByte(i8042, 0), 0x47);
}
