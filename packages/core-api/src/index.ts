export * from './errors/codes.js';
export { ERROR_MESSAGES } from './errors/messages.js';
export { VirtError, describeErrno, errnoNumber, type ErrorExtras } from './errors/virt-error.js';
export { nativeErrorFactory, type NativeErrorFactory } from './errors/native-errors.js';

export * from './constants/domain.js';
export * from './constants/events.js';
export * from './constants/network.js';
export * from './constants/snapshot.js';
export * from './constants/storage.js';

export { parseURI, uriParam, resolveDefaultURI, DEFAULT_URI_ENV, type ConnectURI } from './uri.js';
export { parseUUID, generateUUID } from './uuid.js';
export { parseMAC, generateMAC, isMulticastMAC, GENERATED_MAC_PREFIX } from './mac.js';
export { LIBVIRT_API_VERSION, formatVersion } from './version.js';

export { XmlElement, type XmlNode, type XmlText } from './xml/node.js';
export { parseXml } from './xml/parse.js';
export { parseXmlFile, setXmlWarningSink } from './xml/file.js';
export { formatXml, escapeXml } from './xml/format.js';
export { ElementReader, writeExtras, type XmlExtras } from './xml/reader.js';

export type * from './driver/refs.js';
export type * from './driver/info.js';
export type { HypervisorDriver } from './driver/hypervisor.js';
export type { NetworkDriver } from './driver/network.js';
export type { StorageDriver } from './driver/storage.js';
export type { InterfaceDriver } from './driver/interface.js';
export {
  registerDriver,
  registeredDrivers,
  findDriver,
  probeDefaultURI,
  type ConnectionDrivers,
  type DriverFactory,
  type OpenOptions,
} from './driver/registry.js';

export type * from './events/types.js';
export { EventBus } from './events/bus.js';
export { ConnectionEvents } from './events/connection-events.js';

export { Connect } from './api/connect.js';
export { Domain } from './api/domain.js';
export { DomainSnapshot } from './api/snapshot.js';
export { Network } from './api/network.js';
export { StoragePool, StorageVol } from './api/storage.js';
export { HostInterface } from './api/interface.js';

export { scanInteger, strToInt, type IntKind, type ParsedInt, type ScannedInteger } from './util/strtol.js';
export { scaleInteger, ULLONG_MAX } from './util/scale.js';
export { checkFlags, exclusiveFlags, requireFlag } from './util/flags.js';
export { listenOnUnixSocket } from './util/unix-socket.js';

export { rejectUnknownContent } from './conf/validate.js';
export { parseRoot, parseScaledElement, parseUUIDElement, parseUnsigned, xmlError } from './conf/common.js';
export * from './conf/network.js';
export * from './conf/storage-pool.js';
export * from './conf/storage-vol.js';
export * from './conf/capabilities.js';
export * from './conf/domain/index.js';
export { DomainObj, DomainObjList, type AddOptions } from './conf/domain-obj.js';
export { parseCpuSet, formatCpuSet } from './util/bitmap.js';
export { orderAttributes, orderChildren } from './xml/order.js';
export * from './conf/interface.js';
export * from './conf/snapshot.js';
