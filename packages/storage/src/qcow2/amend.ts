import { invalidArgument, unsupported } from '../errors.js';
import type { CreateOptionHelp } from '../formats.js';
import { COMPAT_LAZY_REFCOUNTS, CRYPT_AES, CRYPT_NONE } from './constants.js';
import { downgrade } from './downgrade.js';
import { booleanOption, numberOption, QCOW2_CREATE_OPTIONS, sizeOption } from './options.js';
import { resize } from './resize.js';
import type { Qcow2State } from './state.js';

const shared = (name: string): CreateOptionHelp => QCOW2_CREATE_OPTIONS.find((o) => o.name === name)!;

/** What qemu-img amend takes for qcow2: the creation options that can change, and LUKS key-slot updates. */
export const QCOW2_AMEND_OPTIONS: readonly CreateOptionHelp[] = [
  { name: 'encrypt.state', type: 'str', help: 'Select new state of affected keyslots (active/inactive)' },
  { name: 'encrypt.keyslot', type: 'num', help: 'Select a single keyslot to modify explicitly' },
  { name: 'encrypt.old-secret', type: 'str', help: 'Select all keyslots that match this password' },
  { name: 'encrypt.new-secret', type: 'str', help: 'New secret to set in the matching keyslots. Empty string to erase' },
  shared('encrypt.iter-time'),
  ...['size', 'compat', 'backing_file', 'backing_fmt', 'data_file', 'data_file_raw', 'lazy_refcounts', 'refcount_bits'].map(shared),
];

/**
 * qemu-img amend, in QEMU's order: check every option, upgrade, change
 * the refcount width (refused here), write the header, refuse a new
 * backing file (rebase's business),
 * switch lazy refcounts, resize, and downgrade last. Refcounts are always
 * kept exact here, so switching lazy refcounts only changes the header bit.
 */
export async function amend(state: Qcow2State, options: Readonly<Record<string, string>>): Promise<void> {
  const header = state.header;
  let version = header.version;
  if (options.compat === '0.10' || options.compat === 'v2') version = 2;
  else if (options.compat === '1.1' || options.compat === 'v3') version = 3;
  else if (options.compat !== undefined) throw invalidArgument(`Unknown compatibility level ${options.compat}`);
  const refcountBits = numberOption(options, 'refcount_bits', state.geometry.refcountBits);
  if (refcountBits <= 0 || refcountBits > 64 || !Number.isInteger(Math.log2(refcountBits))) {
    throw invalidArgument('Refcount width must be a power of two and may not exceed 64 bits');
  }
  if (options.data_file !== undefined && !state.hasDataFile()) throw invalidArgument('data-file can only be set for images that use an external data file');
  if (booleanOption(options, 'data_file_raw', false) && !state.dataFileIsRaw()) throw invalidArgument('data-file-raw cannot be set on existing images');
  if (Object.keys(options).some((name) => name.startsWith('encrypt.'))) {
    if (header.cryptMethod === CRYPT_NONE) throw invalidArgument("Can't amend encryption options - encryption not present");
    if (header.cryptMethod === CRYPT_AES) throw unsupported('Only LUKS encryption options can be amended');
    throw unsupported('Changing LUKS key slots is not supported');
  }

  if (version > header.version) header.version = version;
  if (refcountBits !== state.geometry.refcountBits) {
    if (version < 3 && refcountBits !== 16) {
      throw invalidArgument('Refcount widths other than 16 bits require compatibility level 1.1 or above (use compat=1.1 or greater)');
    }
    throw unsupported('Changing the refcount width of an existing image is not supported');
  }
  // QEMU writes the header (the whole first cluster) at this point whatever changed
  await state.rewriteHeader();
  if (options.backing_file !== undefined || options.backing_fmt !== undefined) {
    if (options.backing_file !== header.backingFile || options.backing_fmt !== header.backingFormat) {
      throw invalidArgument("Cannot amend the backing file\nYou can use 'qemu-img rebase' instead.");
    }
  }
  const lazy = booleanOption(options, 'lazy_refcounts', (header.compatible & COMPAT_LAZY_REFCOUNTS) !== 0n);
  if (lazy !== ((header.compatible & COMPAT_LAZY_REFCOUNTS) !== 0n)) {
    if (lazy && version < 3) throw invalidArgument('Lazy refcounts only supported with compatibility level 1.1 and above (use compat=1.1 or greater)');
    if (!lazy) await state.markClean();
    header.compatible = lazy ? header.compatible | COMPAT_LAZY_REFCOUNTS : header.compatible & ~COMPAT_LAZY_REFCOUNTS;
    await state.rewriteHeader();
  }
  if (options.size !== undefined) {
    const size = sizeOption(options, 'size', state.size);
    if (size !== state.size) await resize(state, size, 'off');
  }
  if (version < header.version) await downgrade(state);
}
