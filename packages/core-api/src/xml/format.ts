import type { XmlElement, XmlNode } from './node.js';

const ENTITIES: Readonly<Record<string, string>> = { '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' };

/**
 * Escape text or an attribute value the way libvirt's XML writer does:
 * the five XML specials become entities and control characters other
 * than tab, newline and carriage return are dropped (XML cannot carry them).
 */
export function escapeXml(value: string): string {
  let out = '';
  for (const ch of value) {
    const entity = ENTITIES[ch];
    if (entity) out += entity;
    else if (ch >= ' ' || ch === '\n' || ch === '\t' || ch === '\r') out += ch;
  }
  return out;
}

function startTag(el: XmlElement): string {
  let out = '<' + el.name;
  for (const [k, v] of el.attributes) out += ` ${k}='${escapeXml(v)}'`;
  return out;
}

function hasElementChildren(el: XmlElement): boolean {
  return el.children.some((c) => c.kind === 'element');
}

function isBlank(node: XmlNode): boolean {
  return node.kind === 'text' && node.text.trim() === '';
}

/**
 * Format an element in libvirt's layout: two-space indentation, single-quoted
 * attributes, `<x/>` for empty elements, text-only elements on one line.
 * Mixed content (text beside elements) is written inline, unindented, so
 * that no whitespace is added to it.
 */
export function formatXml(el: XmlElement, indent = 0): string {
  if (el.formatter) return el.formatter(el, indent);
  const pad = ' '.repeat(indent);
  if (!hasElementChildren(el)) {
    // a text child, even an empty one, makes an open/close pair: <doi></doi>
    if (el.children.length > 0) return `${pad}${startTag(el)}>${escapeXml(el.text())}</${el.name}>\n`;
    return el.expanded ? `${pad}${startTag(el)}>\n${pad}</${el.name}>\n` : `${pad}${startTag(el)}/>\n`;
  }
  const content = el.children.filter((c) => !isBlank(c));
  if (content.some((c) => c.kind === 'text')) return `${pad}${formatInline(el)}\n`;
  let out = `${pad}${startTag(el)}>\n`;
  for (const c of content) out += formatXml(c as XmlElement, indent + 2);
  return out + `${pad}</${el.name}>\n`;
}

function formatInline(el: XmlElement): string {
  if (el.children.length === 0) return `${startTag(el)}/>`;
  let out = `${startTag(el)}>`;
  for (const c of el.children) out += c.kind === 'text' ? escapeXml(c.text) : formatInline(c);
  return out + `</${el.name}>`;
}
