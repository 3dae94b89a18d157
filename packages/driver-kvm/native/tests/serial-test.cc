#include "../devices/serial.h"

#include "check.h"
#include "fakes.h"

using namespace virt_kvm;
using namespace virt_kvm::testing;

namespace {
constexpr uint8_t THR = 0, IER = 1, IIR = 2, LCR = 3, MCR = 4, LSR = 5, MSR = 6, SCR = 7;
}

TEST(SerialTransmitsToTheSink) {
  FakeIrq irq;
  FakeSink sink;
  Serial serial(irq, sink);
  WriteByte(serial, THR, 'h');
  WriteByte(serial, THR, 'i');
  CHECK(sink.bytes == std::vector<uint8_t>({'h', 'i'}));
  CHECK_EQ(ReadByte(serial, LSR) & 0x60, 0x60);
  CHECK_EQ(ReadByte(serial, IIR), 0x01);
  CHECK(!irq.level);
}

TEST(SerialRaisesTransmitterEmptyWhenEnabled) {
  FakeIrq irq;
  FakeSink sink;
  Serial serial(irq, sink);
  WriteByte(serial, IER, 0x02);
  CHECK(irq.level);
  CHECK_EQ(ReadByte(serial, IIR), 0x02);
  // reading IIR acknowledged it
  CHECK(!irq.level);
  CHECK_EQ(ReadByte(serial, IIR), 0x01);
  WriteByte(serial, THR, 'x');
  CHECK(irq.level);
  CHECK_EQ(irq.raised, 2);
}

TEST(SerialHoldsAByteTheSinkRefuses) {
  FakeIrq irq;
  FakeSink sink;
  Serial serial(irq, sink);
  sink.accepting = false;
  WriteByte(serial, THR, 'a');
  CHECK_EQ(ReadByte(serial, LSR) & 0x20, 0);
  // a byte written into a full transmitter is lost, as on the chip
  WriteByte(serial, THR, 'b');
  sink.accepting = true;
  CHECK_EQ(ReadByte(serial, LSR) & 0x20, 0x20);
  CHECK(sink.bytes == std::vector<uint8_t>({'a'}));
}

TEST(SerialReceivesIntoABoundedFifo) {
  FakeIrq irq;
  FakeSink sink;
  Serial serial(irq, sink);
  WriteByte(serial, IER, 0x01);
  std::vector<uint8_t> input(100, 'z');
  input[0] = 'a';
  CHECK_EQ(serial.Receive(input), Serial::kFifoSize);
  CHECK(irq.level);
  CHECK_EQ(ReadByte(serial, IIR), 0x04);
  CHECK_EQ(ReadByte(serial, LSR) & 0x01, 0x01);
  CHECK_EQ(ReadByte(serial, THR), 'a');
  for (size_t i = 1; i < Serial::kFifoSize; i++) CHECK_EQ(ReadByte(serial, THR), 'z');
  CHECK_EQ(ReadByte(serial, LSR) & 0x01, 0);
  CHECK(!irq.level);
  // an empty FIFO reads as zero
  CHECK_EQ(ReadByte(serial, THR), 0);
}

TEST(SerialLoopbackAsDriversProbeIt) {
  FakeIrq irq;
  FakeSink sink;
  Serial serial(irq, sink);
  WriteByte(serial, MCR, 0x10 | 0x0a);  // loop, RTS, OUT2
  CHECK_EQ(ReadByte(serial, MSR) & 0xf0, 0x90);  // CTS, DCD
  WriteByte(serial, THR, 0x5a);
  CHECK(sink.bytes.empty());
  CHECK_EQ(ReadByte(serial, THR), 0x5a);
  // host input does not reach a looped-back port
  const uint8_t byte = 'q';
  CHECK_EQ(serial.Receive({&byte, 1}), 0u);
  WriteByte(serial, MCR, 0x0b);
  CHECK_EQ(ReadByte(serial, MSR), 0xb0);
}

TEST(SerialDivisorLatchAndScratch) {
  FakeIrq irq;
  FakeSink sink;
  Serial serial(irq, sink);
  WriteByte(serial, LCR, 0x80);
  WriteByte(serial, THR, 0x01);
  WriteByte(serial, IER, 0x00);
  CHECK_EQ(ReadByte(serial, THR), 0x01);
  WriteByte(serial, LCR, 0x03);
  CHECK(sink.bytes.empty());
  WriteByte(serial, SCR, 0xa5);
  CHECK_EQ(ReadByte(serial, SCR), 0xa5);
  WriteByte(serial, IIR, 0x01);  // FIFO on: a 16550A says so in IIR
  CHECK_EQ(ReadByte(serial, IIR) & 0xc0, 0xc0);
}

TEST(SerialIgnoresAccessesPastItsRegisters) {
  FakeIrq irq;
  FakeSink sink;
  Serial serial(irq, sink);
  uint8_t wide[8] = {1, 2, 3, 4, 5, 6, 7, 8};
  serial.Read(9, wide, sizeof wide);
  for (uint8_t b : wide) CHECK_EQ(b, 0);
  serial.Write(100, wide, sizeof wide);
  CHECK(sink.bytes.empty());
}
