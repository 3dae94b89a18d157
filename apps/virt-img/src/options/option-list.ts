/*
 * Option lists as qemu-img reads them (QEMU's QemuOpts): "-o a=1,b=x,,y,c"
 * is a=1, b="x,y" (a doubled comma is a comma in the value), c=on; a bare
 * "noc" is c=off; "id=..." is ignored; "help" or "?" asks for help. Values
 * are checked against the option's type as qemu-img checks them.
 */
import type { CreateOptionHelp } from '@virt/storage';
import { parseSize, scanUnsigned } from './size.js';

export type OptionDescription = CreateOptionHelp;

/** One name=value of a list, in the order given. */
export interface OptionItem {
  name: string;
  value: string;
}

/** A parsed value: as given, and as its type reads it. */
export interface OptionValue {
  text: string;
  value: string | bigint | boolean;
}

/** An error in an option list: qemu-img's message, and the hint lines it adds (each ending in a newline). */
export interface OptionError {
  message: string;
  hint?: string;
}

const SIZE_HINT = 'Optional suffix k, M, G, T, P or E means kilo-, mega-, giga-, tera-, peta-\nand exabytes, respectively.\n';

/** What a single -o argument must look like: not empty, not starting with a comma, no lone comma at the end. */
export function isValidOptionList(text: string): boolean {
  if (text === '' || text.startsWith(',')) return false;
  const trailingCommas = text.length - text.replace(/,+$/, '').length;
  return trailingCommas % 2 === 0;
}

/** Join the -o arguments given so far with the next one. */
export function accumulateOptions(sofar: string | undefined, next: string): string {
  return sofar === undefined ? next : `${sofar},${next}`;
}

/** A value up to the next single comma, doubled commas standing for one. */
function readValue(text: string, from: number): { value: string; end: number } {
  let value = '';
  let i = from;
  while (i < text.length) {
    if (text[i] === ',') {
      if (text[i + 1] !== ',') break;
      i++;
    }
    value += text[i++];
  }
  return { value, end: i };
}

/**
 * Split a list into its items. `implied` names the first item when it has
 * no "name=" (--image-opts: "file"). With `stopAtHelp`, a bare "help" or
 * "?" sets `help` and ends the scan; otherwise it is an option like any.
 */
export function splitOptionList(text: string, implied?: string, stopAtHelp = true): { items: OptionItem[]; help: boolean } {
  const items: OptionItem[] = [];
  let firstName = implied;
  let i = 0;
  while (i < text.length) {
    const nameEnd = i + (/[=,]|$/.exec(text.slice(i))?.index ?? 0);
    if (text[nameEnd] === '=') {
      const { value, end } = readValue(text, nameEnd + 1);
      items.push({ name: text.slice(i, nameEnd), value });
      i = end;
    } else if (firstName !== undefined) {
      const { value, end } = readValue(text, i);
      items.push({ name: firstName, value });
      i = end;
    } else {
      // a bare name is a flag: "name" is name=on, "noname" is name=off
      const name = text.slice(i, nameEnd);
      i = nameEnd;
      if (name.startsWith('no')) items.push({ name: name.slice(2), value: 'off' });
      else if (stopAtHelp && (name === 'help' || name === '?')) return { items, help: true };
      else items.push({ name, value: 'on' });
    }
    firstName = undefined;
    if (text[i] === ',') i++;
  }
  return { items, help: false };
}

/** Whether a list asks for help. */
export function hasHelpOption(text: string): boolean {
  return splitOptionList(text).help;
}

const BOOL_WORDS: Readonly<Record<string, boolean>> = { on: true, yes: true, true: true, y: true, off: false, no: false, false: false, n: false };

/** Read one value as its option's type. */
export function parseOptionValue(description: OptionDescription, text: string): { ok: true; value: OptionValue['value'] } | { ok: false; error: OptionError } {
  const { name } = description;
  switch (description.type) {
    case 'str':
      return { ok: true, value: text };
    case 'bool': {
      const value = BOOL_WORDS[text];
      if (value === undefined) return { ok: false, error: { message: `Parameter '${name}' expects 'on' or 'off'` } };
      return { ok: true, value };
    }
    case 'num': {
      const scanned = scanUnsigned(text, 0, 0);
      if (!scanned || scanned.end !== text.length) return { ok: false, error: { message: `Parameter '${name}' expects a number` } };
      if (scanned.overflow) return { ok: false, error: { message: `Value '${text}' is too large for parameter '${name}'` } };
      return { ok: true, value: scanned.value };
    }
    case 'size': {
      const parsed = parseSize(text);
      if (parsed.ok) return { ok: true, value: parsed.value };
      if (parsed.error === 'range') return { ok: false, error: { message: `Value '${text}' is out of range for parameter '${name}'` } };
      return { ok: false, error: { message: `Parameter '${name}' expects a non-negative number below 2^64`, hint: SIZE_HINT } };
    }
  }
}

/** The values of a list, by name (a later value replaces an earlier one, keeping its place). */
export type OptionValues = Map<string, OptionValue>;

/** Check a list against the options a format takes. */
export function parseOptionList(text: string, descriptions: readonly OptionDescription[]): { ok: true; values: OptionValues } | { ok: false; error: OptionError } {
  const values: OptionValues = new Map();
  for (const item of splitOptionList(text, undefined, false).items) {
    if (item.name === 'id') continue;
    const description = descriptions.find((d) => d.name === item.name);
    if (!description) return { ok: false, error: { message: `Invalid parameter '${item.name}'` } };
    const parsed = parseOptionValue(description, item.value);
    if (!parsed.ok) return parsed;
    values.delete(item.name);
    values.set(item.name, { text: item.value, value: parsed.value });
  }
  return { ok: true, values };
}

/** Two lists as one, the first's entry winning where both have a name (qemu_opts_append). */
export function appendOptions(first: readonly OptionDescription[], second: readonly OptionDescription[]): OptionDescription[] {
  return [...first, ...second.filter((d) => !first.some((f) => f.name === d.name))];
}

const TYPE_NAMES: Readonly<Record<OptionDescription['type'], string>> = { str: 'str', bool: 'bool (on/off)', num: 'num', size: 'size' };

/** "-o help": one line an option, "  name=<type>" padded to 24 columns, then " - help"; sorted. */
export function optionHelp(descriptions: readonly OptionDescription[]): string {
  return descriptions
    .map((d) => {
      const head = `  ${d.name}=<${TYPE_NAMES[d.type]}>`;
      return d.help ? `${head.padEnd(24)} - ${d.help}` : head;
    })
    .sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)))
    .map((line) => `${line}\n`)
    .join('');
}

/**
 * The options of qemu-img create's "Formatting ..." line: every option that
 * is set or has a default, in the list's order; strings with their commas
 * doubled, set sizes and numbers as parsed, the rest as given.
 */
export function formatOptionValues(descriptions: readonly OptionDescription[], values: OptionValues): string {
  const parts: string[] = [];
  for (const d of descriptions) {
    const set = values.get(d.name);
    const text = set?.text ?? d.default;
    if (text === undefined) continue;
    if (d.type === 'str') parts.push(`${d.name}=${text.replaceAll(',', ',,')}`);
    else if ((d.type === 'size' || d.type === 'num') && set) parts.push(`${d.name}=${BigInt.asIntN(64, set.value as bigint)}`);
    else parts.push(`${d.name}=${text}`);
  }
  return parts.join(' ');
}
