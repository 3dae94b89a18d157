/**
 * What `<os><kernel>` names: told apart by content, as the file decides how
 * it must be started.
 */
import { readFileSync, statSync } from 'node:fs';
import { VirtError } from '@virt/core-api';
import { unsupportedConfig } from '../domain/errors.js';
import { isBzImage, parseBzImage, type BzImage } from './bzimage.js';
import { isElf, parseElf, type ElfImage } from './elf.js';
import { imageError } from './image-error.js';

export type KernelImage = { kind: 'user-program'; path: string; elf: ElfImage } | { kind: 'bzimage'; path: string; bzImage: BzImage };

/** A kernel larger than this is a mistake, not a kernel (Debian's bzImage is ~8 MiB). */
const MAX_KERNEL_SIZE = 512 << 20;
/** The ELF note of a @virt user-mode program (tools/guest-programs/runtime/start.S). */
const VIRT_NOTE_NAME = 'virt';
const VIRT_NOTE_USER_MODE = 1;
/** XEN_ELFNOTE_PHYS32_ENTRY: the PVH entry point. */
const XEN_NOTE_NAME = 'Xen';
const XEN_ELFNOTE_PHYS32_ENTRY = 18;

export function loadKernelImage(path: string): KernelImage {
  let file: Buffer;
  try {
    if (statSync(path).size > MAX_KERNEL_SIZE) throw imageError(path, 'larger than 512 MiB');
    file = readFileSync(path);
  } catch (err) {
    if (VirtError.isVirtError(err)) throw err;
    throw imageError(path, (err as Error).message);
  }
  if (isElf(file)) {
    const elf = parseElf(file, path);
    if (elf.notes.some((n) => n.name === VIRT_NOTE_NAME && n.type === VIRT_NOTE_USER_MODE)) return { kind: 'user-program', path, elf };
    if (elf.notes.some((n) => n.name === XEN_NOTE_NAME && n.type === XEN_ELFNOTE_PHYS32_ENTRY)) {
      throw unsupportedConfig(`kernel '${path}' is a PVH ELF image, which the kvm driver cannot boot yet`);
    }
    throw imageError(path, 'an ELF file without a PVH entry note or a @virt user-mode note');
  }
  if (isBzImage(file)) return { kind: 'bzimage', path, bzImage: parseBzImage(file, path) };
  throw imageError(path, 'not a bzImage, a PVH ELF image or a @virt user-mode program');
}
