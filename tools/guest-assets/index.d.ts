export const GUEST_MODULES: string[];
export const READY_MARKER: string;
/** Build (once, then from the cache) Debian's kernel and a busybox initramfs for test guests. */
export function guestAssets(options?: { cacheDir?: string; log?: (line: string) => void }): { kernel: string; initrd: string; kernelVersion: string; extracted: string };
/** A gzipped initramfs: busybox-static, `init` as /init, and these kernel modules (listed in /etc/virt-modules in load order). */
export function buildInitramfs(spec: { extracted: string; kernelVersion: string; modules: string[]; init: Buffer }): Buffer;
