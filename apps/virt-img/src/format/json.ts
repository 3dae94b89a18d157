import { qdictOrder } from './qdict-order.js';

/** A value as QEMU's JSON writer sees it; object keys in the order QAPI inserts them (schema order). */
export type JsonValue = string | number | bigint | boolean | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/**
 * A string as QEMU's JSON writer quotes it: the usual escapes, other
 * control characters and every code point from U+007F up as \uXXXX
 * (upper-case hex; UTF-16 surrogate pairs beyond the BMP).
 */
export function jsonString(text: string): string {
  let quoted = '"';
  for (const char of text) {
    const code = char.codePointAt(0)!;
    switch (char) {
      case '"':
        quoted += '\\"';
        continue;
      case '\\':
        quoted += '\\\\';
        continue;
      case '\b':
        quoted += '\\b';
        continue;
      case '\f':
        quoted += '\\f';
        continue;
      case '\n':
        quoted += '\\n';
        continue;
      case '\r':
        quoted += '\\r';
        continue;
      case '\t':
        quoted += '\\t';
        continue;
    }
    if (code >= 0x20 && code < 0x7f) {
      quoted += char;
      continue;
    }
    for (let i = 0; i < char.length; i++) quoted += `\\u${char.charCodeAt(i).toString(16).toUpperCase().padStart(4, '0')}`;
  }
  return `${quoted}"`;
}

/**
 * QEMU's pretty-printed JSON: four spaces a level, object members in QDict
 * hash order, empty containers as an opening and a closing line.
 */
export function prettyJson(value: JsonValue, level = 0): string {
  if (typeof value === 'string') return jsonString(value);
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  const inner = '    '.repeat(level + 1);
  const closing = `\n${'    '.repeat(level)}`;
  if (Array.isArray(value)) {
    const items = (value as readonly JsonValue[]).map((item) => inner + prettyJson(item, level + 1));
    return `[${items.length ? '\n' : ''}${items.join(',\n')}${closing}]`;
  }
  const object = value as { readonly [key: string]: JsonValue };
  const members = qdictOrder(Object.keys(object)).map((key) => `${inner}${jsonString(key)}: ${prettyJson(object[key]!, level + 1)}`);
  return `{${members.length ? '\n' : ''}${members.join(',\n')}${closing}}`;
}
