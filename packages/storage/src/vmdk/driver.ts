import { unsupported } from '../errors.js';
import type { FormatDriver } from '../formats.js';
import { createVmdk } from './create.js';
import { openVmdk } from './open-vmdk.js';

export const vmdkDriver: FormatDriver = {
  name: 'vmdk',
  // the options of vmdk images in QEMU's declaration order (create's "Formatting" line; -o help sorts them)
  createOptions: [
    { name: 'size', type: 'size', help: 'Virtual disk size' },
    { name: 'adapter_type', type: 'str', help: 'Virtual adapter type, can be one of ide (default), lsilogic, buslogic or legacyESX' },
    { name: 'backing_file', type: 'str', help: 'File name of a base image' },
    { name: 'backing_fmt', type: 'str', help: "Must be 'vmdk' if present" },
    { name: 'compat6', type: 'bool', help: 'VMDK version 6 image', default: 'off' },
    { name: 'hwversion', type: 'str', help: 'VMDK hardware version', default: 'undefined' },
    { name: 'toolsversion', type: 'str', help: 'VMware guest tools version' },
    {
      name: 'subformat',
      type: 'str',
      help: 'VMDK flat extent format, can be one of {monolithicSparse (default) | monolithicFlat | twoGbMaxExtentSparse | twoGbMaxExtentFlat | streamOptimized} ',
    },
    { name: 'zeroed_grain', type: 'bool', help: 'Enable efficient zero writes using the zeroed-grain GTE feature' },
  ],
  open: openVmdk,
  create: createVmdk,
  // QEMU 7.2's vmdk driver has no size measurement
  measure: async () => {
    throw unsupported("Block driver 'vmdk' does not support size measurement");
  },
};
