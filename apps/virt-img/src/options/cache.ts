import { fail } from '../command.js';
import type { Output } from '../output.js';

/** QEMU's cache modes: all are accepted; the library's I/O does not depend on them. */
const CACHE_MODES = new Set(['none', 'off', 'writeback', 'unsafe', 'directsync', 'writethrough']);

export function isCacheMode(mode: string): boolean {
  return CACHE_MODES.has(mode);
}

/** -t: "Invalid cache option: x" for a mode QEMU does not know. */
export function checkCacheMode(out: Output, mode: string | undefined, status = 1): void {
  if (mode !== undefined && !CACHE_MODES.has(mode)) fail(out, `Invalid cache option: ${mode}`, status);
}

/** -T: as -t, for the source image. */
export function checkSourceCacheMode(out: Output, mode: string | undefined, status = 1): void {
  if (mode !== undefined && !CACHE_MODES.has(mode)) fail(out, `Invalid source cache option: ${mode}`, status);
}
