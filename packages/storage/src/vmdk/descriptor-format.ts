import { cidToken } from './descriptor-parse.js';

/** What a new descriptor says, for the template qemu-img writes. */
export interface NewDescriptor {
  cid: number;
  parentCid: number;
  createType: string;
  /** The backing file name exactly as given at create time. */
  parentHint?: string;
  /** Extent lines, without their newlines. */
  extentLines: string[];
  hwVersion: string;
  adapterType: string;
  /** Heads of the geometry: 16 for IDE, 255 for the SCSI adapters. */
  heads: number;
  /** The disk size in bytes, for the cylinder count. */
  diskBytes: number;
  toolsVersion: string;
}

/**
 * The descriptor text qemu-img writes, byte for byte. Without a backing
 * file an empty line stands before "# Extent description"; with one, the
 * parentFileNameHint line takes its place.
 */
export function formatDescriptor(d: NewDescriptor): string {
  const cylinders = Math.floor(d.diskBytes / (63 * d.heads * 512));
  return [
    '# Disk DescriptorFile',
    'version=1',
    `CID=${d.cid.toString(16)}`,
    `parentCID=${d.parentCid.toString(16)}`,
    `createType="${d.createType}"`,
    d.parentHint === undefined ? '' : `parentFileNameHint="${d.parentHint}"`,
    '# Extent description',
    ...d.extentLines,
    '',
    '# The Disk Data Base',
    '#DDB',
    '',
    `ddb.virtualHWVersion = "${d.hwVersion}"`,
    `ddb.geometry.cylinders = "${cylinders}"`,
    `ddb.geometry.heads = "${d.heads}"`,
    'ddb.geometry.sectors = "63"',
    `ddb.adapterType = "${d.adapterType}"`,
    `ddb.toolsVersion = "${d.toolsVersion}"`,
    '',
  ].join('\n');
}

/** A random 32-bit CID (QEMU uses g_random_int). */
export function randomCid(): number {
  return crypto.getRandomValues(new Uint32Array(1))[0] ?? 0;
}

/** A change to descriptor text: `remove` chars at `at` replaced by `insert`. */
export interface TextEdit {
  at: number;
  remove: number;
  insert: string;
}

/**
 * How to give the descriptor text a new CID, or undefined when it has no
 * CID to change. Only the CID's digits change, and the new CID has as many
 * of them as the old one, so the text keeps its length and the rewrite
 * touches a few bytes in place. (QEMU rewrites the whole descriptor from
 * the CID line on, which drops any line between CID and parentCID, and
 * corrupts descriptors whose parentCID comes first; when the first "CID"
 * here is the one inside "parentCID", a CID line is inserted before it.)
 */
export function cidEdit(text: string, oldCid: number): { cid: number; edit: TextEdit } | undefined {
  const at = text.indexOf('CID');
  if (at < 0) return undefined;
  if (text.slice(Math.max(0, at - 6), at) === 'parent') {
    const lineStart = text.lastIndexOf('\n', at) + 1;
    const cid = freshCid(oldCid, 8);
    return { cid, edit: { at: lineStart, remove: 0, insert: `CID=${cid.toString(16)}\n` } };
  }
  const token = cidToken(text, at + 4);
  if (!token) return undefined;
  const width = token.end - token.valueStart;
  const cid = freshCid(oldCid, width);
  const digits = width > 8 ? cid.toString(16).padStart(width, '0') : cid.toString(16);
  return { cid, edit: { at: token.valueStart, remove: width, insert: digits } };
}

/** A random CID other than `old`, printed with exactly `width` hex digits (at most 8 significant). */
function freshCid(old: number, width: number): number {
  const digits = Math.min(width, 8);
  const low = digits === 1 ? 0 : 16 ** (digits - 1);
  const span = 16 ** digits - low;
  for (;;) {
    const cid = low + (randomCid() % span);
    if (cid !== old) return cid;
  }
}
