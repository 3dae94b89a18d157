import { cliBundle } from '../../tsup.cli.js';

/*
 * Command handlers stay behind dynamic imports, which the bundle keeps as
 * lazy initialisers: a run executes the command table and only the
 * handlers it needs. The XML parser is bundled; the XPath engine (only for
 * --xpath) stays a dependency loaded on demand.
 */
export default cliBundle('virt', {
  noExternal: ['saxes', 'xmlchars'],
  external: ['@xmldom/xmldom', 'xpath'],
});
