import { corruptImage, unsupported } from '../errors.js';

/*
 * Reading descriptor text the way QEMU does, so that the same files open
 * and the same ones fail, with the same messages. The text is handled as
 * latin1 (one char per byte) and ends at the first NUL: QEMU pads
 * descriptors with NULs when it rewrites them.
 */

export type ExtentType = 'FLAT' | 'SPARSE' | 'VMFS' | 'VMFSSPARSE' | 'SESPARSE';

export interface ExtentLine {
  /** Extent size in sectors, as the line gives it (sparse extents take theirs from their header). */
  sectors: number;
  type: ExtentType;
  /** The file name, relative to the descriptor's folder unless absolute. */
  fileName: string;
  /** Where a flat extent's data starts in its file, in sectors. */
  flatOffset: number;
}

export interface DescriptorFile {
  createType: string;
  extents: ExtentLine[];
}

/** The create types QEMU opens from a separate descriptor file. */
const OPENABLE_CREATE_TYPES = new Set(['monolithicFlat', 'vmfs', 'vmfsSparse', 'seSparse', 'twoGbMaxExtentSparse', 'twoGbMaxExtentFlat']);

const EXTENT_TYPES = new Set<string>(['FLAT', 'SPARSE', 'VMFS', 'VMFSSPARSE', 'SESPARSE']);

/** Descriptor bytes as text: one char per byte, up to the first NUL. */
export function descriptorText(bytes: Buffer): string {
  const nul = bytes.indexOf(0);
  return bytes.toString('latin1', 0, nul < 0 ? bytes.length : nul);
}

/** Parse a separate descriptor file (or a sparse file's embedded one, opened as such). */
export function parseDescriptorFile(text: string): DescriptorFile {
  const createType = quotedValue(text, 'createType');
  if (createType === undefined) throw corruptImage('invalid VMDK image descriptor');
  if (!OPENABLE_CREATE_TYPES.has(createType)) throw unsupported(`Unsupported image type '${createType}'`);
  const extents: ExtentLine[] = [];
  for (const line of text.split('\n')) {
    const extent = parseExtentLine(line);
    if (extent) extents.push(extent);
  }
  return { createType, extents };
}

/**
 * The value of `key="value"`: QEMU takes the first occurrence of the key
 * anywhere, skips two characters (assumed `="`) and reads up to the next
 * quote, in a 128-byte buffer.
 */
function quotedValue(text: string, key: string): string | undefined {
  const at = text.indexOf(key);
  if (at < 0) return undefined;
  const start = at + key.length + 2;
  if (start >= text.length) return undefined;
  const end = text.indexOf('"', start);
  if (end < 0 || end - start + 1 > 128) return undefined;
  return text.slice(start, end);
}

/**
 * One extent line, `RW <sectors> <TYPE> "<file>" [<offset>]`, by QEMU's
 * rules: lines that do not match, or whose access is not RW, or whose size
 * or type is unusable, are ignored; a FLAT line needs an offset, and no
 * other type may have one (VMFS takes 0).
 *
 * Deliberate difference: QEMU scans with sscanf from the start of each
 * line, which skips newlines, so a blank line before an extent line makes
 * it read that extent twice (doubling the disk). Each line is scanned on
 * its own here.
 */
function parseExtentLine(line: string): ExtentLine | undefined {
  const fields = scanExtentFields(line);
  if (fields.count < 4 || fields.access !== 'RW') return undefined;
  const invalid = (): Error => corruptImage(`Invalid extent line: ${line}`);
  let flatOffset = fields.offset;
  if (fields.type === 'FLAT') {
    if (fields.count !== 5 || flatOffset < 0n) throw invalid();
  } else if (fields.type === 'VMFS') {
    if (fields.count !== 4) throw invalid();
    flatOffset = 0n;
  } else if (fields.count !== 4) {
    throw invalid();
  }
  if (fields.sectors <= 0n || !EXTENT_TYPES.has(fields.type)) return undefined;
  if (fields.sectors * 512n > BigInt(Number.MAX_SAFE_INTEGER) || flatOffset * 512n > BigInt(Number.MAX_SAFE_INTEGER)) throw invalid();
  return {
    sectors: Number(fields.sectors),
    type: fields.type as ExtentType,
    fileName: Buffer.from(fields.fileName, 'latin1').toString('utf8'),
    flatOffset: Number(flatOffset),
  };
}

