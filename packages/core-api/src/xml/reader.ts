import type { XmlElement } from './node.js';

/** Attributes and child elements a typed parser did not understand. */
export interface XmlExtras {
  readonly attributes: ReadonlyArray<readonly [string, string]>;
  readonly children: readonly XmlElement[];
}

/**
 * Reads an element for a typed parser and remembers what was read, so that
 * whatever was not understood can be carried through unchanged
 * ({@link ElementReader.extras}) and written back by {@link writeExtras}.
 */
export class ElementReader {
  private readonly readAttributes = new Set<string>();
  private readonly readChildren = new Set<XmlElement>();

  constructor(readonly element: XmlElement) {}

  /** The element's name, so that a reader can stand in for its element in messages. */
  get name(): string {
    return this.element.name;
  }

  attr(name: string): string | undefined {
    this.readAttributes.add(name);
    return this.element.attr(name);
  }

  /** First child element called `name`. */
  child(name: string): XmlElement | undefined {
    const el = this.element.child(name);
    if (el) this.readChildren.add(el);
    return el;
  }

  /** All child elements called `name`. */
  children(name: string): XmlElement[] {
    const els = this.element.childrenNamed(name);
    for (const el of els) this.readChildren.add(el);
    return els;
  }

  /** Text of the first child called `name`, or undefined when absent. */
  childText(name: string): string | undefined {
    return this.child(name)?.text();
  }

  /** Mark a child element as understood (for parsers that walk children themselves). */
  consume(el: XmlElement): void {
    this.readChildren.add(el);
  }

  extras(): XmlExtras | undefined {
    const attributes = [...this.element.attributes].filter(([k]) => !this.readAttributes.has(k));
    const children = this.element.elements().filter((el) => !this.readChildren.has(el));
    if (attributes.length === 0 && children.length === 0) return undefined;
    return { attributes, children: children.map((c) => c.clone()) };
  }
}

/** Write back what a typed parser carried through: attributes first, then children. */
export function writeExtras(el: XmlElement, extras: XmlExtras | undefined): XmlElement {
  if (!extras) return el;
  for (const [k, v] of extras.attributes) if (!el.attributes.has(k)) el.attributes.set(k, v);
  for (const child of extras.children) el.children.push(child.clone());
  return el;
}
