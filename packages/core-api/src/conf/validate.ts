import { ErrorCode, ErrorDomain } from '../errors/codes.js';
import { VirtError } from '../errors/virt-error.js';
import type { XmlExtras } from '../xml/reader.js';

/**
 * The `--validate` check (VIR_DOMAIN_DEFINE_VALIDATE and friends). libvirt
 * validates against its RelaxNG schemas; we carry no schemas, so what we
 * reject is what the schema would reject first in practice: a top-level
 * element the format does not define. The message reads as libvirt's,
 * whose schema report ends with a newline of its own.
 */
export function rejectUnknownContent(schema: string, root: string, extras: XmlExtras | undefined): void {
  const unknown = extras?.children[0];
  if (unknown) {
    throw VirtError.create(
      ErrorCode.XML_INVALID_SCHEMA,
      ErrorDomain.XML,
      `Unable to validate doc against /usr/share/libvirt/schemas/${schema}.rng\nElement ${root} has extra content: ${unknown.name}\n`,
    );
  }
}
