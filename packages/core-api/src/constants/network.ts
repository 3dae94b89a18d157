/** virConnectListAllNetworksFlags */
export enum ListNetworksFlags {
  INACTIVE = 1 << 0,
  ACTIVE = 1 << 1,
  PERSISTENT = 1 << 2,
  TRANSIENT = 1 << 3,
  AUTOSTART = 1 << 4,
  NO_AUTOSTART = 1 << 5,
}

/** virNetworkXMLFlags */
export enum NetworkXMLFlags {
  INACTIVE = 1 << 0,
}

/** virNetworkCreateFlags */
export enum NetworkCreateFlags {
  VALIDATE = 1 << 0,
}

/** virNetworkDefineFlags */
export enum NetworkDefineFlags {
  VALIDATE = 1 << 0,
}
