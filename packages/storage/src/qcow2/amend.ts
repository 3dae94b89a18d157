import { invalidArgument, unsupported } from '../errors.js';
import { COMPAT_LAZY_REFCOUNTS } from './constants.js';
import { booleanOption, parseCompat, sizeOption } from './options.js';
import { resize } from './resize.js';
import type { Qcow2State } from './state.js';

/** Options qemu-img amend can change on a qcow2 image; the others are fixed at creation. */
const AMENDABLE = new Set(['compat', 'lazy_refcounts', 'size', 'backing_file', 'backing_fmt']);

/**
 * qemu-img amend: raise the compatibility level, switch lazy refcounts,
 * change the size or the backing file name. Refcounts are always kept
 * exact here, so switching lazy refcounts only changes the header bit.
 */
export async function amend(state: Qcow2State, options: Readonly<Record<string, string>>): Promise<void> {
  for (const name of Object.keys(options)) {
    if (!AMENDABLE.has(name)) throw unsupported(`Changing the option '${name}' is not supported`);
  }
  const header = state.header;
  const version = options.compat === undefined ? header.version : parseCompat(options.compat);
  if (version < header.version) throw unsupported('Downgrading to compat=0.10 is not supported');
  const lazy = booleanOption(options, 'lazy_refcounts', (header.compatible & COMPAT_LAZY_REFCOUNTS) !== 0n);
  if (lazy && version < 3) throw invalidArgument('Lazy refcounts only supported with compatibility level 1.1 and above (use version=v3 or greater)');
  if (options.backing_fmt !== undefined && options.backing_file === undefined && header.backingFile === undefined) {
    throw invalidArgument('Backing format cannot be used without backing file');
  }

  header.version = version;
  header.compatible = lazy ? header.compatible | COMPAT_LAZY_REFCOUNTS : header.compatible & ~COMPAT_LAZY_REFCOUNTS;
  if (options.backing_file !== undefined) header.backingFile = options.backing_file;
  if (options.backing_fmt !== undefined) header.backingFormat = options.backing_fmt;
  await state.rewriteHeader();
  if (options.size !== undefined) {
    const size = sizeOption(options, 'size', state.size);
    if (size !== state.size) await resize(state, size, 'off');
  }
}
