import { resolve } from 'node:path';
import { DomainSaveRestoreFlags } from '../constants/domain.js';
import { ErrorDomain } from '../errors/codes.js';
import { exclusiveFlags } from '../util/flags.js';

/** A saved domain starts either running or paused, never both (virDomainSaveFlags and friends). */
export function checkSaveStateFlags(flags: number): void {
  exclusiveFlags(
    flags,
    DomainSaveRestoreFlags.RUNNING,
    'VIR_DOMAIN_SAVE_RUNNING',
    DomainSaveRestoreFlags.PAUSED,
    'VIR_DOMAIN_SAVE_PAUSED',
    ErrorDomain.DOMAIN,
  );
}

/**
 * Save images are written and read by the driver, which may live in another
 * process with another working folder, so the public API hands it an
 * absolute, tidied path as libvirt does.
 */
export function absoluteImagePath(path: string): string {
  return resolve(path);
}
