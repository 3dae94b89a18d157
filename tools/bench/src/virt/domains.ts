import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const DOMAIN_COUNT = 10_000;

/** The name of the i-th generated domain. */
export const domainName = (i: number): string => `bench-${String(i).padStart(5, '0')}`;

/** A small but complete domain: the shape users define, not a bare minimum. */
export function domainXML(i: number): string {
  const hex = i.toString(16).padStart(12, '0');
  return `<domain type='test'>
  <name>${domainName(i)}</name>
  <uuid>b0000000-0000-4000-8000-${hex}</uuid>
  <memory unit='MiB'>512</memory>
  <vcpu>2</vcpu>
  <os><type arch='i686'>hvm</type></os>
  <devices>
    <disk type='file' device='disk'>
      <source file='/var/lib/bench/${domainName(i)}.img'/>
      <target dev='vda' bus='virtio'/>
    </disk>
    <interface type='network'>
      <source network='default'/>
      <mac address='52:54:00:${hex.slice(6, 8)}:${hex.slice(8, 10)}:${hex.slice(10, 12)}'/>
    </interface>
  </devices>
</domain>`;
}

/** A testnode file (libvirt's format) holding `count` shut-off domains, for virsh and virt alike. */
export function writeNodeFile(dir: string, count: number): string {
  const path = join(dir, 'node.xml');
  const domains = Array.from({ length: count }, (_, i) =>
    domainXML(i).replace("<domain type='test'>", "<domain type='test' xmlns:test='http://libvirt.org/schemas/domain/test/1.0'>\n  <test:runstate>5</test:runstate>"),
  );
  writeFileSync(path, `<node>\n${domains.join('\n')}\n</node>\n`);
  return path;
}

/** One XML file per domain, for `define FILE` scripts. */
export function writeDomainFiles(dir: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => {
    const path = join(dir, `${domainName(i)}.xml`);
    writeFileSync(path, domainXML(i));
    return path;
  });
}
