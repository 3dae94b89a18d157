import { createRequire } from 'node:module';
import { ErrorCode, ErrorDomain, VirtError } from '@virt/core-api';
import type { Session } from '../shell/session.js';

interface DomNode {
  nodeType: number;
  nodeName: string;
  nodeValue: string | null;
  childNodes: ArrayLike<DomNode>;
  attributes?: ArrayLike<{ name: string; value: string }>;
}

const ELEMENT = 1;
const ATTRIBUTE = 2;
const TEXT = 3;
const CDATA = 4;

function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function escapeAttr(text: string): string {
  return escapeText(text).replace(/"/g, '&quot;');
}

/** Serialise a node as libxml2's xmlNodeDump does with formatting (what virsh prints for --xpath). */
function dump(node: DomNode, indent: number): string {
  if (node.nodeType === ATTRIBUTE) return ` ${node.nodeName}="${escapeAttr(node.nodeValue ?? '')}"`;
  if (node.nodeType === TEXT || node.nodeType === CDATA) return escapeText(node.nodeValue ?? '');
  if (node.nodeType !== ELEMENT) return '';
  let out = `<${node.nodeName}`;
  for (const a of Array.from(node.attributes ?? [])) out += ` ${a.name}="${escapeAttr(a.value)}"`;
  const children = Array.from(node.childNodes);
  if (children.length === 0) return `${out}/>`;
  const elementOnly = children.every((c) => c.nodeType === ELEMENT);
  if (!elementOnly) return `${out}>${children.map((c) => dump(c, 0)).join('')}</${node.nodeName}>`;
  const pad = ' '.repeat(indent + 2);
  return `${out}>\n${children.map((c) => `${pad}${dump(c, indent + 2)}\n`).join('')}${' '.repeat(indent)}</${node.nodeName}>`;
}

/** Drop whitespace-only text between elements, as libxml2 does when blanks are not kept. */
function stripBlanks(node: DomNode & { removeChild?: (c: DomNode) => void }): void {
  for (const child of Array.from(node.childNodes)) {
    if (child.nodeType === TEXT && (child.nodeValue ?? '').trim() === '' && node.childNodes.length > 1) node.removeChild?.(child);
    else stripBlanks(child as DomNode & { removeChild?: (c: DomNode) => void });
  }
}

/**
 * Print an object's XML, or with `xpath` only the nodes the expression
 * selects, each on its own (or all inside `<nodes>` with `wrap`), as
 * virsh's virshDumpXML. The XPath engine is loaded only when asked for.
 */
export async function printXML(session: Session, xml: string, xpath: string | undefined, wrap: boolean): Promise<boolean> {
  if (xpath === undefined) {
    session.out.print(xml);
    return true;
  }
  // required, not imported: the launcher runs the bundle from V8's code cache, where import() is unavailable
  const require = createRequire(import.meta.url);
  const { DOMParser } = require('@xmldom/xmldom') as typeof import('@xmldom/xmldom');
  const xpathLib = require('xpath') as typeof import('xpath');
  const doc = new DOMParser().parseFromString(xml, 'text/xml') as unknown as DomNode & { removeChild?: (c: DomNode) => void };
  stripBlanks(doc);
  let result: unknown;
  try {
    result = xpathLib.select(xpath, doc as never);
  } catch {
    // libxml2 reports a bad expression on stderr and virsh carries on
    session.out.printStderr('XPath error : Invalid expression\n');
    return true;
  }
  if (!Array.isArray(result)) throw VirtError.create(ErrorCode.INTERNAL_ERROR, ErrorDomain.XML, `Incorrect xpath '${xpath}'`);
  const nodes = result as DomNode[];
  if (wrap) {
    session.out.print(nodes.length === 0 ? '<nodes/>\n' : `<nodes>\n${nodes.map((n) => `  ${dump(n, 2)}\n`).join('')}</nodes>\n`);
  } else {
    for (const n of nodes) session.out.print(`${dump(n, 0)}\n`);
  }
  return true;
}
