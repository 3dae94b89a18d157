import type { SnapshotInfo } from '@virt/storage';
import { padLeft, padRight } from './printf.js';
import { humanSize } from './size.js';

/** The column headings of a snapshot list (qemu-img snapshot -l and info). */
export const SNAPSHOT_HEADER = `${padRight('ID', 10)}${padRight('TAG', 17)}${padLeft('VM SIZE', 8)}${padLeft('DATE', 20)}${padLeft('VM CLOCK', 13)}${padLeft('ICOUNT', 11)}`;

const two = (n: number): string => String(n).padStart(2, '0');

/** The snapshot's date in local time (TZ), as "YYYY-MM-DD HH:MM:SS". */
function localDate(seconds: number): string {
  const d = new Date(seconds * 1000);
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

/** The guest clock at the snapshot, "HH:MM:SS.mmm" (the hours may exceed 99). */
function vmClock(snapshot: SnapshotInfo): string {
  const seconds = snapshot.vmClockSec + Math.floor(snapshot.vmClockNsec / 1e9);
  const millis = Math.floor(snapshot.vmClockNsec / 1e6) % 1000;
  return `${two(Math.floor(seconds / 3600))}:${two(Math.floor(seconds / 60) % 60)}:${two(seconds % 60)}.${String(millis).padStart(3, '0')}`;
}

/** A snapshot has an instruction count unless the image records none (negative here). */
export function hasIcount(snapshot: SnapshotInfo): boolean {
  return snapshot.icount >= 0;
}

/** One row of the table; fields are never cut, long ones push the rest along. */
export function snapshotRow(snapshot: SnapshotInfo): string {
  const icount = hasIcount(snapshot) ? String(snapshot.icount) : '';
  return (
    `${padRight(snapshot.id, 9)} ${padRight(snapshot.name, 16)} ${padLeft(humanSize(snapshot.vmStateSize), 8)}` +
    `${padLeft(localDate(snapshot.dateSec), 20)}${padLeft(vmClock(snapshot), 13)}${padLeft(icount, 11)}`
  );
}

/** "Snapshot list:", the heading and a row a snapshot, each line ended. */
export function snapshotList(snapshots: readonly SnapshotInfo[]): string {
  return `Snapshot list:\n${SNAPSHOT_HEADER}\n${snapshots.map((s) => `${snapshotRow(s)}\n`).join('')}`;
}
