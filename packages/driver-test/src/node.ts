import { dirname, isAbsolute, join } from 'node:path';
import {
  DomainState,
  ErrorCode,
  ErrorDomain,
  formatXml,
  parseDomainElement,
  parseInterfaceElement,
  parseNetworkXML,
  parseSnapshotXML,
  parseStoragePoolXML,
  parseStorageVolXML,
  parseXmlFile,
  strToInt,
  VirtError,
  xmlError,
  XmlElement,
  type Capabilities,
  type NodeInfo,
} from '@virt/core-api';
import { TestDomains } from './domains.js';
import { TestInterfaces } from './interface.js';
import { TestNetworks } from './network.js';
import { TEST_DOMAIN_OPTIONS } from './options.js';
import { TestPools } from './storage.js';

const TEST_NAMESPACE = 'http://libvirt.org/schemas/domain/test/1.0';

export interface NumaCell {
  /** KiB */
  memory: number;
  /** KiB */
  free: number;
  pageSize: number;
  cpus: number[];
}

/** The whole state of one fake host: node description and every object on it. */
export class TestNode {
  info: NodeInfo = { model: 'i686', memory: 3145728, cpus: 16, mhz: 1400, nodes: 2, sockets: 2, cores: 2, threads: 2 };
  cells: NumaCell[] = [];
  readonly domains = new TestDomains();
  readonly networks = new TestNetworks();
  readonly pools = new TestPools();
  readonly interfaces = new TestInterfaces();

  capabilities(): Capabilities {
    const secmodels = [{ model: 'testSecurity', doi: '' }];
    const guest = (osType: string): Capabilities['guests'][number] => ({
      osType,
      arch: 'i686',
      wordsize: 32,
      emulator: '/usr/bin/test-hv',
      domains: [{ type: 'test' }],
      features: [{ name: 'pae' }, { name: 'nonpae' }],
    });
    return {
      host: {
        arch: 'i686',
        cpuFeatures: ['pae', 'nonpae'],
        pageSizes: [4, 8, 2048, 1048576],
        powerManagement: [],
        iommu: false,
        cells: this.cells.map((c, id) => ({
          id,
          memory: c.memory,
          pages: [
            { size: c.pageSize, count: c.memory / c.pageSize },
            { size: 2048, count: 0 },
            { size: 1048576, count: 0 },
          ],
          cpus: c.cpus.map((cpu) => ({ id: cpu, socketId: id, dieId: 0, coreId: cpu % 8, siblings: String(cpu) })),
        })),
        secmodels,
      },
      guests: [guest('hvm'), guest('xen')],
    };
  }
}

/** Replace `<x file='...'/>` by the root of that file, resolved against the node file's folder. */
function resolveFile(el: XmlElement, nodeFile: string): XmlElement {
  const file = el.attr('file');
  if (file === undefined) return el;
  const path = isAbsolute(file) ? file : join(dirname(nodeFile), file);
  const root = parseXmlFile(path);
  if (root.name !== el.name) throw xmlError(ErrorDomain.XML, `expecting root element of '${el.name}', not '${root.name}'`);
  return root;
}

function nodeUInt(node: XmlElement, path: string[], what: string): number | undefined {
  let el: XmlElement | undefined = node;
  for (const p of path) el = el?.child(p);
  if (!el) return undefined;
  const parsed = strToInt(el.text(), 'ui');
  if (!parsed) throw xmlError(ErrorDomain.TEST, `invalid node ${what} value`);
  return Number(parsed.value);
}

function parseNodeInfo(node: TestNode, root: XmlElement): void {
  const info = node.info;
  info.nodes = nodeUInt(root, ['cpu', 'nodes'], 'cpu nodes') ?? info.nodes;
  info.sockets = nodeUInt(root, ['cpu', 'sockets'], 'cpu sockets') ?? info.sockets;
  info.cores = nodeUInt(root, ['cpu', 'cores'], 'cpu cores') ?? info.cores;
  info.threads = nodeUInt(root, ['cpu', 'threads'], 'cpu threads') ?? info.threads;
  info.cpus = info.nodes * info.sockets * info.cores * info.threads;
  const active = nodeUInt(root, ['cpu', 'active'], 'cpu active');
  if (active !== undefined && active < info.cpus) info.cpus = active;
  info.mhz = nodeUInt(root, ['cpu', 'mhz'], 'cpu mhz') ?? info.mhz;
  const model = root.child('cpu')?.child('model')?.text();
  if (model !== undefined) {
    if (model.length >= 32) throw VirtError.create(ErrorCode.INTERNAL_ERROR, ErrorDomain.TEST, `Model ${model} too big for destination`);
    info.model = model;
  }
  const memory = root.child('memory');
  if (memory) {
    const parsed = strToInt(memory.text(), 'ull');
    if (!parsed) throw xmlError(ErrorDomain.TEST, 'invalid node memory value');
    info.memory = Number(parsed.value);
  }
}

