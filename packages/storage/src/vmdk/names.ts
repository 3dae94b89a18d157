import { invalidArgument } from '../errors.js';

/*
 * File names as QEMU forms them. A relative extent or backing file name is
 * appended to the folder part of the descriptor's path exactly as given
 * ("sub/x.vmdk" + "x-s001.vmdk" = "sub/x-s001.vmdk"), without normalising,
 * so that messages and qemu-img info show the same names.
 */

/** The folder part of `path`, with its trailing slash ("" for a bare name). */
export function folderOf(path: string): string {
  return path.slice(0, path.lastIndexOf('/') + 1);
}

/** `name` as seen from the file at `path`: absolute names stay, relative ones are taken in its folder. */
export function besideFile(path: string, name: string): string {
  return name.startsWith('/') ? name : folderOf(path) + name;
}

/** The last component of a path (g_path_get_basename). */
export function baseName(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  return trimmed === '' ? (path === '' ? '.' : '/') : trimmed.slice(trimmed.lastIndexOf('/') + 1);
}

export interface ExtentNaming {
  /** Path of the descriptor (or monolithic file). */
  descriptor: string;
  /** Path of extent `index` (from 1) of a split image, or of the data file of monolithicFlat. */
  extent(index: number, flat: boolean, split: boolean): string;
}

/**
 * How qemu-img names the files of a new image: the target is split at its
 * last "/" (else "\", else ":") into folder and name, the name at its last
 * "." into prefix and suffix; monolithicFlat data goes to
 * "<prefix>-flat<suffix>", twoGbMaxExtent extents to "<prefix>-s001<suffix>"
 * or "<prefix>-f001<suffix>", numbered from 1.
 */
export function extentNaming(target: string): ExtentNaming {
  if (target === '') throw invalidArgument('No filename provided');
  let cut = target.lastIndexOf('/');
  if (cut < 0) cut = target.lastIndexOf('\\');
  if (cut < 0) cut = target.lastIndexOf(':');
  const folder = target.slice(0, cut + 1);
  const name = target.slice(cut + 1);
  const dot = name.lastIndexOf('.');
  const prefix = dot < 0 ? name : name.slice(0, dot);
  const suffix = dot < 0 ? '' : name.slice(dot);
  return {
    descriptor: folder + prefix + suffix,
    extent: (index, flat, split) =>
      split ? `${folder}${prefix}-${flat ? 'f' : 's'}${String(index).padStart(3, '0')}${suffix}` : `${folder}${prefix}-flat${suffix}`,
  };
}
