/**
 * The "newc" cpio format the kernel unpacks an initramfs from: a header of
 * hexadecimal fields per entry, names and data padded to 4 bytes, and a
 * TRAILER!!! entry.
 */

const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;
const S_IFLNK = 0o120000;

/** @typedef {{ path: string, kind: 'dir' } | { path: string, kind: 'file', data: Buffer, mode?: number } | { path: string, kind: 'symlink', target: string }} CpioEntry */

/** @param {CpioEntry[]} entries */
export function cpioArchive(entries) {
  const parts = [];
  let ino = 1;
  const add = (name, mode, data) => {
    const fields = [ino++, mode, 0, 0, 1, 0, data.length, 0, 0, 0, 0, name.length + 1, 0];
    const header = `070701${fields.map((f) => f.toString(16).padStart(8, '0')).join('')}`;
    const head = Buffer.concat([Buffer.from(header, 'latin1'), Buffer.from(`${name}\0`, 'latin1')]);
    parts.push(head, Buffer.alloc(pad4(head.length)), data, Buffer.alloc(pad4(data.length)));
  };
  for (const e of entries) {
    if (e.kind === 'dir') add(e.path, S_IFDIR | 0o755, Buffer.alloc(0));
    else if (e.kind === 'symlink') add(e.path, S_IFLNK | 0o777, Buffer.from(e.target, 'latin1'));
    else add(e.path, S_IFREG | (e.mode ?? 0o644), e.data);
  }
  add('TRAILER!!!', 0, Buffer.alloc(0));
  return Buffer.concat(parts);
}

function pad4(n) {
  return (4 - (n % 4)) % 4;
}
