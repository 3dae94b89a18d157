#!/usr/bin/env node
// Print where the guest kernel and initramfs are, building them first if needed.
import { guestAssets } from './index.js';

const { kernel, initrd, kernelVersion } = guestAssets();
console.log(JSON.stringify({ kernel, initrd, kernelVersion }, null, 2));
