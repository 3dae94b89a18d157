// The boot structures byte for byte, as a kernel reads them: no KVM needed.
import { describe, expect, it } from 'vitest';
import { decodeCpuid, encodeCpuid, guestCpuid, type CpuidEntry } from '../src/arch/x86_64/cpuid.js';
import { encodeBootParams } from '../src/arch/x86_64/boot-params.js';
import { e820Map } from '../src/arch/x86_64/e820.js';
import { bootGdt, CODE64_FLAGS, DATA_FLAGS, gdtEntry, segmentFromEntry, TSS64_FLAGS, USER_CODE64_FLAGS, USER_DATA_FLAGS } from '../src/arch/x86_64/gdt.js';
import { mpTable } from '../src/arch/x86_64/mptable.js';
import { identityPageTables } from '../src/arch/x86_64/page-tables.js';
import { decodeSregs, encodeSregs, KVM_SREGS_SIZE } from '../src/arch/x86_64/registers.js';
import { parseBzImage } from '../src/loader/bzimage.js';
import { parseElf } from '../src/loader/elf.js';
import { standInBzImage } from './helpers.js';

describe('the boot GDT', () => {
  it('encodes descriptors as the CPU reads them', () => {
    expect(gdtEntry(CODE64_FLAGS, 0, 0xfffff)).toBe(0x00af_9b00_0000_ffffn);
    expect(gdtEntry(DATA_FLAGS, 0, 0xfffff)).toBe(0x00cf_9300_0000_ffffn);
    expect(gdtEntry(TSS64_FLAGS, 0, 0xfffff)).toBe(0x008f_8b00_0000_ffffn);
    expect(gdtEntry(USER_CODE64_FLAGS, 0, 0xfffff)).toBe(0x00af_fb00_0000_ffffn);
    expect(gdtEntry(USER_DATA_FLAGS, 0, 0xfffff)).toBe(0x00cf_f300_0000_ffffn);
    expect(gdtEntry(0x4092, 0x1234_5678, 0xabcde)).toBe(0x124a_9234_5678_bcden);
  });

  it('puts __BOOT_CS at 0x10 and __BOOT_DS at 0x18, and derives the segment registers from the same bits', () => {
    const gdt = bootGdt();
    expect(gdt[0x10 >> 3]).toBe(gdtEntry(CODE64_FLAGS, 0, 0xfffff));
    expect(gdt[0x18 >> 3]).toBe(gdtEntry(DATA_FLAGS, 0, 0xfffff));
    expect(segmentFromEntry(gdt[2]!, 0x10)).toEqual({ base: 0n, limit: 0xffff_ffff, selector: 0x10, type: 0xb, s: 1, dpl: 0, present: 1, avl: 0, l: 1, db: 0, g: 1, unusable: 0 });
    expect(segmentFromEntry(gdt[7]!, 0x3b)).toMatchObject({ selector: 0x3b, type: 0x3, dpl: 3, db: 1, l: 0 });
    expect(segmentFromEntry(0n, 0)).toMatchObject({ present: 0, unusable: 1 });
  });
});

describe('the identity page tables', () => {
  it('map the first GiB with 2 MiB pages, user-accessible only when asked', () => {
    const [pml4, pdpt, pd] = identityPageTables({ user: false });
    expect(pml4!.guestAddress).toBe(0x9000);
    expect(pml4!.bytes.readBigUInt64LE(0)).toBe(0xa003n);
    expect(pdpt!.bytes.readBigUInt64LE(0)).toBe(0xb003n);
    expect(pdpt!.bytes.readBigUInt64LE(8)).toBe(0n);
    expect(pd!.bytes.readBigUInt64LE(0)).toBe(0x83n);
    expect(pd!.bytes.readBigUInt64LE(8)).toBe(0x20_0083n);
    expect(pd!.bytes.readBigUInt64LE(511 * 8)).toBe(0x3fe0_0083n);
    const user = identityPageTables({ user: true });
    expect(user[0]!.bytes.readBigUInt64LE(0)).toBe(0xa007n);
    expect(user[2]!.bytes.readBigUInt64LE(8)).toBe(0x20_0087n);
  });
});

