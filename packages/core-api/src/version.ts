/**
 * The libvirt release whose API, XML and behaviour @virt implements, as
 * virConnectGetLibVersion reports it (major * 1,000,000 + minor * 1,000 +
 * micro). Clients use it to decide which calls they may make.
 */
export const LIBVIRT_API_VERSION = 9_000_000;

/** Format a libvirt version number as "major.minor.micro". */
export function formatVersion(version: number): string {
  const major = Math.floor(version / 1_000_000);
  const minor = Math.floor((version % 1_000_000) / 1000);
  return `${major}.${minor}.${version % 1000}`;
}
