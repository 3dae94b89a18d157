import { describe, expect, it } from 'vitest';
import { ElementReader, ErrorCode, formatXml, parseXml, VirtError, writeExtras, XmlElement } from '../src/index.js';

function parseError(source: string): string {
  try {
    parseXml(source, '(domain_definition)');
  } catch (e) {
    expect(e).toBeInstanceOf(VirtError);
    expect((e as VirtError).code).toBe(ErrorCode.XML_DETAIL);
    return (e as VirtError).message;
  }
  throw new Error('parsed');
}

describe('parseXml', () => {
  it('builds an ordered tree', () => {
    const root = parseXml("<domain type='test' id='1'><name>x</name><devices><disk a='1'/></devices></domain>", 'doc');
    expect(root.name).toBe('domain');
    expect([...root.attributes.keys()]).toEqual(['type', 'id']);
    expect(root.child('name')?.text()).toBe('x');
    expect(root.child('devices')?.childrenNamed('disk')).toHaveLength(1);
  });

  it('reports malformed documents as libxml2 does', () => {
    expect(parseError('<domain type="test">\n  <name>x</nam>\n</domain>\n')).toBe(
      '(domain_definition):2: Opening and ending tag mismatch: name line 2 and nam\n  <name>x</nam>\n---------------^',
    );
    // a close tag for an outer element while an inner one is still open
    expect(parseError('<domain>\n  <name>x\n</domain>')).toBe(
      '(domain_definition):3: Opening and ending tag mismatch: name line 2 and domain\n</domain>\n---------^',
    );
    expect(parseError('')).toBe('(domain_definition):1: Document is empty\n(null)\n^');
    expect(parseError('<domain>\n  <name>x</name>\n')).toBe('(domain_definition):3: Premature end of data in tag domain line 1\n(null)\n^');
    expect(parseError('<domain>\n  <name>x</name>\n</domain>\n<extra/>')).toBe(
      '(domain_definition):4: Extra content at the end of the document\n<extra/>\n^',
    );
    expect(parseError('<domain>\n  <1name/>\n</domain>')).toBe('(domain_definition):2: StartTag: invalid element name\n  <1name/>\n---^');
    expect(parseError('<domain>\n  <name a>x</name>\n</domain>')).toBe(
      '(domain_definition):2: Specification mandates value for attribute a\n  <name a>x</name>\n---------^',
    );
    expect(parseError('<domain>\n  <name a=1>x</name>\n</domain>')).toBe(
      '(domain_definition):2: AttValue: " or \' expected\n  <name a=1>x</name>\n----------^',
    );
    expect(parseError('<domain>\n  <name>&foo;</name>\n</domain>')).toBe(
      "(domain_definition):2: Entity 'foo' not defined\n  <name>&foo;</name>\n-------------^",
    );
    expect(parseError('<domain type="test">\t<name>x</nam>\n</domain>')).toBe(
      '(domain_definition):1: Opening and ending tag mismatch: name line 1 and nam\n<domain type="test">\t<name>x</nam>\n--------------------\t-------------^',
    );
  });
});

describe('formatXml', () => {
  it('writes libvirt layout: two spaces, single quotes, escaped values', () => {
    const el = new XmlElement('network');
    el.addText('name', "a<'b'>&");
    el.add('bridge', { name: 'virbr0', stp: 'on' });
    const ip = el.add('ip', { address: '192.168.122.1' });
    ip.add('dhcp').add('range', { start: 'a', end: 'b' });
    expect(formatXml(el)).toBe(
      "<network>\n  <name>a&lt;&apos;b&apos;&gt;&amp;</name>\n  <bridge name='virbr0' stp='on'/>\n  <ip address='192.168.122.1'>\n    <dhcp>\n      <range start='a' end='b'/>\n    </dhcp>\n  </ip>\n</network>\n",
    );
  });

  it('keeps mixed content inline', () => {
    const root = parseXml('<description>a <b>bold</b> c</description>', 'd');
    expect(formatXml(root)).toBe('<description>a <b>bold</b> c</description>\n');
  });
});

describe('ElementReader', () => {
  it('carries unknown attributes and children through', () => {
    const root = parseXml("<disk type='file' future='yes'><source file='/x'/><shiny level='3'/></disk>", 'd');
    const r = new ElementReader(root);
    expect(r.attr('type')).toBe('file');
    expect(r.child('source')?.attr('file')).toBe('/x');
    const out = new XmlElement('disk', { type: 'file' });
    out.add('source', { file: '/x' });
    writeExtras(out, r.extras());
    expect(formatXml(out)).toBe("<disk type='file' future='yes'>\n  <source file='/x'/>\n  <shiny level='3'/>\n</disk>\n");
  });
});