describe('kvm_sregs', () => {
  it('round-trips every field at the kernel offsets', () => {
    const bytes = Buffer.alloc(KVM_SREGS_SIZE);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7) & 0xff;
    // the bytes after each kvm_dtable limit and kvm_segment flags are padding
    for (const at of [192 + 10, 208 + 10]) bytes.fill(0, at, at + 6);
    for (let s = 0; s < 8; s++) bytes[s * 24 + 23] = 0;
    expect(encodeSregs(decodeSregs(bytes))).toEqual(bytes);
  });
});

describe('the zero page', () => {
  const header = Buffer.alloc(0x26c - 0x1f1);
  header[0x211 - 0x1f1] = 0x01; // LOADED_HIGH
  header.writeUInt16LE(0x20f, 0x206 - 0x1f1);

  it('carries the setup header, the loader fields and the e820 map', () => {
    const page = encodeBootParams({ setupHeader: header, cmdlineAddress: 0x2_0000, initrd: { address: 0x700_0000, size: 0x12345 }, e820: e820Map(256 << 20) });
    expect(page.length).toBe(4096);
    expect(page.readUInt16LE(0x206)).toBe(0x20f);
    expect(page[0x210]).toBe(0xff);
    expect(page[0x211]).toBe(0x81);
    expect(page.readUInt16LE(0x1fa)).toBe(0xffff);
    expect(page.readUInt16LE(0x224)).toBe(0xfe00);
    expect(page.readUInt32LE(0x228)).toBe(0x2_0000);
    expect(page.readUInt32LE(0x218)).toBe(0x700_0000);
    expect(page.readUInt32LE(0x21c)).toBe(0x12345);
    expect(page[0x1e8]).toBe(2);
    expect([page.readBigUInt64LE(0x2d0), page.readBigUInt64LE(0x2d8), page.readUInt32LE(0x2e0)]).toEqual([0n, 0x9_fc00n, 1]);
    expect([page.readBigUInt64LE(0x2e4), page.readBigUInt64LE(0x2ec), page.readUInt32LE(0x2f4)]).toEqual([0x10_0000n, 0xff0_0000n, 1]);
  });

  it('leaves the MMIO gap out of the e820 map', () => {
    expect(e820Map(4 * 2 ** 30)).toEqual([
      { address: 0, size: 0x9_fc00, type: 1 },
      { address: 0x10_0000, size: 0xd000_0000 - 0x10_0000, type: 1 },
      { address: 0x1_0000_0000, size: 4 * 2 ** 30 - 0xd000_0000, type: 1 },
    ]);
  });
});

describe('the MP table', () => {
  it('has valid checksums and an entry per vCPU, bus, IOAPIC, ISA IRQ and LINT pin', () => {
    const table = mpTable(0x9_fc00, 2);
    const sum = (b: Buffer) => b.reduce((s, x) => (s + x) & 0xff, 0);
    expect(table.toString('latin1', 0, 4)).toBe('_MP_');
    expect(table.readUInt32LE(4)).toBe(0x9_fc10);
    expect(sum(table.subarray(0, 16))).toBe(0);
    const config = table.subarray(16);
    expect(config.toString('latin1', 0, 4)).toBe('PCMP');
    expect(config.readUInt16LE(4)).toBe(config.length);
    expect(sum(config)).toBe(0);
    expect(config.readUInt16LE(34)).toBe(2 + 1 + 1 + 16 + 2);
    expect(config.readUInt32LE(36)).toBe(0xfee0_0000);
    // processors: APIC IDs 0 and 1, the first the BSP
    expect([config[44], config[45], config[47]]).toEqual([0, 0, 0x3]);
    expect([config[64], config[65], config[67]]).toEqual([0, 1, 0x1]);
    // the IOAPIC after the CPUs, at its address
    expect([config[92], config[93], config.readUInt32LE(96)]).toEqual([2, 2, 0xfec0_0000]);
    // ISA IRQ 4 to IOAPIC pin 4
    const irq4 = 100 + 4 * 8;
    expect([...config.subarray(irq4, irq4 + 8)]).toEqual([3, 0, 0, 0, 0, 4, 2, 4]);
  });
});

