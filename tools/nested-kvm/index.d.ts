export const HARNESS_MODULES: string[];
export function harnessInitrd(): { kernel: string; initrd: string };
/** Run `command` (sh syntax) where /dev/kvm is hardware-style KVM (SVM, in a QEMU TCG guest). */
export function runNested(
  command: string,
  options?: { cwd?: string; memoryMiB?: number; timeoutMs?: number; onOutput?: (text: string) => void },
): Promise<{ output: string; status: number | null; console: string }>;
