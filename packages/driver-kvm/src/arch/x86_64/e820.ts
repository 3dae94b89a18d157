/**
 * The BIOS memory map (e820) a Linux guest gets in boot_params: RAM below
 * the EBDA, RAM from 1 MiB to the MMIO gap (or the end of RAM), RAM above
 * 4 GiB; the legacy area and the gap are left out, so they count as reserved.
 */
import { EBDA_START, HIMEM_START, MMIO_GAP_END, MMIO_GAP_START } from './layout.js';

export const E820_RAM = 1;
export const E820_RESERVED = 2;

export interface E820Entry {
  address: number;
  size: number;
  type: number;
}

export function e820Map(ramSize: number): E820Entry[] {
  const map: E820Entry[] = [{ address: 0, size: EBDA_START, type: E820_RAM }];
  const lowEnd = Math.min(ramSize, MMIO_GAP_START);
  if (lowEnd > HIMEM_START) map.push({ address: HIMEM_START, size: lowEnd - HIMEM_START, type: E820_RAM });
  if (ramSize > MMIO_GAP_START) map.push({ address: MMIO_GAP_END, size: ramSize - MMIO_GAP_START, type: E820_RAM });
  return map;
}
