/** The bytes operation `n` of the kill test writes (length a multiple of 4): recomputable from `n` alone. */
export function pattern(n, length) {
  const buf = Buffer.alloc(length);
  for (let i = 0; i < length; i += 4) buf.writeUInt32LE((Math.imul(n + 1, 2654435761) + i) >>> 0, i);
  return buf;
}
