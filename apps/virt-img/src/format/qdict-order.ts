/*
 * qemu-img's JSON objects (and the "Format specific information" dump)
 * come out of a QDict, a hash table of 512 buckets walked in bucket order,
 * the key inserted last coming first within a bucket. The order is fixed
 * but neither alphabetical nor the schema's, so it is computed here from
 * the same hash over the key's UTF-8 bytes.
 */

const BUCKETS = 512;

/** The bucket QEMU's QDict puts `key` in. */
export function qdictBucket(key: string): number {
  const bytes = Buffer.from(key, 'utf8');
  let hash = Math.imul(0x238f13af, bytes.length) >>> 0;
  bytes.forEach((byte, i) => {
    hash = (hash + ((byte << ((i * 5) % 24)) >>> 0)) >>> 0;
  });
  hash = (Math.imul(1103515243, hash) + 12345) >>> 0;
  return hash % BUCKETS;
}

/** The keys of an object in the order QEMU prints them, given the order they were inserted in. */
export function qdictOrder(keys: readonly string[]): string[] {
  return keys
    .map((key, inserted) => ({ key, inserted, bucket: qdictBucket(key) }))
    .sort((a, b) => a.bucket - b.bucket || b.inserted - a.inserted)
    .map((entry) => entry.key);
}
