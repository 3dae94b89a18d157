import { closeSync, openSync, readSync, writeFileSync } from 'node:fs';
import { describeErrno, ErrorCode, ErrorDomain, VirtError } from '@virt/core-api';
import { internalError, testError } from './errors.js';

/** The save image layout of libvirt's test driver: magic, XML length (int32), the domain XML. */
const MAGIC = Buffer.from('TestGuestMagic\0', 'latin1');
const MAX_XML = 8192;

function systemError(detail: string, err: NodeJS.ErrnoException | string): VirtError {
  return VirtError.system(ErrorDomain.TEST, detail, err);
}

/** Write a save image (mode 0600). */
export function writeSaveImage(path: string, domainName: string, xml: string): void {
  const body = Buffer.from(xml, 'utf8');
  const header = Buffer.alloc(4);
  header.writeInt32LE(body.length);
  try {
    writeFileSync(path, Buffer.concat([MAGIC, header, body]), { mode: 0o600 });
  } catch (err) {
    throw systemError(`saving domain '${domainName}' to '${path}': open failed`, err as NodeJS.ErrnoException);
  }
}

function readExactly(fd: number, length: number): Buffer {
  const buf = Buffer.alloc(length);
  let done = 0;
  while (done < length) {
    const n = readSync(fd, buf, done, length - done, null);
    if (n === 0) break;
    done += n;
  }
  return buf.subarray(0, done);
}

/**
 * Read the domain XML out of a save image, with the test driver's checks
 * and messages; the XML length is bounded before anything is allocated.
 */
export function readSaveImage(path: string): string {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    throw systemError(`cannot read domain image '${path}'`, err as NodeJS.ErrnoException);
  }
  try {
    // a short read leaves errno at 0, so libvirt's message ends in "Success"
    const magic = readExactly(fd, MAGIC.length);
    if (magic.length < MAGIC.length) throw systemError(`incomplete save header in '${path}'`, 'Success');
    if (!magic.equals(MAGIC)) throw internalError('mismatched header magic');
    const header = readExactly(fd, 4);
    if (header.length < 4) throw systemError(`failed to read metadata length in '${path}'`, 'Success');
    const length = header.readInt32LE();
    if (length < 1 || length > MAX_XML) throw internalError('length of metadata out of range');
    const xml = readExactly(fd, length);
    if (xml.length < length) throw systemError(`incomplete metadata in '${path}'`, 'Success');
    return xml.toString('utf8');
  } catch (err) {
    if (err instanceof VirtError) throw err;
    throw testError(ErrorCode.SYSTEM_ERROR, describeErrno(err as NodeJS.ErrnoException));
  } finally {
    closeSync(fd);
  }
}
