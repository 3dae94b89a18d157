import type { XmlElement } from '../../xml/node.js';
import type { XmlExtras } from '../../xml/reader.js';

/**
 * The typed domain definition. The parts @virt acts on are modelled; the
 * rest of libvirt's domain XML is carried as elements (in `raw` slots) so
 * that it survives a round trip in libvirt's element order, and anything
 * libvirt does not know is kept in `extras`.
 */
export interface DomainDef {
  /** Hypervisor type: test, kvm, qemu... */
  type: string;
  name: string;
  uuid: string;
  genid?: string;
  title?: string;
  description?: string;
  metadata?: XmlElement;
  /** Maximum memory for hotplug, KiB, with its slot count. */
  maxMemory?: { kib: number; slots: number };
  /** Initial memory, KiB. */
  memory: number;
  memoryDumpCore?: string;
  /** Current (balloon) memory, KiB. */
  currentMemory: number;
  vcpu: VcpuDef;
  os: OsDef;
  features?: FeaturesDef;
  clock: ClockDef;
  onPoweroff: string;
  onReboot: string;
  onCrash: string;
  onLockfailure?: string;
  devices: DevicesDef;
  /**
   * Known top-level elements kept as written: blkiotune, memtune,
   * memoryBacking, vcpus, iothreads, iothreadids, cputune, numatune,
   * resource, sysinfo, bootloader, bootloader_args, idmap, cpu, pm, perf,
   * seclabel, keywrap, launchSecurity. Written back in libvirt's order.
   */
  raw: XmlElement[];
  /** Elements and attributes libvirt does not know: kept, written last. */
  extras?: XmlExtras;
}

export interface VcpuDef {
  /** Maximum vCPUs. */
  max: number;
  /** Online vCPUs at boot. */
  current: number;
  placement: 'static' | 'auto';
  cpuset?: string;
}

export interface OsDef {
  type: string;
  arch?: string;
  machine?: string;
  firmware?: string;
  loader?: XmlElement;
  nvram?: XmlElement;
  kernel?: string;
  initrd?: string;
  cmdline?: string;
  dtb?: string;
  root?: string;
  /** Boot devices in order: hd, cdrom, fd, network (at most 4). */
  boot: string[];
  bootmenu?: XmlElement;
  bios?: XmlElement;
  smbios?: XmlElement;
  /** init, initarg, initenv, initdir, inituser, initgroup, acpi, firmware (container guests, tables). */
  raw: XmlElement[];
  extras?: XmlExtras;
}

/** `<features>`: feature name → its element, written in libvirt's feature order. */
export interface FeaturesDef {
  items: XmlElement[];
}

export interface ClockDef {
  offset: string;
  /** The other attributes (adjustment, basis, timezone, start), as written. */
  attributes: Array<[string, string]>;
  timers: XmlElement[];
}

export interface DeviceInfo {
  bootOrder?: number;
  bootLoadparm?: string;
  alias?: string;
  rom?: XmlElement;
  acpi?: XmlElement;
  /** `<address>` as written (drive addresses are filled in by the post-parse step). */
  address?: XmlElement;
}

export interface DiskDef {
  kind: 'disk';
  type: string;
  device: string;
  /** model, rawio, sgio, snapshot attributes, as written. */
  attributes: Array<[string, string]>;
  driver?: XmlElement;
  auth?: XmlElement;
  source?: XmlElement;
  target: { dev: string; bus?: string; tray?: string; removable?: string; rotationRate?: string };
  readonly: boolean;
  shareable: boolean;
  serial?: string;
  wwn?: string;
  vendor?: string;
  product?: string;
  /** backingStore, backenddomain, geometry, blockio, mirror, iotune, transient, encryption: as written. */
  raw: XmlElement[];
  info: DeviceInfo;
  extras?: XmlExtras;
}

export interface ControllerDef {
  kind: 'controller';
  type: string;
  index: number;
  model?: string;
  /** Other attributes (ports, vectors, maxGrantFrames...). */
  attributes: Array<[string, string]>;
  /** driver, target, model children, as written. */
  raw: XmlElement[];
  info: DeviceInfo;
}

export interface NetDef {
  kind: 'interface';
  type: string;
  /** Other attributes (trustGuestRxFilters, managed). */
  attributes: Array<[string, string]>;
  mac: string;
  source?: XmlElement;
  targetDev?: string;
  /** Other target attributes (managed). */
  targetAttributes: Array<[string, string]>;
  model?: string;
  driver?: XmlElement;
  /** vlan, virtualport, bandwidth, ip, route, script, backenddomain, guest, filterref, tune, link, mtu, coalesce. */
  raw: XmlElement[];
  info: DeviceInfo;
  extras?: XmlExtras;
}

/** serial, parallel, console and channel devices. */
export interface ChrDef {
  kind: 'serial' | 'parallel' | 'console' | 'channel';
  type: string;
  /** source, protocol, log children, as written. */
  raw: XmlElement[];
  target: { type?: string; port?: number; name?: string; attributes: Array<[string, string]>; children: XmlElement[] };
  info: DeviceInfo;
  extras?: XmlExtras;
}

/**
 * Every other device, kept as its element (with libvirt's defaults applied
 * where @virt knows them), in its category.
 */
export interface OtherDeviceDef {
  kind: 'other';
  element: XmlElement;
}

export type DeviceDef = DiskDef | ControllerDef | NetDef | ChrDef | OtherDeviceDef;

export interface DevicesDef {
  emulator?: string;
  disks: DiskDef[];
  controllers: ControllerDef[];
  interfaces: NetDef[];
  serials: ChrDef[];
  parallels: ChrDef[];
  consoles: ChrDef[];
  channels: ChrDef[];
  /** Every other device element, by element name (lease, filesystem, input, graphics...). */
  others: XmlElement[];
  extras?: XmlExtras;
}

/** Hooks a driver gives the parser: its defaults and checks (libvirt's xmlopt callbacks). */
export interface DomainParseOptions {
  /** Architecture when `<type arch>` is absent (the test driver uses i686). */
  defaultArch?: string;
  /** Domain types accepted; all of libvirt's when undefined. */
  virtTypes?: readonly string[];
  /** Name interfaces that have no target device PREFIXn (the test driver uses "testnet"). */
  interfaceTargetPrefix?: string;
}