describe('CPUID', () => {
  const supported: CpuidEntry[] = [
    { function: 1, index: 0, flags: 0, eax: 0x906ea, ebx: 0x12345678, ecx: 0x1, edx: 0x1 << 28 },
    { function: 0xa, index: 0, flags: 0, eax: 0x7300403, ebx: 1, ecx: 2, edx: 3 },
    { function: 0xb, index: 1, flags: 1, eax: 9, ebx: 9, ecx: 9, edx: 9 },
    { function: 0x8000_0001, index: 0, flags: 0, eax: 0, ebx: 0, ecx: 0xffff_ffff, edx: 0 },
  ];

  it('sets the hypervisor bit, the vCPU topology and hides the PMU', () => {
    const [leaf1, leafA, leafB1] = guestCpuid(supported, 2, 4);
    expect(leaf1!.ecx >>> 31).toBe(1);
    expect(leaf1!.ebx >>> 24).toBe(2);
    expect((leaf1!.ebx >>> 16) & 0xff).toBe(4);
    expect(leafA).toMatchObject({ eax: 0, ebx: 0, ecx: 0, edx: 0 });
    expect(leafB1).toMatchObject({ eax: 2, ebx: 4, ecx: 0x201, edx: 2 });
    expect(guestCpuid(supported, 0, 1)[0]!.edx & (1 << 28)).toBe(0);
    expect(guestCpuid(supported, 0, 1)[3]!.ecx >>> 0).toBe(0xee7f_ffff);
  });

  it('moves as kvm_cpuid_entry2, 40 bytes each', () => {
    const bytes = encodeCpuid(supported);
    expect(bytes.length).toBe(160);
    expect(decodeCpuid(bytes)).toEqual(supported);
  });
});

describe('kernel images', () => {
  it('takes a bzImage with a 64-bit entry point', () => {
    const image = parseBzImage(standInBzImage(), '/k');
    expect(image.kernel.length).toBe(4096 - 1024);
    expect(image.setupHeader.length).toBe(0x26c - 0x1f1);
    expect([image.protocolVersion, image.initrdAddrMax, image.cmdlineSize]).toEqual([0x20f, 0x7fff_ffff, 0x7ff]);
  });

  it('refuses kernels it cannot enter in long mode, naming the problem', () => {
    expect(() => parseBzImage(standInBzImage(undefined, (b) => b.writeUInt16LE(0x20b, 0x206)), '/k')).toThrow("cannot load kernel '/k': boot protocol 2.11 is older than 2.12 (no 64-bit entry)");
    expect(() => parseBzImage(standInBzImage(undefined, (b) => b.writeUInt16LE(0, 0x236)), '/k')).toThrow('the kernel has no 64-bit entry point');
    expect(() => parseBzImage(standInBzImage(undefined, (b) => (b[0x1f1] = 200)), '/k')).toThrow('the setup sectors run past the end of the file');
  });

  it('refuses malformed ELF files with a VirtError, never a crash', () => {
    const elf = Buffer.alloc(64);
    elf.writeUInt32LE(0x464c457f, 0);
    elf[4] = 2;
    elf[5] = 1;
    elf.writeUInt16LE(62, 18);
    elf.writeBigUInt64LE(0xffff_ffffn, 32); // program headers far past the end
    elf.writeUInt16LE(56, 54);
    elf.writeUInt16LE(3, 56);
    expect(() => parseElf(elf, '/e')).toThrow(expect.objectContaining({ name: 'VirtError', message: "operation failed: cannot load kernel '/e': program headers past the end of the file" }));
    elf.writeUInt16LE(1000, 56);
    expect(() => parseElf(elf, '/e')).toThrow('1000 program headers');
  });
});
