import { ErrorCode, ErrorDomain } from './errors/codes.js';
import { VirtError } from './errors/virt-error.js';

/**
 * A connection URI, parsed the way libvirt parses them:
 * `driver[+transport]://[user@][host][:port]/[path][?params]`.
 */
export interface ConnectURI {
  /** The whole scheme as written, e.g. `qemu+ssh`. */
  readonly scheme: string;
  /** The part before `+`: which driver serves it (`test`, `kvm`, `qemu`). */
  readonly driver: string;
  /** The part after `+` (`ssh`, `tcp`, `tls`, `unix`, `ext`, `libssh2`), or undefined. */
  readonly transport: string | undefined;
  readonly user: string | undefined;
  readonly host: string | undefined;
  readonly port: number | undefined;
  /** The path, `/default`, `/system`, `/abs/file.xml`; empty when absent. */
  readonly path: string;
  /** Query parameters in order, percent-decoded. */
  readonly params: ReadonlyArray<readonly [string, string]>;
  /** The URI as given. */
  readonly text: string;
}

const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*$/;

function decode(text: string, uri: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    throw unparsable(uri);
  }
}

function unparsable(uri: string): VirtError {
  return VirtError.create(ErrorCode.INTERNAL_ERROR, ErrorDomain.URI, `Unable to parse URI ${uri}`);
}

/** Look up one query parameter of a parsed URI. */
export function uriParam(uri: ConnectURI, name: string): string | undefined {
  for (const [k, v] of uri.params) if (k === name) return v;
  return undefined;
}

/**
 * Parse a connection URI. Like libvirt, a URI without `//` keeps everything
 * after the scheme as the path, and query parameters may be separated by
 * `&` or `;`.
 */
export function parseURI(text: string): ConnectURI {
  const colon = text.indexOf(':');
  if (colon <= 0) throw unparsable(text);
  const scheme = text.slice(0, colon);
  if (!SCHEME.test(scheme)) throw unparsable(text);
  let rest = text.slice(colon + 1);

  let query = '';
  const q = rest.indexOf('?');
  if (q >= 0) {
    query = rest.slice(q + 1);
    rest = rest.slice(0, q);
  }
  const hash = rest.indexOf('#');
  if (hash >= 0) rest = rest.slice(0, hash);

  let user: string | undefined;
  let host: string | undefined;
  let port: number | undefined;
  let path = rest;
  if (rest.startsWith('//')) {
    const slash = rest.indexOf('/', 2);
    const authority = slash >= 0 ? rest.slice(2, slash) : rest.slice(2);
    path = slash >= 0 ? rest.slice(slash) : '';
    let hostPort = authority;
    const at = authority.lastIndexOf('@');
    if (at >= 0) {
      user = decode(authority.slice(0, at), text);
      hostPort = authority.slice(at + 1);
    }
    if (hostPort.startsWith('[')) {
      const close = hostPort.indexOf(']');
      if (close < 0) throw unparsable(text);
      host = hostPort.slice(1, close);
      hostPort = hostPort.slice(close + 1);
      if (hostPort !== '' && !hostPort.startsWith(':')) throw unparsable(text);
      if (hostPort.length > 1) port = parsePort(hostPort.slice(1), text);
    } else {
      const pc = hostPort.lastIndexOf(':');
      if (pc >= 0) {
        if (pc + 1 < hostPort.length) port = parsePort(hostPort.slice(pc + 1), text);
        hostPort = hostPort.slice(0, pc);
      }
      if (hostPort !== '') host = decode(hostPort, text);
    }
  }

  const params: Array<[string, string]> = [];
  for (const part of query.split(/[&;]/)) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    params.push(eq < 0 ? [decode(part, text), ''] : [decode(part.slice(0, eq), text), decode(part.slice(eq + 1), text)]);
  }

  const plus = scheme.indexOf('+');
  return {
    scheme,
    driver: plus >= 0 ? scheme.slice(0, plus) : scheme,
    transport: plus >= 0 ? scheme.slice(plus + 1) : undefined,
    user,
    host,
    port,
    path: decode(path, text),
    params,
    text,
  };
}

function parsePort(text: string, uri: string): number {
  if (!/^[0-9]{1,5}$/.test(text)) throw unparsable(uri);
  const port = Number(text);
  if (port > 65535) throw unparsable(uri);
  return port;
}

/** The environment variables consulted for a default URI, in order. */
export const DEFAULT_URI_ENV = ['VIRT_DEFAULT_URI', 'LIBVIRT_DEFAULT_URI'] as const;

/**
 * The URI a client should open: the explicit one (`-c`), else the first of
 * VIRT_DEFAULT_URI and LIBVIRT_DEFAULT_URI that is set and non-empty.
 * Undefined means "let the driver registry probe for one".
 */
export function resolveDefaultURI(explicit: string | undefined, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (explicit !== undefined && explicit !== '') return explicit;
  for (const name of DEFAULT_URI_ENV) {
    const value = env[name];
    if (value !== undefined && value !== '') return value;
  }
  return undefined;
}
