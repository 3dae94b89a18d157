/**
 * The local APIC's LINT pins as a PC wires them: LINT0 takes the PIC's
 * interrupts (ExtINT), LINT1 the NMI. Edits the kvm_lapic_state register
 * page KVM_GET_LAPIC returned.
 */
const APIC_LVT_LINT0 = 0x350;
const APIC_LVT_LINT1 = 0x360;
const DELIVERY_MODE_SHIFT = 8;
const DELIVERY_MODE_MASK = 0x7 << DELIVERY_MODE_SHIFT;
const DELIVERY_EXTINT = 0x7;
const DELIVERY_NMI = 0x4;

export function wireLintPins(lapic: Buffer): Buffer {
  const out = Buffer.from(lapic);
  const set = (register: number, mode: number) =>
    out.writeUInt32LE(((out.readUInt32LE(register) & ~DELIVERY_MODE_MASK) | (mode << DELIVERY_MODE_SHIFT)) >>> 0, register);
  set(APIC_LVT_LINT0, DELIVERY_EXTINT);
  set(APIC_LVT_LINT1, DELIVERY_NMI);
  return out;
}
