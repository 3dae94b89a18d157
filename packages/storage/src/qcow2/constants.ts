/*
 * Numbers the qcow2 format defines (docs/interop/qcow2.txt) and the limits
 * QEMU 7.2 enforces on top of it. 64-bit header fields that hold bit sets
 * are bigints; everything that is an offset or a size is a number.
 */

export const QCOW2_MAGIC = 0x514649fb;

/** Cluster sizes from 512 bytes to 2 MiB. */
export const MIN_CLUSTER_BITS = 9;
export const MAX_CLUSTER_BITS = 21;

export const V2_HEADER_LENGTH = 72;
/** The v3 header up to and including the compression type byte, as QEMU declares it. */
export const V3_MIN_HEADER_LENGTH = 104;
/** What QEMU writes as header_length for v3 (the compression type byte plus padding). */
export const V3_HEADER_LENGTH = 112;

/** Byte offsets of the header fields QEMU updates in place. */
export const HEADER = {
  backingFileOffset: 8,
  size: 24,
  l1Size: 36,
  l1TableOffset: 40,
  refcountTableOffset: 48,
  nbSnapshots: 60,
  snapshotsOffset: 64,
  incompatibleFeatures: 72,
} as const;

export const CRYPT_NONE = 0;
export const CRYPT_AES = 1;
export const CRYPT_LUKS = 2;

export const INCOMPAT_DIRTY = 1n << 0n;
export const INCOMPAT_CORRUPT = 1n << 1n;
export const INCOMPAT_DATA_FILE = 1n << 2n;
export const INCOMPAT_COMPRESSION = 1n << 3n;
export const INCOMPAT_EXTL2 = 1n << 4n;
export const INCOMPAT_MASK = 0x1fn;

export const COMPAT_LAZY_REFCOUNTS = 1n << 0n;

export const AUTOCLEAR_BITMAPS = 1n << 0n;
export const AUTOCLEAR_DATA_FILE_RAW = 1n << 1n;
export const AUTOCLEAR_MASK = 0x3n;

export const COMPRESSION_ZLIB = 0;
export const COMPRESSION_ZSTD = 1;

/** Header extension types. */
export const EXT_END = 0x00000000;
export const EXT_BACKING_FORMAT = 0xe2792aca;
export const EXT_FEATURE_TABLE = 0x6803f857;
export const EXT_CRYPTO_HEADER = 0x0537be77;
export const EXT_BITMAPS = 0x23852875;
export const EXT_DATA_FILE = 0x44415441;

/** Feature name table entry types. */
export const FEATURE_INCOMPATIBLE = 0;
export const FEATURE_COMPATIBLE = 1;
export const FEATURE_AUTOCLEAR = 2;
export const FEATURE_NAME_ENTRY_SIZE = 48;

/** The feature name table QEMU writes into v3 headers of images with clusters above 4 KiB. */
export const FEATURE_NAMES: readonly { type: number; bit: number; name: string }[] = [
  { type: FEATURE_INCOMPATIBLE, bit: 0, name: 'dirty bit' },
  { type: FEATURE_INCOMPATIBLE, bit: 1, name: 'corrupt bit' },
  { type: FEATURE_INCOMPATIBLE, bit: 2, name: 'external data file' },
  { type: FEATURE_INCOMPATIBLE, bit: 3, name: 'compression type' },
  { type: FEATURE_INCOMPATIBLE, bit: 4, name: 'extended L2 entries' },
  { type: FEATURE_COMPATIBLE, bit: 0, name: 'lazy refcounts' },
  { type: FEATURE_AUTOCLEAR, bit: 0, name: 'bitmaps' },
  { type: FEATURE_AUTOCLEAR, bit: 1, name: 'raw external data' },
];

const MiB = 1024 * 1024;

/** QEMU's limits: the largest L1 table and refcount table it accepts, in bytes. */
export const MAX_L1_BYTES = 32 * MiB;
export const MAX_REFTABLE_BYTES = 8 * MiB;
export const MAX_L1_ENTRIES = MAX_L1_BYTES / 8;

/** Host offsets of clusters must stay below 2^56. */
export const MAX_CLUSTER_OFFSET = 2 ** 56 - 1;

export const MAX_SNAPSHOTS = 65536;
export const MAX_SNAPSHOT_EXTRA_DATA = 1024;
export const MAX_SNAPSHOTS_SIZE = 1024 * MAX_SNAPSHOTS;
/** The fixed part of a snapshot table entry, and the extra data QEMU writes. */
export const SNAPSHOT_HEADER_SIZE = 40;
export const SNAPSHOT_EXTRA_SIZE = 24;

export const MAX_BITMAPS = 65535;
export const MAX_BITMAP_DIRECTORY_SIZE = 1024 * MAX_BITMAPS;

/** Compressed data is addressed in 512-byte sectors. */
export const COMPRESSED_SECTOR = 512;

/** Extended L2 entries split a cluster into this many subclusters. */
export const SUBCLUSTERS_PER_CLUSTER = 32;

/*
 * Masks of 64-bit entries, split into their high and low 32-bit words so
 * that entries can be handled as numbers without losing bits.
 */
/** Bit 63 of an L1 or L2 entry: the cluster's refcount is exactly 1. */
export const COPIED_HI = 0x80000000;
/** Bit 62 of an L2 entry: the cluster is compressed. */
export const COMPRESSED_HI = 0x40000000;
/** Bit 0 of a standard L2 entry (v3): the cluster reads as zeros. */
export const ZERO_LO = 0x1;
/** Bits 9..55: the offset of an L2 table or a data cluster. */
export const OFFSET_HI = 0x00ffffff;
export const OFFSET_LO = 0xfffffe00;
/** Reserved bits of an L1 entry: 0x7f000000000001ff. */
export const L1_RESERVED_HI = 0x7f000000;
export const L1_RESERVED_LO = 0x000001ff;
/** Reserved bits of a standard cluster descriptor as qemu-img check applies them: 0x3f000000000001fe. */
export const L2_RESERVED_HI = 0x3f000000;
export const L2_RESERVED_LO = 0x000001fe;
/** Reserved bits of a refcount table entry. */
export const REFTABLE_RESERVED_LO = 0x1ff;

/** Caches: at most this many bytes of L2 tables and of refcount blocks are kept in memory. */
export const L2_CACHE_BYTES = 8 * MiB;
export const REFCOUNT_CACHE_BYTES = 2 * MiB;
/** ... but at least this many tables, whatever the cluster size. */
export const MIN_CACHED_TABLES = 4;
