/**
 * struct boot_params, the "zero page" a bzImage reads at entry: the setup
 * header from the image with the loader's fields filled in, and the e820
 * map. Offsets are those of Documentation/x86/zero-page.rst and boot.rst.
 */
import { SETUP_HEADER_END, SETUP_HEADER_OFFSET } from '../../loader/bzimage.js';
import type { E820Entry } from './e820.js';

export const BOOT_PARAMS_SIZE = 0x1000;
const E820_ENTRIES_OFFSET = 0x1e8;
const E820_TABLE_OFFSET = 0x2d0;
const E820_ENTRY_SIZE = 20;
export const E820_MAX_ENTRIES = 128;

const VID_MODE = 0x1fa;
const TYPE_OF_LOADER = 0x210;
const LOADFLAGS = 0x211;
const RAMDISK_IMAGE = 0x218;
const RAMDISK_SIZE = 0x21c;
const HEAP_END_PTR = 0x224;
const CMD_LINE_PTR = 0x228;

/** "Undefined" boot loader: no registered ID (boot.rst's 0xff). */
const LOADER_UNDEFINED = 0xff;
const CAN_USE_HEAP = 1 << 7;
const KEEP_SEGMENTS = 1 << 6;
/** Normal VGA text mode: no mode switch. */
const VID_MODE_NORMAL = 0xffff;
/** The end of the setup heap, relative to the real-mode code (boot.rst's usual 0xde00 with a 0x200 stack). */
const HEAP_END = 0xfe00;

export interface BootParamsInput {
  setupHeader: Buffer;
  cmdlineAddress: number;
  initrd?: { address: number; size: number };
  e820: E820Entry[];
}

export function encodeBootParams(input: BootParamsInput): Buffer {
  if (input.setupHeader.length !== SETUP_HEADER_END - SETUP_HEADER_OFFSET) throw new RangeError('setup header of the wrong size');
  if (input.e820.length > E820_MAX_ENTRIES) throw new RangeError(`at most ${E820_MAX_ENTRIES} e820 entries`);
  const page = Buffer.alloc(BOOT_PARAMS_SIZE);
  input.setupHeader.copy(page, SETUP_HEADER_OFFSET);
  page.writeUInt16LE(VID_MODE_NORMAL, VID_MODE);
  page[TYPE_OF_LOADER] = LOADER_UNDEFINED;
  page[LOADFLAGS] = (page[LOADFLAGS]! | CAN_USE_HEAP) & ~KEEP_SEGMENTS;
  page.writeUInt16LE(HEAP_END, HEAP_END_PTR);
  page.writeUInt32LE(input.cmdlineAddress, CMD_LINE_PTR);
  page.writeUInt32LE(input.initrd?.address ?? 0, RAMDISK_IMAGE);
  page.writeUInt32LE(input.initrd?.size ?? 0, RAMDISK_SIZE);
  page[E820_ENTRIES_OFFSET] = input.e820.length;
  input.e820.forEach((entry, i) => {
    const at = E820_TABLE_OFFSET + i * E820_ENTRY_SIZE;
    page.writeBigUInt64LE(BigInt(entry.address), at);
    page.writeBigUInt64LE(BigInt(entry.size), at + 8);
    page.writeUInt32LE(entry.type, at + 16);
  });
  return page;
}
