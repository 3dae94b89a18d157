/**
 * A Linux bzImage (Documentation/x86/boot.rst): its setup header, and the
 * protected-mode kernel after the real-mode setup sectors. Only kernels with
 * the 64-bit entry point (boot protocol 2.12+, XLF_KERNEL_64) are taken.
 */
import { imageError } from './image-error.js';

export interface BzImage {
  /** The setup header as in the file (0x1f1 up to the end of what the protocol version defines). */
  setupHeader: Buffer;
  /** The protected-mode kernel: loaded at HIMEM_START, entered at +0x200 in long mode. */
  kernel: Buffer;
  protocolVersion: number;
  /** The highest address the initrd may end at. */
  initrdAddrMax: number;
  /** The longest command line, without its NUL. */
  cmdlineSize: number;
}

export const SETUP_HEADER_OFFSET = 0x1f1;
/** The setup header's end for protocol 2.15 (kernel_info_offset at 0x268). */
export const SETUP_HEADER_END = 0x26c;
const BOOT_FLAG = 0xaa55;
const HDRS_MAGIC = 0x53726448;
const XLF_KERNEL_64 = 1 << 0;
const LOADED_HIGH = 1 << 0;
const MIN_PROTOCOL = 0x20c;

export function isBzImage(file: Buffer): boolean {
  return file.length >= SETUP_HEADER_END && file.readUInt16LE(0x1fe) === BOOT_FLAG && file.readUInt32LE(0x202) === HDRS_MAGIC;
}

export function parseBzImage(file: Buffer, path: string): BzImage {
  const fail = (problem: string) => imageError(path, problem);
  if (!isBzImage(file)) throw fail('not a bzImage');
  const protocolVersion = file.readUInt16LE(0x206);
  if (protocolVersion < MIN_PROTOCOL) throw fail(`boot protocol ${protocolVersion >> 8}.${protocolVersion & 0xff} is older than 2.12 (no 64-bit entry)`);
  if (!(file.readUInt16LE(0x236) & XLF_KERNEL_64)) throw fail('the kernel has no 64-bit entry point');
  if (!(file[0x211]! & LOADED_HIGH)) throw fail('a zImage (loaded low) is not supported');
  // 0 setup sectors means 4, for historical reasons
  const setupSectors = file[0x1f1] || 4;
  const kernelOffset = (setupSectors + 1) * 512;
  if (kernelOffset >= file.length) throw fail('the setup sectors run past the end of the file');
  return {
    setupHeader: Buffer.from(file.subarray(SETUP_HEADER_OFFSET, SETUP_HEADER_END)),
    kernel: file.subarray(kernelOffset),
    protocolVersion,
    initrdAddrMax: file.readUInt32LE(0x22c),
    cmdlineSize: file.readUInt32LE(0x238),
  };
}
