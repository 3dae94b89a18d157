/**
 * Refcount entries of 1 to 64 bits packed in a refcount block: widths of
 * a byte and more are big-endian integers; narrower ones fill each byte
 * from its least significant bit up.
 */
export interface RefcountCodec {
  get(block: Buffer, index: number): number;
  set(block: Buffer, index: number, value: number): void;
}

export function refcountCodec(order: number): RefcountCodec {
  switch (order) {
    case 0:
    case 1:
    case 2:
      return subByteCodec(2 ** order);
    case 3:
      return { get: (b, i) => b[i]!, set: (b, i, v) => void (b[i] = v) };
    case 4:
      return { get: (b, i) => b.readUInt16BE(i * 2), set: (b, i, v) => void b.writeUInt16BE(v, i * 2) };
    case 5:
      return { get: (b, i) => b.readUInt32BE(i * 4), set: (b, i, v) => void b.writeUInt32BE(v, i * 4) };
    case 6:
      return {
        // values past 2^53 lose precision but stay far above any real count
        get: (b, i) => b.readUInt32BE(i * 8) * 2 ** 32 + b.readUInt32BE(i * 8 + 4),
        set: (b, i, v) => {
          b.writeUInt32BE(Math.floor(v / 2 ** 32), i * 8);
          b.writeUInt32BE(v % 2 ** 32, i * 8 + 4);
        },
      };
    default:
      throw new RangeError(`refcount order ${order}`);
  }
}

function subByteCodec(bits: number): RefcountCodec {
  const perByte = 8 / bits;
  const mask = 2 ** bits - 1;
  return {
    get: (block, index) => (block[Math.floor(index / perByte)]! >> ((index % perByte) * bits)) & mask,
    set: (block, index, value) => {
      const at = Math.floor(index / perByte);
      const shift = (index % perByte) * bits;
      block[at] = (block[at]! & ~(mask << shift)) | ((value & mask) << shift);
    },
  };
}
