/*
 * Where an image name on the command line points. As in qemu-img, text
 * before a ':' that comes before any '/' names a protocol: "file:" is a
 * plain file, other protocols (nbd:, http:, json:...) are not available
 * here. With --image-opts the name is an option list instead.
 */
import { splitOptionList } from '../options/option-list.js';

export interface ImageLocation {
  /** The host file. */
  path: string;
  /** The format the name itself asks for (--image-opts driver=...). */
  format?: string;
}

export type LocationResult = { ok: true; location: ImageLocation } | { ok: false; message: string };

/** The protocol a name starts with, if any ("file" in "file:x.img"). */
export function protocolOf(name: string): string | undefined {
  const stop = /[:/]/.exec(name);
  return stop?.[0] === ':' ? name.slice(0, stop.index) : undefined;
}

/** A plain name: a file, possibly behind "file:". */
export function locateFile(name: string): LocationResult {
  const protocol = protocolOf(name);
  if (protocol === undefined) return { ok: true, location: { path: name } };
  if (protocol === 'file') return { ok: true, location: { path: name.slice(protocol.length + 1) } };
  return { ok: false, message: `Unknown protocol '${protocol}'` };
}

/**
 * An --image-opts list: "driver=FMT,file.filename=PATH" (file.driver may
 * say "file"); a bare first word is a node name, which qemu-img looks up
 * among block nodes that do not exist outside a running QEMU.
 */
export function locateImageOptions(text: string): LocationResult {
  const { items } = splitOptionList(text, 'file', false);
  let path: string | undefined;
  let format: string | undefined;
  for (const { name, value } of items) {
    switch (name) {
      case 'driver':
        format = value;
        break;
      case 'file.filename':
        path = value;
        break;
      case 'file.driver':
        if (value !== 'file') return { ok: false, message: `Unknown protocol '${value}'` };
        break;
      case 'file':
        return { ok: false, message: `Cannot find device='${value}' nor node-name='${value}'` };
      default:
        return { ok: false, message: `Block format '${format ?? 'raw'}' does not support the option '${name}'` };
    }
  }
  if (path === undefined) return { ok: false, message: "A block device must be specified for \"file\"" };
  return { ok: true, location: format === undefined ? { path } : { path, format } };
}
