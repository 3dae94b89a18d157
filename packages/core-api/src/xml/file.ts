import { readFileSync } from 'node:fs';
import { ErrorDomain } from '../errors/codes.js';
import { xmlError } from '../conf/common.js';
import type { XmlElement } from './node.js';
import { parseXml } from './parse.js';

type WarningSink = (text: string) => void;

/** libxml2 prints its warnings on stderr; libvirt leaves that as it is, and so do we unless told otherwise. */
let warningSink: WarningSink = (text) => process.stderr.write(text);

/** Send the warnings XML file loading prints (libxml2's "I/O warning") somewhere else, e.g. a log. */
export function setXmlWarningSink(sink: WarningSink): void {
  warningSink = sink;
}

/**
 * Read and parse an XML file as libvirt's virXMLParseFile does: a file that
 * cannot be read gets libxml2's I/O warning and "failed to parse xml
 * document"; a malformed one is reported under its path.
 */
export function parseXmlFile(path: string): XmlElement {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    warningSink(`I/O warning : failed to load external entity "${path}"\n`);
    throw xmlError(ErrorDomain.XML, `failed to parse xml document '${path}'`);
  }
  return parseXml(text, path);
}
