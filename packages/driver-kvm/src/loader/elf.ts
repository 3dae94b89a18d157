/**
 * ELF64 images for x86-64 (an uncompressed vmlinux, a PVH kernel, a guest
 * program): the loadable segments at their physical addresses, the entry
 * point and the notes. Every offset and size is checked against the file
 * before it is used.
 */
import { imageError } from './image-error.js';

export interface ElfSegment {
  /** Where the segment goes in guest-physical memory (p_paddr). */
  guestAddress: number;
  /** The bytes from the file; the rest of memSize is zeros. */
  data: Buffer;
  memSize: number;
}

export interface ElfNote {
  name: string;
  type: number;
  desc: Buffer;
}

export interface ElfImage {
  /** e_entry: a virtual address (a vmlinux's is in the kernel's high half). */
  entry: bigint;
  segments: ElfSegment[];
  notes: ElfNote[];
}

const ELF_MAGIC = 0x464c457f; // "\x7fELF" read little-endian
const ELFCLASS64 = 2;
const ELFDATA2LSB = 1;
const EM_X86_64 = 62;
const PT_LOAD = 1;
const PT_NOTE = 4;
const EHDR_SIZE = 64;
const PHDR_SIZE = 56;
const MAX_PROGRAM_HEADERS = 256;

export function isElf(file: Buffer): boolean {
  return file.length >= 4 && file.readUInt32LE(0) === ELF_MAGIC;
}

export function parseElf(file: Buffer, path: string): ElfImage {
  const fail = (problem: string) => imageError(path, problem);
  if (file.length < EHDR_SIZE || !isElf(file)) throw fail('not an ELF file');
  if (file[4] !== ELFCLASS64 || file[5] !== ELFDATA2LSB) throw fail('not a 64-bit little-endian ELF file');
  if (file.readUInt16LE(18) !== EM_X86_64) throw fail('not an x86-64 ELF file');
  const entry = file.readBigUInt64LE(24);
  const phoff = safe(file.readBigUInt64LE(32), 'program header offset', fail);
  const phentsize = file.readUInt16LE(54);
  const phnum = file.readUInt16LE(56);
  if (phentsize !== PHDR_SIZE) throw fail(`program headers of ${phentsize} bytes`);
  if (phnum > MAX_PROGRAM_HEADERS) throw fail(`${phnum} program headers`);
  within(file, phoff, phnum * PHDR_SIZE, 'program headers', fail);

  const segments: ElfSegment[] = [];
  const notes: ElfNote[] = [];
  for (let i = 0; i < phnum; i++) {
    const at = phoff + i * PHDR_SIZE;
    const type = file.readUInt32LE(at);
    const offset = safe(file.readBigUInt64LE(at + 8), 'segment offset', fail);
    const paddr = safe(file.readBigUInt64LE(at + 24), 'segment address', fail);
    const filesz = safe(file.readBigUInt64LE(at + 32), 'segment file size', fail);
    const memsz = safe(file.readBigUInt64LE(at + 40), 'segment memory size', fail);
    if (type === PT_LOAD) {
      if (filesz > memsz) throw fail(`segment ${i} has more bytes in the file than in memory`);
      within(file, offset, filesz, `segment ${i}`, fail);
      segments.push({ guestAddress: paddr, data: file.subarray(offset, offset + filesz), memSize: memsz });
    } else if (type === PT_NOTE) {
      within(file, offset, filesz, `note segment ${i}`, fail);
      notes.push(...parseNotes(file.subarray(offset, offset + filesz), fail));
    }
  }
  if (segments.length === 0) throw fail('no loadable segment');
  return { entry, segments, notes };
}

function parseNotes(area: Buffer, fail: (problem: string) => Error): ElfNote[] {
  const notes: ElfNote[] = [];
  const align4 = (n: number) => (n + 3) & ~3;
  for (let at = 0; at + 12 <= area.length; ) {
    const namesz = area.readUInt32LE(at);
    const descsz = area.readUInt32LE(at + 4);
    const type = area.readUInt32LE(at + 8);
    const nameAt = at + 12;
    const descAt = nameAt + align4(namesz);
    const next = descAt + align4(descsz);
    if (namesz > area.length || descsz > area.length || next > area.length) throw fail('a note runs past its segment');
    // the name's length counts its terminating NUL
    const name = area.toString('latin1', nameAt, nameAt + Math.max(0, namesz - 1));
    notes.push({ name, type, desc: area.subarray(descAt, descAt + descsz) });
    at = next;
  }
  return notes;
}

function safe(value: bigint, what: string, fail: (problem: string) => Error): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw fail(`${what} out of range`);
  return Number(value);
}

function within(file: Buffer, offset: number, length: number, what: string, fail: (problem: string) => Error): void {
  if (offset > file.length || length > file.length - offset) throw fail(`${what} past the end of the file`);
}
