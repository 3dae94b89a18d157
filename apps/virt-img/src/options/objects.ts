/*
 * --object: QEMU's user-creatable objects. The one kind qemu-img users
 * pass is a secret (passwords for encrypted images): it is checked as
 * qemu-img checks it, so that scripts passing one keep working, and then
 * has no use, as no format here is encrypted. Other kinds are refused.
 */
import { readFileSync } from 'node:fs';
import { describeErrno } from '@virt/core-api';
import { Exit, fail } from '../command.js';
import type { Output } from '../output.js';
import { splitOptionList } from './option-list.js';

const SECRET_PROPERTIES = ['data', 'file', 'format', 'iv', 'keyid', 'loaded'];

export function processObject(out: Output, text: string): void {
  const { items, help } = splitOptionList(text, 'qom-type');
  const type = items.find((i) => i.name === 'qom-type')?.value;
  if (type === undefined && help) {
    out.print('List of user creatable objects:\n  secret\n');
    throw new Exit(0);
  }
  if (type !== 'secret') fail(out, `Parameter 'qom-type' does not accept value '${type ?? ''}'`);
  if (help) {
    out.print(`secret options:\n${SECRET_PROPERTIES.map((p) => `  ${p}=<string>\n`).join('')}`);
    throw new Exit(0);
  }
  const properties = new Map(items.filter((i) => i.name !== 'qom-type').map((i) => [i.name, i.value]));
  for (const name of properties.keys()) {
    if (name !== 'id' && !SECRET_PROPERTIES.includes(name)) fail(out, `Parameter '${name}' is unexpected`);
  }
  if (!properties.has('id')) fail(out, "Parameter 'id' is missing");
  const data = properties.get('data');
  const file = properties.get('file');
  if (data === undefined && file === undefined) fail(out, "Either 'file' or 'data' must be provided");
  if (data !== undefined && file !== undefined) fail(out, "'data' and 'file' are mutually exclusive");
  if (file !== undefined) checkReadable(out, file);
}

function checkReadable(out: Output, path: string): void {
  try {
    readFileSync(path);
  } catch (err) {
    fail(out, `Unable to read ${path}: ${describeErrno(err as NodeJS.ErrnoException)}`);
  }
}