interface ExtentFields {
  /** How many fields matched, as sscanf counts them. */
  count: number;
  access: string;
  sectors: bigint;
  type: string;
  fileName: string;
  offset: bigint;
}

const isSpace = (c: string | undefined): boolean => c === ' ' || c === '\t' || c === '\n' || c === '\v' || c === '\f' || c === '\r';
const INT64_MAX = (1n << 63n) - 1n;
const INT64_MIN = -(1n << 63n);

/** `sscanf(line, "%10s %lld %10s \"%511[^\n\r\"]\" %lld", ...)`, on one line. */
function scanExtentFields(line: string): ExtentFields {
  const fields: ExtentFields = { count: 0, access: '', sectors: 0n, type: '', fileName: '', offset: -1n };
  let pos = 0;
  const skipSpace = (): void => {
    while (isSpace(line[pos])) pos++;
  };
  const word = (max: number): string | undefined => {
    skipSpace();
    const start = pos;
    while (pos < line.length && pos - start < max && !isSpace(line[pos])) pos++;
    return pos > start ? line.slice(start, pos) : undefined;
  };
  const integer = (): bigint | undefined => {
    skipSpace();
    const match = /^[+-]?[0-9]+/.exec(line.slice(pos));
    if (!match) return undefined;
    pos += match[0].length;
    const value = BigInt(match[0]);
    // strtoll saturates
    return value > INT64_MAX ? INT64_MAX : value < INT64_MIN ? INT64_MIN : value;
  };

  const access = word(10);
  if (access === undefined) return fields;
  fields.access = access;
  fields.count = 1;
  const sectors = integer();
  if (sectors === undefined) return fields;
  fields.sectors = sectors;
  fields.count = 2;
  const type = word(10);
  if (type === undefined) return fields;
  fields.type = type;
  fields.count = 3;
  skipSpace();
  if (line[pos] !== '"') return fields;
  pos++;
  const nameStart = pos;
  while (pos < line.length && pos - nameStart < 511 && line[pos] !== '\r' && line[pos] !== '"') pos++;
  if (pos === nameStart) return fields;
  fields.fileName = line.slice(nameStart, pos);
  fields.count = 4;
  if (line[pos] !== '"') return fields;
  pos++;
  const offset = integer();
  if (offset === undefined) return fields;
  fields.offset = offset;
  fields.count = 5;
  return fields;
}

/**
 * A CID field as QEMU reads it: the first occurrence of `key`, one more
 * character skipped (the `=`), then `%x` (blanks, a sign and 0x allowed;
 * the value is taken modulo 2^32 as a C cast would).
 */
export function readCidField(text: string, key: 'CID' | 'parentCID'): number | undefined {
  const at = text.indexOf(key);
  if (at < 0) return undefined;
  const token = cidToken(text, at + key.length + 1);
  if (!token) return undefined;
  return Number(BigInt.asUintN(32, token.value));
}

export interface CidToken {
  start: number;
  end: number;
  /** Where the value starts, after leading blanks (at its sign, 0x or first digit). */
  valueStart: number;
  value: bigint;
}

/** The `%x` token at `pos`, as strtoul reads it (saturating at 2^64 - 1). */
export function cidToken(text: string, pos: number): CidToken | undefined {
  const match = /^([ \t\n\v\f\r]*)([+-]?)(0[xX](?=[0-9a-fA-F]))?([0-9a-fA-F]+)/.exec(text.slice(pos));
  if (!match) return undefined;
  const digits = match[4] ?? '';
  let value = BigInt(`0x${digits}`);
  if (value > 0xffffffffffffffffn) value = 0xffffffffffffffffn;
  if (match[2] === '-') value = BigInt.asUintN(64, -value);
  return { start: pos, end: pos + match[0].length, valueStart: pos + (match[1] ?? '').length, value };
}

export type ParentHint = { name: string } | { malformed: true } | undefined;

/**
 * `parentFileNameHint="..."` as QEMU reads it: first occurrence, 20
 * characters skipped, up to the next quote; no closing quote or a name of
 * 4096 characters or more is an error. An empty name means no parent.
 */
export function readParentHint(text: string): ParentHint {
  const key = 'parentFileNameHint';
  const at = text.indexOf(key);
  if (at < 0) return undefined;
  const start = at + key.length + 2;
  const end = text.indexOf('"', start);
  if (start > text.length || end < 0 || end - start > 4095) return { malformed: true };
  const name = Buffer.from(text.slice(start, end), 'latin1').toString('utf8');
  return name === '' ? undefined : { name };
}
