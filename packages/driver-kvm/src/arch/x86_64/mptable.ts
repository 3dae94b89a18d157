/**
 * The Intel MultiProcessor table (MP spec 1.4) for Linux kernels that look
 * for CPUs and interrupt routing without ACPI: the floating pointer, then
 * the configuration table with one processor entry per vCPU, the ISA bus,
 * the IOAPIC, ISA IRQ n wired to IOAPIC pin n (KVM's default routing), and
 * the local APICs' LINT0 (ExtINT) and LINT1 (NMI).
 */
import { APIC_START, IOAPIC_START } from './layout.js';

const SPEC_REV = 4;
const FLOATING_POINTER_SIZE = 16;
const HEADER_SIZE = 44;
const PROCESSOR_SIZE = 20;
const ENTRY_SIZE = 8;

const PROCESSOR = 0;
const BUS = 1;
const IOAPIC = 2;
const IO_INTERRUPT = 3;
const LOCAL_INTERRUPT = 4;

const APIC_VERSION = 0x14;
const IOAPIC_VERSION = 0x11;
const CPU_ENABLED = 1 << 0;
const CPU_BSP = 1 << 1;
/** Family 6 signature, and FPU + APIC in the feature flags. */
const CPU_SIGNATURE = 0x600;
const CPU_FEATURES = (1 << 0) | (1 << 9);
const INT_VECTORED = 0;
const INT_NMI = 1;
const INT_EXTINT = 3;
const ISA_BUS_ID = 0;
const ISA_IRQS = 16;
const ALL_LOCAL_APICS = 0xff;

/** The table's bytes, to be written at `address` (floating pointer first). */
export function mpTable(address: number, vcpus: number): Buffer {
  const ioapicId = vcpus;
  const entries: Buffer[] = [];
  for (let cpu = 0; cpu < vcpus; cpu++) {
    const e = Buffer.alloc(PROCESSOR_SIZE);
    e[0] = PROCESSOR;
    e[1] = cpu;
    e[2] = APIC_VERSION;
    e[3] = CPU_ENABLED | (cpu === 0 ? CPU_BSP : 0);
    e.writeUInt32LE(CPU_SIGNATURE, 4);
    e.writeUInt32LE(CPU_FEATURES, 8);
    entries.push(e);
  }
  const bus = Buffer.alloc(ENTRY_SIZE);
  bus[0] = BUS;
  bus[1] = ISA_BUS_ID;
  bus.write('ISA   ', 2, 'latin1');
  entries.push(bus);
  const ioapic = Buffer.alloc(ENTRY_SIZE);
  ioapic[0] = IOAPIC;
  ioapic[1] = ioapicId;
  ioapic[2] = IOAPIC_VERSION;
  ioapic[3] = 1; // enabled
  ioapic.writeUInt32LE(IOAPIC_START, 4);
  entries.push(ioapic);
  for (let irq = 0; irq < ISA_IRQS; irq++) entries.push(interruptEntry(IO_INTERRUPT, INT_VECTORED, irq, ioapicId, irq));
  entries.push(interruptEntry(LOCAL_INTERRUPT, INT_EXTINT, 0, ALL_LOCAL_APICS, 0));
  entries.push(interruptEntry(LOCAL_INTERRUPT, INT_NMI, 0, ALL_LOCAL_APICS, 1));

  const body = Buffer.concat(entries);
  const header = Buffer.alloc(HEADER_SIZE);
  header.write('PCMP', 0, 'latin1');
  header.writeUInt16LE(HEADER_SIZE + body.length, 4);
  header[6] = SPEC_REV;
  header.write('@VIRT   ', 8, 'latin1');
  header.write('KVM PC      ', 16, 'latin1');
  header.writeUInt16LE(entries.length, 34);
  header.writeUInt32LE(APIC_START, 36);
  const config = Buffer.concat([header, body]);
  config[7] = checksum(config);

  const pointer = Buffer.alloc(FLOATING_POINTER_SIZE);
  pointer.write('_MP_', 0, 'latin1');
  pointer.writeUInt32LE(address + FLOATING_POINTER_SIZE, 4);
  pointer[8] = 1; // length in 16-byte paragraphs
  pointer[9] = SPEC_REV;
  pointer[10] = checksum(pointer);
  return Buffer.concat([pointer, config]);
}

function interruptEntry(type: number, intType: number, sourceIrq: number, destination: number, destinationPin: number): Buffer {
  const e = Buffer.alloc(ENTRY_SIZE);
  e[0] = type;
  e[1] = intType;
  e.writeUInt16LE(0, 2); // polarity and trigger as the bus defines them
  e[4] = ISA_BUS_ID;
  e[5] = sourceIrq;
  e[6] = destination;
  e[7] = destinationPin;
  return e;
}

/** The byte that makes the sum of `bytes` 0 modulo 256 (its own slot must be 0 when computed). */
function checksum(bytes: Buffer): number {
  let sum = 0;
  for (const b of bytes) sum = (sum + b) & 0xff;
  return (0x100 - sum) & 0xff;
}
