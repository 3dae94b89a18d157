/**
 * A small, ordered XML tree: what the typed parsers read from and the
 * formatters write to. Attribute order and unknown content are kept so that
 * elements we do not model survive a parse/format round trip.
 */

export interface XmlText {
  readonly kind: 'text';
  text: string;
}

export type XmlNode = XmlElement | XmlText;

export class XmlElement {
  readonly kind = 'element' as const;
  readonly name: string;
  readonly attributes = new Map<string, string>();
  readonly children: XmlNode[] = [];
  /** 1-based line of the start tag in the parsed document (0 when built in code). */
  line = 0;
  /**
   * Write start and end tags on separate lines even when empty (libvirt
   * does this for a few elements, e.g. an empty pool `<source>`).
   */
  expanded = false;
  /**
   * Write this element with another serialiser (libvirt prints
   * `<metadata>` content the way libxml2 does, with double quotes).
   */
  formatter?: (el: XmlElement, indent: number) => string;

  constructor(name: string, attributes?: Record<string, string | number | undefined>) {
    this.name = name;
    if (attributes) {
      for (const [key, value] of Object.entries(attributes)) {
        if (value !== undefined) this.attributes.set(key, String(value));
      }
    }
  }

  attr(name: string): string | undefined {
    return this.attributes.get(name);
  }

  setAttr(name: string, value: string | number | boolean | undefined): this {
    if (value === undefined) this.attributes.delete(name);
    else this.attributes.set(name, String(value));
    return this;
  }

  /** Child elements, in document order. */
  elements(): XmlElement[] {
    return this.children.filter((c): c is XmlElement => c.kind === 'element');
  }

  /** First child element called `name`. */
  child(name: string): XmlElement | undefined {
    for (const c of this.children) if (c.kind === 'element' && c.name === name) return c;
    return undefined;
  }

  childrenNamed(name: string): XmlElement[] {
    return this.children.filter((c): c is XmlElement => c.kind === 'element' && c.name === name);
  }

  /** Concatenated text of the direct text children. */
  text(): string {
    let out = '';
    for (const c of this.children) if (c.kind === 'text') out += c.text;
    return out;
  }

  append(node: XmlNode): this {
    this.children.push(node);
    return this;
  }

  /** Append a new child element and return it. */
  add(name: string, attributes?: Record<string, string | number | undefined>, text?: string): XmlElement {
    const el = new XmlElement(name, attributes);
    if (text !== undefined) el.children.push({ kind: 'text', text });
    this.children.push(el);
    return el;
  }

  /** Append a child element holding only text, when the value is defined. */
  addText(name: string, text: string | number | undefined, attributes?: Record<string, string | number | undefined>): void {
    if (text !== undefined) this.add(name, attributes, String(text));
  }

  clone(): XmlElement {
    const copy = new XmlElement(this.name);
    copy.line = this.line;
    copy.expanded = this.expanded;
    copy.formatter = this.formatter;
    for (const [k, v] of this.attributes) copy.attributes.set(k, v);
    for (const c of this.children) copy.children.push(c.kind === 'element' ? c.clone() : { ...c });
    return copy;
  }
}
