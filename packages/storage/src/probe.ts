/** Formats a probe can name: ours, and others we recognise only to refuse. */
export type ProbedFormat = 'raw' | 'qcow2' | 'vmdk' | 'qcow' | 'qed' | 'vdi' | 'vpc' | 'vhdx' | 'luks' | 'parallels' | 'bochs' | 'cloop';

/** How many leading bytes of a file the probe looks at, as QEMU. */
export const PROBE_BYTES = 512;

const ascii = (buf: Buffer, offset: number, text: string): boolean => buf.toString('latin1', offset, offset + text.length) === text;

/**
 * Name the format of an image from its first bytes, by the same marks QEMU
 * probes for. Anything unrecognised is raw; the caller decides whether a
 * guess of raw is acceptable.
 */
export function probeFormat(head: Buffer): ProbedFormat {
  if (head.length >= 8 && head.readUInt32BE(0) === 0x514649fb) return head.readUInt32BE(4) >= 2 ? 'qcow2' : 'qcow';
  if (head.length >= 4 && (ascii(head, 0, 'KDMV') || ascii(head, 0, 'COWD'))) return 'vmdk';
  if (isVmdkDescriptor(head)) return 'vmdk';
  if (ascii(head, 0, 'QED\0')) return 'qed';
  if (head.length >= 0x44 && head.readUInt32LE(0x40) === 0xbeda107f) return 'vdi';
  if (ascii(head, 0, 'conectix')) return 'vpc';
  if (ascii(head, 0, 'vhdxfile')) return 'vhdx';
  if (ascii(head, 0, 'LUKS\xba\xbe')) return 'luks';
  if (ascii(head, 0, 'WithoutFreeSpace') || ascii(head, 0, 'WithouFreSpacExt')) return 'parallels';
  if (ascii(head, 0, 'Bochs Virtual HD Image')) return 'bochs';
  if (ascii(head, 0, '#!/bin/sh\n#V2.0 Format\nmodprobe cloop')) return 'cloop';
  return 'raw';
}

/**
 * A VMDK descriptor file: comment lines and blank lines, then
 * `version=1`, `2` or `3` on a line of its own (LF or CRLF).
 */
function isVmdkDescriptor(head: Buffer): boolean {
  const text = head.toString('latin1');
  let pos = 0;
  while (pos < text.length) {
    if (text[pos] === '#') {
      const eol = text.indexOf('\n', pos);
      if (eol < 0) return false;
      pos = eol + 1;
      continue;
    }
    if (text[pos] === ' ') {
      while (text[pos] === ' ') pos++;
      if (text[pos] === '\r') pos++;
      if (text[pos] !== '\n') return false;
      pos++;
      continue;
    }
    return /^version=[123]\r?\n/.test(text.slice(pos, pos + 11));
  }
  return false;
}
