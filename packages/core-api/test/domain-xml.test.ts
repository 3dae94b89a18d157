import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatDomainXML, parseDomainXML, VirtError } from '../src/index.js';

const fixture = (name: string): string => readFileSync(new URL(`./fixtures/domain/${name}`, import.meta.url), 'utf8');

function parseError(xml: string): string {
  try {
    parseDomainXML(xml, { defaultArch: 'i686' });
  } catch (e) {
    expect(e).toBeInstanceOf(VirtError);
    return (e as VirtError).message;
  }
  throw new Error('parsed');
}

const minimal = (body: string, extra = ''): string =>
  `<domain type='test'${extra}><name>d1</name><uuid>09e86bcf-c781-4d6e-91d5-ee719455acbd</uuid><memory>1024</memory><os><type>hvm</type></os>${body}</domain>`;

describe('domain XML', () => {
  it('fills in the defaults libvirt adds to a minimal domain', () => {
    const def = parseDomainXML(minimal(''), { defaultArch: 'i686' });
    expect(formatDomainXML(def)).toBe(`<domain type='test'>
  <name>d1</name>
  <uuid>09e86bcf-c781-4d6e-91d5-ee719455acbd</uuid>
  <memory unit='KiB'>1024</memory>
  <currentMemory unit='KiB'>1024</currentMemory>
  <vcpu placement='static'>1</vcpu>
  <os>
    <type arch='i686'>hvm</type>
    <boot dev='hd'/>
  </os>
  <clock offset='utc'/>
  <on_poweroff>destroy</on_poweroff>
  <on_reboot>restart</on_reboot>
  <on_crash>destroy</on_crash>
  <devices>
  </devices>
</domain>
`);
  });

  it('formats every element in libvirt order whatever the input order', () => {
    const def = parseDomainXML(fixture('full-input.xml'), { defaultArch: 'i686', interfaceTargetPrefix: 'testnet' });
    expect(formatDomainXML(def)).toBe(fixture('full-output.xml'));
  });

  it('writes the live id only when asked', () => {
    const def = parseDomainXML(minimal(''), { defaultArch: 'i686' });
    expect(formatDomainXML(def, { id: 3 }).startsWith("<domain type='test' id='3'>\n")).toBe(true);
  });

  it('keeps elements libvirt does not know', () => {
    const def = parseDomainXML(minimal("<future mode='x'><bit/></future><devices><gizmo a='1'/></devices>", " extra='1'"), { defaultArch: 'i686' });
    const xml = formatDomainXML(def);
    expect(xml).toContain("<domain type='test' extra='1'>");
    expect(xml).toContain("    <gizmo a='1'/>\n  </devices>");
    expect(xml).toContain("  <future mode='x'>\n    <bit/>\n  </future>\n</domain>");
  });

  it('normalises memory units, rounding up to KiB', () => {
    const def = parseDomainXML(minimal('').replace('<memory>1024</memory>', "<memory unit='MB'>3000</memory><currentMemory unit='b'>3000</currentMemory>"));
    expect(def.memory).toBe(2929688);
    expect(def.currentMemory).toBe(3);
  });

  it('generates MAC addresses with the 52:54:00 prefix', () => {
    const def = parseDomainXML(minimal("<devices><interface type='network'><source network='default'/></interface></devices>"));
    expect(def.devices.interfaces[0]!.mac).toMatch(/^52:54:00(:[0-9a-f]{2}){3}$/);
  });

  it('orders disks and adds drive addresses and controllers as libvirt', () => {
    const disks = [
      "<disk device='disk'><source file='/notype'/><target dev='hda'/></disk>",
      "<disk type='file' device='cdrom'><target dev='hdc'/></disk>",
      "<disk type='file' device='floppy'><source file='/f.img'/><target dev='fda'/></disk>",
      "<disk type='block' device='disk'><source dev='/dev/sdb'/><target dev='sdb'/></disk>",
      "<disk type='file' device='disk'><source file='/v.img'/><target dev='vdb' bus='virtio'/></disk>",
      "<disk type='file' device='disk'><source file='/x.img'/><target dev='xvda'/></disk>",
      "<disk type='file' device='disk'><source file='/s.img'/><target dev='sdc' bus='sata'/></disk>",
      "<disk type='dir' device='disk'><source dir='/tmp'/><target dev='hdb'/></disk>",
    ].join('');
    const def = parseDomainXML(minimal(`<devices>${disks}</devices>`));
    expect(def.devices.disks.map((d) => d.target.dev)).toEqual(['hda', 'fda', 'xvda', 'sdb', 'hdb', 'hdc', 'vdb', 'sdc']);
    expect(def.devices.controllers.map((c) => `${c.type}${c.index}`)).toEqual(['scsi0', 'fdc0', 'ide0', 'sata0']);
    const xml = formatDomainXML(def);
    expect(xml).toContain("      <target dev='hdc' bus='ide'/>\n      <readonly/>\n      <address type='drive' controller='0' bus='1' target='0' unit='0'/>");
  });

  it('reports invalid definitions with libvirt messages', () => {
    expect(parseError("<domain type='test'><memory>1</memory><os><type>hvm</type></os></domain>")).toBe('missing name information');
    expect(parseError("<domain><name>a</name></domain>")).toBe('internal error: missing domain type attribute');
    expect(parseError("<domain type='foo'><name>a</name></domain>")).toBe('unsupported configuration: invalid domain type foo');
    expect(parseError("<domain type='test'><name>a/b</name></domain>")).toBe("XML error: name a/b cannot contain '/'");
    expect(parseError("<domain type='test'><name>a</name><memory>1024</memory></domain>")).toBe('XML error: an os <type> must be specified');
    expect(parseError("<domain type='test'><name>a</name><os><type>hvm</type></os></domain>")).toBe(
      'XML error: Memory size must be specified via <memory> or in the <numa> configuration',
    );
    expect(parseError(minimal('').replace('<memory>1024</memory>', '<memory>abc</memory>'))).toBe(
      "XML error: Invalid value 'abc' for element or attribute './memory[1]'",
    );
    expect(parseError(minimal('').replace('<memory>1024</memory>', "<memory unit='xyz'>1</memory>"))).toBe("invalid argument: unknown suffix 'xyz'");
    expect(parseError(minimal('').replace('<memory>1024</memory>', "<memory unit='E'>3000</memory>"))).toBe('numerical overflow: value too large: 3000E');
    expect(parseError(minimal("<vcpu current='3'>2</vcpu>"))).toBe('unsupported configuration: maximum vCPU count must not be less than current vCPU count');
    expect(parseError(minimal('<vcpu>x</vcpu>'))).toBe('XML error: maximum vcpus count must be an integer');
    expect(parseError(minimal('').replace('<type>hvm</type>', '<type>foo</type>'))).toBe("unsupported configuration: unknown OS type 'foo'");
    expect(parseError(minimal("<devices><disk type='file'><source file='/a'/></disk></devices>"))).toBe('missing target information for device /a');
    expect(parseError(minimal("<devices><disk type='file'><target dev='hda'/></disk></devices>"))).toBe('missing source information for device hda');
    expect(parseError(minimal("<devices><disk type='file'><source file='/a'/><target dev='hda'/></disk><disk><source file='/b'/><target dev='hda'/></disk></devices>"))).toBe(
      "XML error: target 'hda' duplicated for disk sources '/a' and '/b'",
    );
    expect(parseError(minimal("<devices><interface type='network'><mac address='52-54-00-11-22-33'/><source network='d'/></interface></devices>"))).toBe(
      "XML error: unable to parse mac address '52-54-00-11-22-33'",
    );
    expect(parseError(minimal("<devices><interface type='network'/></devices>"))).toBe("XML error: interface type='network' requires a 'source' element");
    expect(parseError(minimal('<features><ras/></features>'))).toBe("unsupported configuration: unexpected feature 'ras'");
    expect(parseError(minimal('<on_poweroff>foo</on_poweroff>'))).toBe('unsupported configuration: unknown on_poweroff action: foo');
    expect(parseError(minimal("<clock offset='foo'/>"))).toBe("unsupported configuration: unknown clock offset 'foo'");
  });
});
