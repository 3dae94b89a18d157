import type { ImageFile } from '../io/image-file.js';
import { SECTOR } from './constants.js';
import { GD_PAGE_BYTES, TableGrainMap, type GrainEntry } from './grain-map.js';
import type { SeSparseGeometry } from './sesparse-header.js';
import type { TableCache } from './table-cache.js';

const TWO_32 = 2 ** 32;
const MAX_SECTOR = Math.floor(Number.MAX_SAFE_INTEGER / SECTOR);

/**
 * The grain directory and tables of a seSparse extent (read-only): u64
 * entries whose top bits say what they are. Directory entries are
 * 0x10000000_xxxxxxxx (a table index) or 0; table entries have a type in
 * the top nibble: 0 unallocated, 1 unmapped and 2 zero (both read as
 * zeros), 3 allocated with a 60-bit grain index spread over the rest.
 */
export class SeSparseTables extends TableGrainMap {
  constructor(
    file: ImageFile,
    cache: TableCache,
    private readonly geometry: SeSparseGeometry,
  ) {
    super(file, cache, geometry, 8);
  }

  protected async tableSector(l1: number): Promise<number | undefined> {
    const byte = l1 * 8;
    const page = await this.cache.get(this.file, this.geometry.gdOffset + byte - (byte % GD_PAGE_BYTES), GD_PAGE_BYTES);
    const low = page.readUInt32LE(byte % GD_PAGE_BYTES);
    const high = page.readUInt32LE((byte % GD_PAGE_BYTES) + 4);
    if (low === 0 && high === 0) return 0;
    if (high !== 0x10000000) return undefined;
    const sector = this.geometry.gtAreaSector + BigInt(low) * BigInt((this.geometry.gtEntries * 8) / SECTOR);
    return sector < BigInt(TWO_32) ? Number(sector) : undefined;
  }

  protected entry(table: Buffer, index: number): GrainEntry {
    const low = table.readUInt32LE(index * 8);
    const high = table.readUInt32LE(index * 8 + 4);
    switch (high >>> 28) {
      case 0:
        return { state: low === 0 && high === 0 ? 'unallocated' : 'invalid', sector: 0 };
      case 1:
      case 2:
        return { state: 'zero', sector: 0 };
      case 3: {
        const grainIndex = ((high & 0xffff) * TWO_32 + low) * 4096 + ((high >>> 16) & 0xfff);
        const sector = Number(this.geometry.grainAreaSector) + grainIndex * this.geometry.grainSectors;
        return sector <= MAX_SECTOR ? { state: 'allocated', sector } : { state: 'invalid', sector: 0 };
      }
      default:
        return { state: 'invalid', sector: 0 };
    }
  }
}
