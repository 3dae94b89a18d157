import type { BlockDevice } from '../src/index.js';
import { mapImage, type MapEntry } from '../src/ops/map.js';

/** What `qemu-img map --output=json` prints for `device` (its entries name no file), from the library's map. */
export async function mapJson(device: BlockDevice): Promise<Omit<MapEntry, 'file'>[]> {
  const entries: Omit<MapEntry, 'file'>[] = [];
  for await (const { file: _file, ...entry } of mapImage(device)) entries.push(entry);
  return entries;
}
