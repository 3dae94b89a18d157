/**
 * The CPUID a vCPU sees: the host's supported table (KVM_GET_SUPPORTED_CPUID)
 * with the hypervisor bit set, the topology made to match the VM (one
 * package, one thread per core, APIC ID = vCPU index), and no PMU (neither
 * Intel's leaf 0xA nor AMD's counter extensions).
 */

/** struct kvm_cpuid_entry2 */
export interface CpuidEntry {
  function: number;
  index: number;
  flags: number;
  eax: number;
  ebx: number;
  ecx: number;
  edx: number;
}

const ENTRY_SIZE = 40;
const FIELDS = ['function', 'index', 'flags', 'eax', 'ebx', 'ecx', 'edx'] as const;

export function decodeCpuid(buf: Buffer): CpuidEntry[] {
  if (buf.length % ENTRY_SIZE) throw new RangeError(`CPUID entries are ${ENTRY_SIZE} bytes each`);
  const entries: CpuidEntry[] = [];
  for (let at = 0; at < buf.length; at += ENTRY_SIZE) {
    const entry = {} as CpuidEntry;
    FIELDS.forEach((name, i) => (entry[name] = buf.readUInt32LE(at + i * 4)));
    entries.push(entry);
  }
  return entries;
}

export function encodeCpuid(entries: CpuidEntry[]): Buffer {
  const buf = Buffer.alloc(entries.length * ENTRY_SIZE);
  entries.forEach((entry, n) => FIELDS.forEach((name, i) => buf.writeUInt32LE(entry[name] >>> 0, n * ENTRY_SIZE + i * 4)));
  return buf;
}

const HYPERVISOR_BIT = 1 << 31;
/** CPUID 0x80000001 ECX: AMD's core, northbridge and L3 performance counter extensions. */
const AMD_PERFCTR_BITS = (1 << 23) | (1 << 24) | (1 << 28);
const HTT_BIT = 1 << 28;
/** CPUID leaf 0xB/0x1F level types */
const LEVEL_SMT = 1;
const LEVEL_CORE = 2;

/** Bits needed to number `count` things (the x2APIC ID shift of a topology level). */
function widthFor(count: number): number {
  return count <= 1 ? 0 : 32 - Math.clz32(count - 1);
}

/** The table for vCPU `vcpu` of `vcpus`. */
export function guestCpuid(supported: CpuidEntry[], vcpu: number, vcpus: number): CpuidEntry[] {
  const coreShift = widthFor(vcpus);
  return supported.map((host) => {
    const e = { ...host };
    switch (e.function) {
      case 0x1:
        e.ecx |= HYPERVISOR_BIT;
        // initial APIC ID, logical processors per package, CLFLUSH line size (8 * 8 bytes)
        e.ebx = ((vcpu & 0xff) << 24) | ((vcpus & 0xff) << 16) | (8 << 8);
        e.edx = vcpus > 1 ? e.edx | HTT_BIT : e.edx & ~HTT_BIT;
        break;
      case 0x4:
        // cores per package - 1 in bits 31:26; each cache shared by one thread
        if (e.eax & 0x1f) e.eax = (e.eax & 0x3ff) | ((vcpus - 1) << 26);
        break;
      case 0x6:
        // no thermal or power management to report
        e.eax = e.ebx = e.ecx = e.edx = 0;
        break;
      case 0xa:
        // no PMU: a guest must not program counters nothing saves or restores
        e.eax = e.ebx = e.ecx = e.edx = 0;
        break;
      case 0xb:
      case 0x1f:
        e.edx = vcpu;
        if (e.index === 0) {
          e.eax = 0;
          e.ebx = 1;
          e.ecx = (LEVEL_SMT << 8) | e.index;
        } else if (e.index === 1) {
          e.eax = coreShift;
          e.ebx = vcpus;
          e.ecx = (LEVEL_CORE << 8) | e.index;
        } else {
          e.eax = e.ebx = 0;
          e.ecx = e.index;
        }
        break;
      case 0x8000_0001:
        e.ecx &= ~AMD_PERFCTR_BITS;
        break;
      case 0x8000_0022:
        // AMD PerfMonV2
        e.eax = e.ebx = e.ecx = e.edx = 0;
        break;
      case 0x8000_0008:
        // AMD: cores per package - 1, and the APIC ID width
        e.ecx = (coreShift << 12) | ((vcpus - 1) & 0xff);
        break;
      case 0x8000_001e:
        e.eax = vcpu;
        e.ebx = vcpu & 0xff;
        e.ecx = 0;
        break;
    }
    return e;
  });
}
