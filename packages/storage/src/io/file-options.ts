import type { CreateOptionHelp } from '../formats.js';

/**
 * What the host file itself takes when an image is created (QEMU's "file"
 * protocol): offered after a format's own options, which win where both
 * have a name. nocow and extent_size_hint only matter on btrfs and XFS.
 */
export const FILE_CREATE_OPTIONS: readonly CreateOptionHelp[] = [
  { name: 'nocow', type: 'bool', help: 'Turn off copy-on-write (valid only on btrfs)' },
  { name: 'preallocation', type: 'str', help: 'Preallocation mode (allowed values: off, falloc, full)' },
  { name: 'extent_size_hint', type: 'size', help: 'Extent size hint for the image file, 0 to disable' },
];
