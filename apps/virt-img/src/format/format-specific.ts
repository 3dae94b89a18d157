import type { InfoValue } from '@virt/storage';
import { qdictOrder } from './qdict-order.js';

/**
 * The "Format specific information" block of qemu-img info: the format's
 * data dumped generically, keys in QDict order with dashes turned into
 * spaces, four spaces of indentation a level, list items as "[i]:".
 */
export function dumpFormatSpecific(data: { readonly [key: string]: InfoValue }): string {
  return dumpObject(data, 1);
}

function isComposite(value: InfoValue): value is readonly InfoValue[] | { readonly [key: string]: InfoValue } {
  return typeof value === 'object';
}

function scalar(value: InfoValue): string {
  return typeof value === 'boolean' ? (value ? 'true' : 'false') : String(value);
}

function dumpEntry(label: string, value: InfoValue, level: number): string {
  const indent = '    '.repeat(level);
  if (!isComposite(value)) return `${indent}${label}: ${scalar(value)}\n`;
  const body = Array.isArray(value) ? dumpList(value as readonly InfoValue[], level + 1) : dumpObject(value as { readonly [key: string]: InfoValue }, level + 1);
  return `${indent}${label}:\n${body}`;
}

function dumpObject(object: { readonly [key: string]: InfoValue }, level: number): string {
  return qdictOrder(Object.keys(object))
    .map((key) => dumpEntry(key.replaceAll('-', ' '), object[key]!, level))
    .join('');
}

function dumpList(list: readonly InfoValue[], level: number): string {
  return list.map((item, i) => dumpEntry(`[${i}]`, item, level)).join('');
}
