/** Sizes, magic numbers and limits of the VMDK format, as VMware defines them and QEMU enforces them. */

export const SECTOR = 512;

/** "KDMV": a hosted sparse extent (VMDK4), read as a big-endian u32. */
export const VMDK4_MAGIC = 0x4b444d56;
/** "COWD": an ESX 2.x / GSX sparse extent (VMDK3). */
export const VMDK3_MAGIC = 0x434f5744;

/** Header flags of a hosted sparse extent. */
export const FLAG_NL_DETECT = 0x1;
export const FLAG_RGD = 0x2;
export const FLAG_ZERO_GRAIN = 0x4;
export const FLAG_COMPRESS = 0x10000;
export const FLAG_MARKER = 0x20000;

export const COMPRESSION_DEFLATE = 1;

/** A gd_offset meaning "the grain directory is at the end: read the footer" (stream files). */
export const GD_AT_END = 0xffffffffffffffffn;

/** A grain table entry marking a zeroed grain, when FLAG_ZERO_GRAIN is set. */
export const GTE_ZEROED = 1;

/** How much of a descriptor QEMU reads for CID, parentCID and parentFileNameHint. */
export const DESC_SIZE = 10240;
/** Where the descriptor of a monolithic sparse file starts (QEMU looks nowhere else for the CID). */
export const EMBEDDED_DESC_OFFSET = 0x200;
/** A separate descriptor file is parsed up to this many bytes. */
export const MAX_DESCRIPTOR_BYTES = (1 << 20) - 1;

/** Limits QEMU puts on a sparse extent's geometry. */
export const MAX_GTES_PER_GT = 512;
export const MAX_GRAIN_SECTORS = 0x200000;
export const MAX_L1_SIZE = 32 * 1024 * 1024;
/** Grain and table sectors are stored in u32 entries: nothing can be placed at or past 2 TiB of an extent file. */
export const MAX_SPARSE_FILE_SECTORS = 2 ** 32;

/** Geometry QEMU gives the sparse extents it creates. */
export const CREATE_GRAIN_SECTORS = 128;
export const CREATE_GTES_PER_GT = 512;
/** Sectors reserved for the embedded descriptor (sectors 1..20). */
export const CREATE_DESC_SECTORS = 20;
/** twoGbMaxExtent* split the disk into extents of exactly this many bytes. */
export const SPLIT_EXTENT_BYTES = 0x80000000;

/** Stream metadata marker types. */
export const MARKER_END_OF_STREAM = 0;
export const MARKER_GRAIN_TABLE = 1;
export const MARKER_GRAIN_DIRECTORY = 2;
export const MARKER_FOOTER = 3;
