export type * from './types.js';
export { parseDomainXML, parseDomainElement, cloneDomainDef } from './parse.js';
export { formatDomainXML, type DomainFormatOptions } from './format.js';
export { diskNameToIndex } from './disks.js';
export { diskSourcePath } from './devices.js';
export { VIRT_TYPES, OS_TYPES, ARCHES } from './enums.js';
