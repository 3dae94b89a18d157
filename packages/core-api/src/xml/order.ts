import { XmlElement } from './node.js';

/**
 * Put an element's attributes in a known order (libvirt writes attributes
 * in a fixed order whatever the input order); unknown attributes follow,
 * as written.
 */
export function orderAttributes(el: XmlElement, order: readonly string[]): XmlElement {
  const entries = [...el.attributes];
  const rank = (name: string): number => {
    const i = order.indexOf(name);
    return i < 0 ? order.length : i;
  };
  entries.sort((a, b) => rank(a[0]) - rank(b[0]));
  el.attributes.clear();
  for (const [k, v] of entries) el.attributes.set(k, v);
  return el;
}

/**
 * Put child elements in a known order by name (stable within a name);
 * unknown children follow, as written. Text children are kept in front.
 */
export function orderChildren(el: XmlElement, order: readonly string[]): XmlElement {
  const rank = (name: string): number => {
    const i = order.indexOf(name);
    return i < 0 ? order.length : i;
  };
  const texts = el.children.filter((c) => c.kind === 'text');
  const elements = el.elements().map((c, i) => ({ c, i }));
  elements.sort((a, b) => rank(a.c.name) - rank(b.c.name) || a.i - b.i);
  el.children.length = 0;
  el.children.push(...texts, ...elements.map((e) => e.c));
  return el;
}