/** The prefix a domain element uses for the test driver's namespace, if any. */
function testPrefix(domainEl: XmlElement): string | undefined {
  for (const [k, v] of domainEl.attributes) if (k.startsWith('xmlns:') && v === TEST_NAMESPACE) return k.slice(6);
  return undefined;
}

function loadDomain(node: TestNode, el: XmlElement, nodeFile: string): void {
  const prefix = testPrefix(el);
  const child = (name: string): XmlElement | undefined => (prefix ? el.child(`${prefix}:${name}`) : undefined);
  let runstate: number = DomainState.RUNNING;
  const runEl = child('runstate');
  if (runEl) {
    const parsed = strToInt(runEl.text(), 'ui');
    if (!parsed) throw xmlError(ErrorDomain.TEST, 'invalid runstate');
    runstate = Number(parsed.value);
    if (runstate >= 8) throw xmlError(ErrorDomain.TEST, `runstate '${runstate}' out of range'`);
  }
  const transient = child('transient') !== undefined;
  const managedSave = child('hasmanagedsave') !== undefined;
  if (transient && runstate === DomainState.SHUTOFF) throw xmlError(ErrorDomain.TEST, "transient domain cannot have runstate 'shutoff'");
  if (managedSave && runstate !== DomainState.SHUTOFF) {
    throw xmlError(ErrorDomain.TEST, "domain with managedsave data can only have runstate 'shutoff'");
  }

  const def = parseDomainElement(el, TEST_DOMAIN_OPTIONS);
  const { dom } = node.domains.add(def);
  for (const snapEl of prefix ? el.childrenNamed(`${prefix}:domainsnapshot`) : []) {
    const resolved = resolveFile(snapEl, nodeFile);
    // the element's content is a <domainsnapshot> body
    const doc = new XmlElement('domainsnapshot');
    doc.children.push(...resolved.clone().children);
    const snapDef = parseSnapshotXML(formatXml(doc), true, TEST_DOMAIN_OPTIONS);
    if (!snapDef.domain) throw VirtError.create(ErrorCode.INTERNAL_ERROR, ErrorDomain.DOMAIN_SNAPSHOT, 'missing domain in snapshot');
    // a stored snapshot says whether it is the current one, as an integer
    const active = strToInt(resolved.child('active')?.text() ?? '', 'i');
    if (!active) throw VirtError.create(ErrorCode.INTERNAL_ERROR, ErrorDomain.DOMAIN_SNAPSHOT, "Could not find 'active' element");
    dom.snapshots.add({ def: snapDef as typeof snapDef & { name: string } });
    if (active.value !== 0n) {
      if (dom.snapshots.current !== undefined) throw VirtError.create(ErrorCode.INTERNAL_ERROR, ErrorDomain.TEST, 'more than one snapshot claims to be active');
      dom.snapshots.current = snapDef.name;
    }
  }
  for (const s of dom.snapshots.all()) {
    if (s.def.parent !== undefined && !dom.snapshots.get(s.def.parent)) {
      throw VirtError.create(ErrorCode.INTERNAL_ERROR, ErrorDomain.TEST, `Snapshots have inconsistent relations for domain ${def.name}`);
    }
  }
  dom.persistent = !transient;
  dom.hasManagedSave = managedSave;
  if (runstate !== DomainState.SHUTOFF) node.domains.activate(dom, runstate, 0);
  else dom.setState(DomainState.SHUTOFF, 0);
}

/**
 * Build a fake host from a node description (libvirt's testnode format):
 * `<node>` with `<cpu>`, `<memory>`, `<domain>`, `<network>`,
 * `<interface>` and `<pool>` (with `<volume>`) children; any of them may be
 * `<x file='...'/>`. Every object starts active, as in libvirt.
 */
export function loadNode(root: XmlElement, nodeFile: string, numa: NumaCell[] = []): TestNode {
  if (root.name !== 'node') throw xmlError(ErrorDomain.XML, `expecting root element of 'node', not '${root.name}'`);
  const node = new TestNode();
  node.cells = numa;
  parseNodeInfo(node, root);
  for (const el of root.childrenNamed('domain')) loadDomain(node, resolveFile(el, nodeFile), nodeFile);
  for (const el of root.childrenNamed('network')) node.networks.load(parseNetworkXML(formatXml(resolveFile(el, nodeFile))));
  for (const el of root.childrenNamed('interface')) node.interfaces.load(parseInterfaceElement(resolveFile(el, nodeFile)));
  for (const el of root.childrenNamed('pool')) {
    const poolEl = resolveFile(el, nodeFile);
    const pool = node.pools.add(parseStoragePoolXML(formatXml(poolEl)));
    pool.active = true;
    for (const volEl of poolEl.childrenNamed('volume')) {
      node.pools.addVolume(pool, parseStorageVolXML(formatXml(resolveFile(volEl, nodeFile)), pool.def.type), { keepPath: true });
    }
  }
  return node;
}
