/**
 * KVM's register structs (struct kvm_regs, kvm_segment, kvm_sregs, kvm_fpu)
 * as plain objects, encoded and decoded byte for byte at the offsets of
 * <linux/kvm.h> for x86-64.
 */

const GENERAL_REGISTERS = [
  'rax', 'rbx', 'rcx', 'rdx', 'rsi', 'rdi', 'rsp', 'rbp',
  'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15', 'rip', 'rflags',
] as const;
export type GeneralRegister = (typeof GENERAL_REGISTERS)[number];
export type Regs = Record<GeneralRegister, bigint>;

export const KVM_REGS_SIZE = 144;

/** RFLAGS bit 1 is always set. */
export const RFLAGS_RESERVED = 0x2n;

/** Every general register zero and RFLAGS at its reset value: where a boot step starts from. */
export function resetRegs(): Regs {
  const regs = Object.fromEntries(GENERAL_REGISTERS.map((name) => [name, 0n])) as Regs;
  regs.rflags = RFLAGS_RESERVED;
  return regs;
}

export function decodeRegs(buf: Buffer): Regs {
  checkSize(buf, KVM_REGS_SIZE, 'kvm_regs');
  const regs = {} as Regs;
  GENERAL_REGISTERS.forEach((name, i) => (regs[name] = buf.readBigUInt64LE(i * 8)));
  return regs;
}

export function encodeRegs(regs: Regs): Buffer {
  const buf = Buffer.alloc(KVM_REGS_SIZE);
  GENERAL_REGISTERS.forEach((name, i) => buf.writeBigUInt64LE(regs[name], i * 8));
  return buf;
}

/** struct kvm_segment: a segment register with its hidden descriptor cache. */
export interface Segment {
  base: bigint;
  limit: number;
  selector: number;
  type: number;
  present: number;
  dpl: number;
  db: number;
  s: number;
  l: number;
  g: number;
  avl: number;
  unusable: number;
}

/** struct kvm_dtable: GDTR or IDTR. */
export interface DescriptorTable {
  base: bigint;
  limit: number;
}

const SEGMENTS = ['cs', 'ds', 'es', 'fs', 'gs', 'ss', 'tr', 'ldt'] as const;
const CONTROL = ['cr0', 'cr2', 'cr3', 'cr4', 'cr8', 'efer', 'apicBase'] as const;

export type Sregs = Record<(typeof SEGMENTS)[number], Segment> &
  Record<(typeof CONTROL)[number], bigint> & {
    gdt: DescriptorTable;
    idt: DescriptorTable;
    /** Pending external interrupts, one bit per vector (4 x u64). */
    interruptBitmap: [bigint, bigint, bigint, bigint];
  };

export const KVM_SREGS_SIZE = 312;
const SEGMENT_SIZE = 24;
const GDT_OFFSET = 192;
const IDT_OFFSET = 208;
const CONTROL_OFFSET = 224;
const INTERRUPT_BITMAP_OFFSET = 280;
const SEGMENT_FLAGS = ['type', 'present', 'dpl', 'db', 's', 'l', 'g', 'avl', 'unusable'] as const;

function decodeSegment(buf: Buffer, at: number): Segment {
  const segment = { base: buf.readBigUInt64LE(at), limit: buf.readUInt32LE(at + 8), selector: buf.readUInt16LE(at + 12) } as Segment;
  SEGMENT_FLAGS.forEach((name, i) => (segment[name] = buf[at + 14 + i]!));
  return segment;
}

function encodeSegment(buf: Buffer, at: number, segment: Segment): void {
  buf.writeBigUInt64LE(segment.base, at);
  buf.writeUInt32LE(segment.limit >>> 0, at + 8);
  buf.writeUInt16LE(segment.selector, at + 12);
  SEGMENT_FLAGS.forEach((name, i) => (buf[at + 14 + i] = segment[name]));
}

export function decodeSregs(buf: Buffer): Sregs {
  checkSize(buf, KVM_SREGS_SIZE, 'kvm_sregs');
  const sregs = {} as Sregs;
  SEGMENTS.forEach((name, i) => (sregs[name] = decodeSegment(buf, i * SEGMENT_SIZE)));
  sregs.gdt = { base: buf.readBigUInt64LE(GDT_OFFSET), limit: buf.readUInt16LE(GDT_OFFSET + 8) };
  sregs.idt = { base: buf.readBigUInt64LE(IDT_OFFSET), limit: buf.readUInt16LE(IDT_OFFSET + 8) };
  CONTROL.forEach((name, i) => (sregs[name] = buf.readBigUInt64LE(CONTROL_OFFSET + i * 8)));
  const bitmap = [0, 1, 2, 3].map((i) => buf.readBigUInt64LE(INTERRUPT_BITMAP_OFFSET + i * 8));
  sregs.interruptBitmap = bitmap as Sregs['interruptBitmap'];
  return sregs;
}

export function encodeSregs(sregs: Sregs): Buffer {
  const buf = Buffer.alloc(KVM_SREGS_SIZE);
  SEGMENTS.forEach((name, i) => encodeSegment(buf, i * SEGMENT_SIZE, sregs[name]));
  buf.writeBigUInt64LE(sregs.gdt.base, GDT_OFFSET);
  buf.writeUInt16LE(sregs.gdt.limit, GDT_OFFSET + 8);
  buf.writeBigUInt64LE(sregs.idt.base, IDT_OFFSET);
  buf.writeUInt16LE(sregs.idt.limit, IDT_OFFSET + 8);
  CONTROL.forEach((name, i) => buf.writeBigUInt64LE(sregs[name], CONTROL_OFFSET + i * 8));
  sregs.interruptBitmap.forEach((word, i) => buf.writeBigUInt64LE(word, INTERRUPT_BITMAP_OFFSET + i * 8));
  return buf;
}

/** struct kvm_fpu: only the two control words a boot sets; the rest stays zero. */
export const KVM_FPU_SIZE = 416;
const FCW_OFFSET = 128;
const MXCSR_OFFSET = 408;

export function encodeFpu(fcw: number, mxcsr: number): Buffer {
  const buf = Buffer.alloc(KVM_FPU_SIZE);
  buf.writeUInt16LE(fcw, FCW_OFFSET);
  buf.writeUInt32LE(mxcsr, MXCSR_OFFSET);
  return buf;
}

function checkSize(buf: Buffer, size: number, what: string): void {
  if (buf.length !== size) throw new RangeError(`${what} is ${size} bytes, not ${buf.length}`);
}
