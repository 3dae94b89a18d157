import { ErrorCode, ErrorDomain } from '../../errors/codes.js';
import { VirtError } from '../../errors/virt-error.js';
import { XmlElement } from '../../xml/node.js';
import { xmlError } from '../common.js';
import { diskSourcePath } from './devices.js';
import type { ControllerDef, DiskDef } from './types.js';

const DOM = ErrorDomain.DOMAIN;

/**
 * The drive index a disk name stands for (virDiskNameToIndex): "vda" is
 * 0, "hdc" 2, "sdaa" 26; partition digits may follow. -1 for other names.
 */
export function diskNameToIndex(name: string): number {
  const prefix = ['fd', 'hd', 'vd', 'sd', 'xvd', 'ubd'].find((p) => name.startsWith(p));
  if (!prefix) return -1;
  let i = prefix.length;
  let idx = 0;
  let letters = 0;
  while (i < name.length && name[i]! >= 'a' && name[i]! <= 'z') {
    idx = (idx + (letters < 1 ? 0 : 1)) * 26 + (name.charCodeAt(i) - 97);
    letters++;
    i++;
  }
  if (letters === 0) return -1;
  while (i < name.length && name[i]! >= '0' && name[i]! <= '9') i++;
  return i === name.length ? idx : -1;
}

/**
 * Insert disks in libvirt's order (virDomainDiskInsert): a disk goes
 * before the first disk of the same bus with a higher drive index, else
 * after the last disk of its bus, else at the end. The bus compared is the
 * one written in the XML (unset buses compare equal).
 */
export function sortDisks(disks: readonly DiskDef[]): DiskDef[] {
  const out: DiskDef[] = [];
  for (const disk of disks) {
    let insertAt = -1;
    for (let idx = out.length - 1; idx >= 0; idx--) {
      const cur = out[idx]!;
      if (cur.target.bus !== disk.target.bus) continue;
      if (diskNameToIndex(cur.target.dev) > diskNameToIndex(disk.target.dev)) insertAt = idx;
      else if (insertAt === -1) insertAt = idx + 1;
    }
    if (insertAt === -1) out.push(disk);
    else out.splice(insertAt, 0, disk);
  }
  return out;
}

/** The bus a disk defaults to (virDomainDiskGetDefaultBus): by device, then by name. */
export function defaultDiskBus(disk: DiskDef): string {
  if (disk.device === 'floppy') return 'fdc';
  const dev = disk.target.dev;
  if (dev.startsWith('hd')) return 'ide';
  if (dev.startsWith('sd')) return 'scsi';
  if (dev.startsWith('vd')) return 'virtio';
  if (dev.startsWith('xvd')) return 'xen';
  if (dev.startsWith('ubd')) return 'uml';
  return 'ide';
}

/** Buses whose disks sit on a controller and get a drive address: units per controller and per bus. */
const DRIVE_BUSES: Record<string, { perController: number; perBus: number }> = {
  ide: { perController: 4, perBus: 2 },
  scsi: { perController: 7, perBus: 7 },
  sata: { perController: 6, perBus: 6 },
  fdc: { perController: 2, perBus: 2 },
};

/** Give disks on ide/scsi/sata/fdc buses a drive address (virDomainDiskDefAssignAddress). */
export function assignDriveAddress(disk: DiskDef): void {
  const bus = disk.target.bus!;
  const layout = DRIVE_BUSES[bus];
  if (!layout || disk.info.address) return;
  const idx = diskNameToIndex(disk.target.dev);
  if (idx < 0) throw xmlError(DOM, `Unknown disk name '${disk.target.dev}' and no address specified`);
  const controller = Math.floor(idx / layout.perController);
  const unit = idx % layout.perBus;
  const busNumber = bus === 'ide' ? Math.floor((idx % layout.perController) / layout.perBus) : 0;
  disk.info.address = new XmlElement('address', { type: 'drive', controller, bus: busNumber, target: 0, unit });
}

/** Check what libvirt checks of disks after defaults are applied. */
export function validateDisks(disks: readonly DiskDef[]): void {
  const seen = new Map<string, DiskDef>();
  for (const disk of disks) {
    if (disk.device === 'floppy' && disk.target.bus !== 'fdc') {
      throw VirtError.create(ErrorCode.INTERNAL_ERROR, DOM, `Invalid bus type '${disk.target.bus}' for floppy disk`);
    }
    const addrType = disk.info.address?.attr('type');
    if (addrType === 'pci' && ['ide', 'fdc', 'scsi', 'sata', 'usb'].includes(disk.target.bus ?? '')) {
      throw VirtError.create(ErrorCode.CONFIG_UNSUPPORTED, DOM, `Invalid address type 'pci' for the disk '${disk.target.dev}' with the bus type '${disk.target.bus}'`);
    }
    const prev = seen.get(disk.target.dev);
    if (prev) {
      throw xmlError(DOM, `target '${disk.target.dev}' duplicated for disk sources '${diskSourcePath(prev) ?? ''}' and '${diskSourcePath(disk) ?? ''}'`);
    }
    seen.set(disk.target.dev, disk);
  }
}

/**
 * Insert a controller in libvirt's order: before the first controller of
 * its type with a higher index, else after the last of its type, else at
 * the end.
 */
export function insertController(list: ControllerDef[], ctrl: ControllerDef): void {
  let insertAt = -1;
  for (let idx = list.length - 1; idx >= 0; idx--) {
    const cur = list[idx]!;
    if (cur.type !== ctrl.type) continue;
    if (cur.index > ctrl.index) insertAt = idx;
    else if (insertAt === -1) insertAt = idx + 1;
  }
  if (insertAt === -1) list.push(ctrl);
  else list.splice(insertAt, 0, ctrl);
}

export function newController(type: string, index: number): ControllerDef {
  return { kind: 'controller', type, index, attributes: [], raw: [], info: {} };
}

/** Add the controllers drive-addressed disks need (virDomainDefAddDiskControllers), in libvirt's order. */
export function addDiskControllers(disks: readonly DiskDef[], controllers: ControllerDef[]): void {
  for (const type of ['scsi', 'fdc', 'ide', 'sata']) {
    let max = -1;
    for (const disk of disks) {
      if (disk.target.bus !== type || disk.info.address?.attr('type') !== 'drive') continue;
      max = Math.max(max, Number(disk.info.address.attr('controller') ?? 0));
    }
    for (let i = 0; i <= max; i++) {
      if (!controllers.some((c) => c.type === type && c.index === i)) insertController(controllers, newController(type, i));
    }
  }
}
