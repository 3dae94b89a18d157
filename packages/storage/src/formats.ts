import type { BlockDevice, CacheMode, ImageFormat, Preallocation } from './block/device.js';
import type { MeasureRequest, MeasureResult } from './block/introspect.js';

/** What opening one image needs to know, passed down a backing chain. */
export interface OpenContext {
  readOnly: boolean;
  /** Open the backing chain too (false: the image alone, as qemu-img's -U/backing-less uses). */
  openBacking: boolean;
  /** Real paths of the images already open above this one, to refuse loops. */
  chain: readonly string[];
  /** The format was probed, not given. */
  probed: boolean;
  /** Only the metadata will be looked at (qemu-img info): an encrypted image opens without its key (QEMU's BDRV_O_NO_IO). */
  metadataOnly?: boolean;
  /** Opened by check: a qcow2 image flagged corrupt may be opened to repair it, a missing refcount table is reported (BDRV_O_CHECK). Never passed to backing files. */
  forCheck?: boolean;
  /** How the image's own files make writes durable (backing files are only read). */
  cache?: CacheMode;
}

/** Options common to `create` for every format; format-specific ones go in `options`. */
export interface CreateRequest {
  path: string;
  /** Virtual size in bytes. */
  size: number;
  preallocation?: Preallocation;
  backingFile?: string;
  backingFormat?: ImageFormat;
  /** Format-specific creation options, by qemu-img's -o names (cluster_size, compat, subformat, ...). */
  options?: Readonly<Record<string, string>>;
}

/** One image format: how to open and create it (libvirt's driver table, for disk images). */
export interface FormatDriver {
  readonly name: ImageFormat;
  open(path: string, context: OpenContext): Promise<BlockDevice>;
  create(request: CreateRequest): Promise<void>;
  /** The file size a new image needs (qemu-img measure). */
  measure(request: MeasureRequest): Promise<MeasureResult>;
  /** The creation options in QEMU's declaration order (the order of create's "Formatting" line; -o help sorts them), with their help text. */
  readonly createOptions: readonly CreateOptionHelp[];
  /** The options qemu-img amend takes, in QEMU's order (absent: the format cannot be amended). */
  readonly amendOptions?: readonly CreateOptionHelp[];
}

export interface CreateOptionHelp {
  name: string;
  /** qemu-img's type column: str, size, bool, num. */
  type: 'str' | 'size' | 'bool' | 'num';
  help: string;
  default?: string;
}
