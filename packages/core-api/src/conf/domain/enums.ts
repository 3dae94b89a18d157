/** Enumerations of libvirt's domain XML (9.0), as facts the parser checks against. */

export const VIRT_TYPES = ['none', 'qemu', 'kqemu', 'kvm', 'xen', 'lxc', 'uml', 'openvz', 'test', 'vmware', 'hyperv', 'vbox', 'phyp', 'parallels', 'bhyve', 'vz'] as const;

export const OS_TYPES = ['hvm', 'xen', 'linux', 'exe', 'uml'] as const;

export const ARCHES = [
  'alpha', 'armv6l', 'armv7l', 'armv7b', 'aarch64', 'cris', 'i686', 'ia64', 'lm32', 'm68k', 'microblaze', 'microblazeel', 'mips', 'mipsel',
  'mips64', 'mips64el', 'openrisc', 'parisc', 'parisc64', 'ppc', 'ppcle', 'ppc64', 'ppc64le', 'ppcemb', 'riscv32', 'riscv64', 's390', 's390x',
  'sh4', 'sh4eb', 'sparc', 'sparc64', 'unicore32', 'x86_64', 'xtensa', 'xtensaeb',
] as const;

/** `<features>` children in libvirt's output order. */
export const FEATURES = [
  'acpi', 'apic', 'pae', 'hap', 'viridian', 'privnet', 'hyperv', 'kvm', 'pvspinlock', 'capabilities', 'pmu', 'vmport', 'gic', 'smm', 'ioapic',
  'hpt', 'vmcoreinfo', 'htm', 'nested-hv', 'msrs', 'ccf-assist', 'xen', 'cfpc', 'sbbc', 'ibs', 'tcg',
] as const;

/** Features that are plain flags: any state attribute is ignored. */
export const FLAG_FEATURES = new Set(['acpi', 'pae', 'viridian', 'privnet']);

/** Features whose bare form means state='on'. */
export const STATE_FEATURES = new Set(['hap', 'pvspinlock', 'pmu', 'vmport', 'smm', 'vmcoreinfo', 'htm', 'nested-hv', 'ccf-assist']);

export const BOOT_DEVICES = ['fd', 'cdrom', 'hd', 'network'] as const;

export const LIFECYCLE_ACTIONS = ['destroy', 'restart', 'rename-restart', 'preserve', 'coredump-destroy', 'coredump-restart'] as const;

export const LOCKFAILURE_ACTIONS = ['default', 'poweroff', 'restart', 'pause', 'ignore'] as const;

export const CLOCK_OFFSETS = ['utc', 'localtime', 'variable', 'timezone', 'absolute'] as const;

/** Top-level elements libvirt knows and @virt carries as written, in libvirt's output order. */
export const RAW_TOP_LEVEL = [
  'blkiotune', 'memtune', 'memoryBacking', 'vcpus', 'iothreads', 'iothreadids', 'cputune', 'numatune', 'resource', 'sysinfo', 'bootloader',
  'bootloader_args', 'idmap', 'cpu', 'pm', 'perf', 'seclabel', 'keywrap', 'launchSecurity',
] as const;

/** Where each carried element goes relative to the modelled ones. */
export const RAW_BEFORE_OS = new Set(['blkiotune', 'memtune', 'memoryBacking', 'vcpus', 'iothreads', 'iothreadids', 'cputune', 'numatune', 'resource', 'sysinfo', 'bootloader', 'bootloader_args']);

/** Device elements in libvirt's output order (after emulator). */
export const DEVICE_ORDER = [
  'disk', 'controller', 'lease', 'filesystem', 'interface', 'smartcard', 'serial', 'parallel', 'console', 'channel', 'input', 'tpm', 'graphics',
  'sound', 'audio', 'video', 'hostdev', 'redirdev', 'redirfilter', 'hub', 'watchdog', 'memballoon', 'rng', 'nvram', 'panic', 'shmem', 'memory',
  'crypto', 'iommu', 'vsock',
] as const;

export const DISK_TYPES = ['file', 'block', 'dir', 'network', 'volume', 'nvme', 'vhostuser'] as const;
export const DISK_DEVICES = ['disk', 'cdrom', 'floppy', 'lun'] as const;
export const DISK_BUSES = ['ide', 'fdc', 'scsi', 'virtio', 'xen', 'usb', 'uml', 'sata', 'sd'] as const;
export const DISK_FORMATS = ['none', 'raw', 'dir', 'bochs', 'cloop', 'dmg', 'iso', 'vpc', 'vdi', 'fat', 'vhd', 'ploop', 'cow', 'qcow', 'qcow2', 'qed', 'vmdk', 'aio'];
export const DISK_CACHE_MODES = ['default', 'none', 'writethrough', 'writeback', 'directsync', 'unsafe'] as const;

export const CONTROLLER_TYPES = ['ide', 'fdc', 'scsi', 'sata', 'virtio-serial', 'ccid', 'usb', 'pci', 'xenbus', 'isa'] as const;

export const INTERFACE_TYPES = ['user', 'ethernet', 'vhostuser', 'server', 'client', 'mcast', 'network', 'bridge', 'internal', 'direct', 'hostdev', 'udp', 'vdpa', 'null', 'vds'] as const;

export const CHR_TYPES = ['null', 'vc', 'pty', 'dev', 'file', 'pipe', 'stdio', 'udp', 'tcp', 'unix', 'spicevmc', 'spiceport', 'nmdm', 'qemu-vdagent', 'dbus'] as const;
