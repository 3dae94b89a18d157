import type { XmlElement } from '../../xml/node.js';

/**
 * Keep what libvirt keeps of `<metadata>`: only namespaced child elements,
 * the first one per namespace URI. A namespace declared further up (on
 * `<metadata>` or the document root, passed as `inherited`) is declared on
 * the kept element, as libxml2 does when it copies the subtree.
 */
export function sanitizeMetadata(el: XmlElement, inherited: ReadonlyMap<string, string> = new Map()): XmlElement {
  const copy = el.clone();
  copy.children.length = 0;
  copy.attributes.clear();
  copy.formatter = formatMetadataElement;
  const scope = new Map(inherited);
  for (const [k, v] of el.attributes) if (k === 'xmlns' || k.startsWith('xmlns:')) scope.set(k, v);
  const seen = new Set<string>();
  for (const child of el.elements()) {
    const colon = child.name.indexOf(':');
    const decl = colon >= 0 ? `xmlns:${child.name.slice(0, colon)}` : 'xmlns';
    const uri = child.attr(decl) ?? scope.get(decl);
    if (uri === undefined || seen.has(uri)) continue;
    seen.add(uri);
    const kept = child.clone();
    if (kept.attr(decl) === undefined) {
      const attrs = [...kept.attributes];
      kept.attributes.clear();
      kept.attributes.set(decl, uri);
      for (const [k, v] of attrs) kept.attributes.set(k, v);
    }
    copy.children.push(kept);
  }
  return copy;
}

function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function escapeAttribute(value: string): string {
  return escapeText(value).replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;');
}

function startTag(el: XmlElement): string {
  let out = `<${el.name}`;
  for (const [k, v] of el.attributes) out += ` ${k}="${escapeAttribute(v)}"`;
  return out;
}

function inline(el: XmlElement): string {
  if (el.children.length === 0) return `${startTag(el)}/>`;
  let out = `${startTag(el)}>`;
  for (const c of el.children) out += c.kind === 'text' ? escapeText(c.text) : inline(c);
  return `${out}</${el.name}>`;
}

/**
 * Write metadata content the way libxml2 serialises it inside libvirt's
 * output: double-quoted attributes, element-only content indented, mixed
 * content on one line.
 */
export function formatMetadata(el: XmlElement, indent: number): string {
  const pad = ' '.repeat(indent);
  const children = el.children.filter((c) => !(c.kind === 'text' && c.text.trim() === ''));
  if (children.length === 0) return `${pad}${startTag(el)}/>\n`;
  if (children.some((c) => c.kind === 'text')) return `${pad}${inline(el)}\n`;
  let out = `${pad}${startTag(el)}>\n`;
  for (const c of children) out += formatMetadata(c as XmlElement, indent + 2);
  return `${out}${pad}</${el.name}>\n`;
}

/** The `<metadata>` element itself keeps libvirt's single quotes; its content is libxml2's. */
function formatMetadataElement(el: XmlElement, indent: number): string {
  const pad = ' '.repeat(indent);
  const children = el.elements();
  if (children.length === 0) return `${pad}<metadata/>\n`;
  return `${pad}<metadata>\n${children.map((c) => formatMetadata(c, indent + 2)).join('')}${pad}</metadata>\n`;
}
