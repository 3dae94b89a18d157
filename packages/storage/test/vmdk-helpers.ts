import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { mapJson } from './map-json.js';
import type { BlockDevice, CheckReport, ImageDescription, InfoValue } from '../src/index.js';

/*
 * Running the real qemu-img / qemu-io next to the library, and turning the
 * library's answers into the JSON qemu-img prints, so that tests can
 * compare the two directly.
 */

/** Run qemu-img (or qemu-io with `tool`), returning stdout; a failure throws with its stderr. */
export function qemu(args: string[], tool = 'qemu-img'): string {
  return execFileSync(tool, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Run qemu-img expecting it may fail: its exit status and both outputs. */
export function qemuStatus(args: string[], tool = 'qemu-img'): { status: number; stdout: string; stderr: string } {
  const result = spawnSync(tool, args, { encoding: 'utf8' });
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

export function qemuJson(args: string[]): unknown {
  return JSON.parse(qemu([...args, '--output=json']));
}

/** The whole disk, as qemu-img convert -O raw gives it. */
export function qemuContent(path: string, rawPath: string): Buffer {
  qemu(['convert', '-O', 'raw', path, rawPath]);
  return readFileSync(rawPath);
}

/** `qemu-img info --output=json` of an image, from describe() (without the keys qemu-img adds itself). */
function infoJson(description: ImageDescription, filename: string): Record<string, InfoValue> {
  const info: Record<string, InfoValue> = { 'virtual-size': description.virtualSize, filename, format: description.format };
  if (description.actualSize !== undefined) info['actual-size'] = description.actualSize;
  if (description.clusterSize !== undefined) info['cluster-size'] = description.clusterSize;
  if (description.dirtyFlag !== undefined) info['dirty-flag'] = description.dirtyFlag;
  if (description.backingFilename !== undefined) info['backing-filename'] = description.backingFilename;
  if (description.fullBackingFilename !== undefined) info['full-backing-filename'] = description.fullBackingFilename;
  if (description.backingFormat !== undefined) info['backing-filename-format'] = description.backingFormat;
  if (description.formatSpecific) info['format-specific'] = description.formatSpecific;
  return info;
}

/** `qemu-img check --output=json` for a VMDK: only the error count (QEMU's vmdk check counts nothing else). */
function checkJson(report: CheckReport, filename: string): Record<string, InfoValue> {
  return { 'check-errors': report.checkErrors, filename, format: 'vmdk' };
}

/** describe(), getStatus() and check() must say what qemu-img info, map and check print as JSON. */
export async function expectIntrospectionAsQemu(device: BlockDevice, path: string): Promise<void> {
  expect(infoJson(await device.describe(), path)).toEqual(qemuJson(['info', path]));
  expect(await mapJson(device)).toEqual(qemuJson(['map', path]));
  expect(checkJson(await device.check!(), path)).toEqual(qemuJson(['check', path]));
}

/** A recognisable byte pattern: `seed` in every byte, and each 512-byte sector numbered. */
export function pattern(length: number, seed: number): Buffer {
  const buf = Buffer.alloc(length, seed);
  for (let at = 0; at + 4 <= length; at += 512) buf.writeUInt32LE(at / 512 + seed * 0x10000, at);
  return buf;
}
