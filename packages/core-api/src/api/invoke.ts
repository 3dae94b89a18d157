import { ErrorCode, type ErrorDomain } from '../errors/codes.js';
import { VirtError } from '../errors/virt-error.js';

type Method = (...args: never[]) => unknown;
type ArgsOf<F> = F extends (...args: infer A) => unknown ? A : never;
type ResultOf<F> = F extends (...args: never[]) => infer R ? Awaited<R> : never;

/**
 * Call one entry of a driver table on behalf of a public API function.
 * A driver (or a whole subsystem) that lacks the entry gets libvirt's
 * "this function is not supported by the connection driver: <api>".
 */
export async function invoke<T extends object, K extends keyof T>(
  table: T | undefined,
  method: K,
  api: string,
  domain: ErrorDomain,
  ...args: ArgsOf<NonNullable<T[K]>>
): Promise<ResultOf<NonNullable<T[K]>>> {
  const fn = table?.[method] as Method | undefined;
  if (typeof fn !== 'function') throw VirtError.noSupport(domain, api);
  return (await fn.apply(table, args as unknown as never[])) as ResultOf<NonNullable<T[K]>>;
}

/** Refuse a change on a read-only connection, as virCheckReadOnlyGoto does. */
export function checkWritable(readOnly: boolean, api: string, domain: ErrorDomain): void {
  if (readOnly) throw VirtError.create(ErrorCode.OPERATION_DENIED, domain, `read only access prevents ${api}`);
}
