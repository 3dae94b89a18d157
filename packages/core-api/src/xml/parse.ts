import { SaxesParser, type SaxesTag } from 'saxes';
import { ErrorCode, ErrorDomain } from '../errors/codes.js';
import { VirtError } from '../errors/virt-error.js';
import { XmlElement } from './node.js';

interface Position {
  line: number;
  column: number;
}

/**
 * Render the context lines libxml2 prints under a parse error: the line the
 * parser stopped on and a caret under the position, tabs kept so the caret
 * lines up.
 */
function context(source: string, pos: Position): string {
  const lines = source.split('\n');
  const line = lines[pos.line - 1] ?? '';
  if (line === '' && pos.line >= lines.length) return '(null)\n^';
  let marker = '';
  for (const ch of line.slice(0, pos.column)) marker += ch === '\t' ? '\t' : '-';
  return `${line}\n${marker}^`;
}

/** The first non-blank character at or after a position. */
function skipBlanks(source: string, pos: Position): Position {
  const lines = source.split('\n');
  let { line, column } = pos;
  for (;;) {
    const text = lines[line - 1];
    if (text === undefined) return pos;
    while (column < text.length && /\s/.test(text[column]!)) column++;
    if (column < text.length || line >= lines.length) return { line, column };
    line++;
    column = 0;
  }
}

/**
 * Parse an XML document into an {@link XmlElement} tree. `documentName` is
 * what error messages call the document, as libvirt does:
 * `(domain_definition)`, `(network_definition)`, or a file name.
 *
 * Malformed input raises a VirtError (VIR_ERR_XML_DETAIL) whose message
 * follows libxml2's: `NAME:LINE: problem`, the offending line, and a caret.
 */
export function parseXml(source: string, documentName: string): XmlElement {
  const parser = new SaxesParser({ position: true });
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  let rootEnd: Position | undefined;
  let failure: { message: string; pos: Position } | undefined;
  let lastClosed: XmlElement | undefined;

  const here = (): Position => ({ line: parser.line, column: parser.column });
  const fail = (message: string, pos: Position = here()): void => {
    failure ??= { message, pos };
  };

  parser.on('opentag', (tag: SaxesTag) => {
    const el = new XmlElement(tag.name);
    el.line = parser.line;
    for (const [k, v] of Object.entries(tag.attributes)) el.attributes.set(k, typeof v === 'string' ? v : v.value);
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push(el);
    else root ??= el;
    if (!tag.isSelfClosing) stack.push(el);
    else if (!parent) rootEnd = here();
  });
  parser.on('closetag', (tag: SaxesTag) => {
    if (tag.isSelfClosing) return;
    lastClosed = stack.pop();
    if (stack.length === 0) rootEnd = here();
  });
  const onText = (text: string): void => {
    const parent = stack[stack.length - 1];
    if (!parent) return;
    const last = parent.children[parent.children.length - 1];
    if (last?.kind === 'text') last.text += text;
    else parent.children.push({ kind: 'text', text });
  };
  parser.on('text', onText);
  parser.on('cdata', onText);
  parser.on('error', (err: Error) => {
    const m = /^\d+:\d+: (.*?)\.?$/.exec(err.message);
    const problem = m ? m[1]! : err.message;
    const pos = here();
    const back = { line: pos.line, column: Math.max(0, pos.column - 1) };
    const open = stack[stack.length - 1];
    if (problem === 'unexpected close tag') {
      // saxes has just popped (and emitted closetag for) the element the close tag fails to match
      fail(`Opening and ending tag mismatch: ${lastClosed?.name ?? ''} line ${lastClosed?.line ?? 0} and ${closingTagBefore(source, pos)}`, pos);
    } else if (problem.startsWith('unmatched closing tag: ')) {
      fail(`Opening and ending tag mismatch: ${open?.name ?? ''} line ${open?.line ?? 0} and ${problem.slice('unmatched closing tag: '.length)}`, pos);
    } else if (problem === 'document must contain a root element') {
      if (source.length === 0) fail('Document is empty', { line: 1, column: 0 });
      else fail("Start tag expected, '<' not found", pos);
    } else if (problem.startsWith('unclosed tag')) {
      if (open) fail(`Premature end of data in tag ${open.name} line ${open.line}`, pos);
    } else if (problem === 'documents may contain only one root' || problem === 'text data outside of root node') {
      fail('Extra content at the end of the document', rootEnd ? skipBlanks(source, rootEnd) : pos);
    } else if (problem.startsWith('disallowed character in tag name')) {
      fail('StartTag: invalid element name', back);
    } else if (problem === 'attribute without value') {
      fail(`Specification mandates value for attribute ${lastAttributeName(source, back)}`, back);
    } else if (problem === 'unquoted attribute value') {
      fail(`AttValue: " or ' expected`, back);
    } else if (problem === 'undefined entity') {
      fail(`Entity '${entityBefore(source, pos)}' not defined`, pos);
    } else if (problem.startsWith('duplicate attribute')) {
      fail(`Attribute ${problem.slice('duplicate attribute: '.length)} redefined`, pos);
    } else if (problem !== 'unexpected end') {
      fail(problem.charAt(0).toUpperCase() + problem.slice(1), pos);
    }
  });
  try {
    parser.write(source).close();
  } catch {
    // errors are collected by the handler above
  }
  if (failure || !root) {
    const f = failure ?? { message: 'Document is empty', pos: { line: 1, column: 0 } };
    throw VirtError.create(ErrorCode.XML_DETAIL, ErrorDomain.XML, `${documentName}:${f.pos.line}: ${f.message}\n${context(source, f.pos)}`);
  }
  return root;
}

/** Name of the attribute that ends at a position (for the "mandates value" message). */
function lastAttributeName(source: string, pos: Position): string {
  const line = source.split('\n')[pos.line - 1] ?? '';
  const m = /([^\s<>=]+)\s*$/.exec(line.slice(0, pos.column));
  return m ? m[1]! : '';
}

/** Name of the close tag that ends at a position. */
function closingTagBefore(source: string, pos: Position): string {
  const line = source.split('\n')[pos.line - 1] ?? '';
  const m = /<\/\s*([^\s>]+)\s*>$/.exec(line.slice(0, pos.column));
  return m ? m[1]! : '';
}

/** Name of the entity reference that ends at a position. */
function entityBefore(source: string, pos: Position): string {
  const line = source.split('\n')[pos.line - 1] ?? '';
  const m = /&([^;&\s]*);?$/.exec(line.slice(0, pos.column));
  return m ? m[1]! : '';
}
