import type { CacheMode } from '@virt/storage';
import { fail } from '../command.js';
import type { Output } from '../output.js';

/** QEMU's cache modes by their -t/-T names ("off" is another name for "none"). */
const CACHE_MODES = new Map<string, CacheMode>([
  ['none', 'none'],
  ['off', 'none'],
  ['writeback', 'writeback'],
  ['unsafe', 'unsafe'],
  ['directsync', 'directsync'],
  ['writethrough', 'writethrough'],
]);

/** The library's cache mode for a checked -t/-T value, or `fallback` (the command's default) without one. */
export function cacheMode(mode: string | undefined, fallback: CacheMode = 'writeback'): CacheMode {
  return (mode === undefined ? undefined : CACHE_MODES.get(mode)) ?? fallback;
}

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
