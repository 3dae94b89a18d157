/** Unsigned 64-bit big-endian fields holding offsets or sizes (below 2^53, so exact as numbers). */
export function readU64(buf: Buffer, at: number): number {
  return buf.readUInt32BE(at) * 2 ** 32 + buf.readUInt32BE(at + 4);
}

export function writeU64(buf: Buffer, at: number, value: number): void {
  buf.writeUInt32BE(Math.floor(value / 2 ** 32), at);
  buf.writeUInt32BE(value % 2 ** 32, at + 4);
}
