import { ErrorCode, ErrorDomain } from '../errors/codes.js';
import { VirtError } from '../errors/virt-error.js';

/**
 * Parse a CPU/node set such as "0-3,^2,8" (virBitmapParse) into sorted
 * members. Throws libvirt's "Failed to parse bitmap '...'" error.
 */
export function parseCpuSet(text: string, domain = ErrorDomain.NONE): number[] {
  const fail = (): VirtError => VirtError.create(ErrorCode.INVALID_ARG, domain, `Failed to parse bitmap '${text}'`);
  const include = new Set<number>();
  const exclude = new Set<number>();
  if (text.trim() === '') throw fail();
  for (const raw of text.split(',')) {
    const item = raw.trim();
    const negate = item.startsWith('^');
    const body = negate ? item.slice(1) : item;
    const m = /^(\d+)(?:-(\d+))?$/.exec(body);
    if (!m) throw fail();
    const start = Number(m[1]);
    const end = m[2] === undefined ? start : Number(m[2]);
    if (end < start || (negate && m[2] !== undefined)) throw fail();
    for (let i = start; i <= end; i++) (negate ? exclude : include).add(i);
  }
  return [...include].filter((i) => !exclude.has(i)).sort((a, b) => a - b);
}

/** Format members as libvirt does: runs of two or more become "a-b". */
export function formatCpuSet(members: readonly number[]): string {
  const sorted = [...new Set(members)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    parts.push(j > i ? `${sorted[i]}-${sorted[j]}` : `${sorted[i]}`);
    i = j + 1;
  }
  return parts.join(',');
}
