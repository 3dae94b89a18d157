import { corruptImage } from '../errors.js';
import type { ImageFile } from '../io/image-file.js';
import { cidEdit } from './descriptor-format.js';

/**
 * Where an image's descriptor text lives (a separate file, or the area at
 * 0x200 of a monolithic sparse file), so that its CID can be changed: QEMU
 * gives an image a new CID on the first write after each open, which tells
 * images based on it that it has changed.
 */
export class DescriptorStore {
  constructor(
    readonly file: ImageFile,
    /** Where the text starts in the file. */
    private readonly offset: number,
    /** The text as read at open (up to its first NUL). */
    private text: string,
    /** The bytes the text may occupy, its closing NUL included. */
    private readonly capacity: number,
    private cid: number,
  ) {}

  get currentCid(): number {
    return this.cid;
  }

  /**
   * Write a new random CID and make it durable. Normally only the CID's
   * digits change, in place; a descriptor lacking a CID line gets one
   * inserted, and the text after it is rewritten, within its room.
   */
  async renewCid(): Promise<void> {
    const renewed = cidEdit(this.text, this.cid);
    if (!renewed) throw corruptImage(`'${this.file.path}': the descriptor has no CID to update`);
    const { at, remove, insert } = renewed.edit;
    const text = this.text.slice(0, at) + insert + this.text.slice(at + remove);
    if (insert.length === remove) {
      await this.file.write(this.offset + at, Buffer.from(insert, 'latin1'));
    } else {
      if (text.length + 1 > this.capacity) throw corruptImage(`'${this.file.path}': no room in the descriptor to add a CID line`);
      await this.file.write(this.offset + at, Buffer.from(`${text.slice(at)}\0`, 'latin1'));
    }
    await this.file.flush();
    this.text = text;
    this.cid = renewed.cid;
  }
}
