import { DomainSaveRestoreFlags } from '@virt/core-api';
import type { CommandHandler } from '../shell/command.js';
import { DebugLevel } from '../shell/output.js';
import { CommandFailed, type ParsedCommand } from '../shell/parsed.js';
import type { Session } from '../shell/session.js';
import { lookupDomain, readUserFile } from './common.js';

function saveFlags(cmd: ParsedCommand): number {
  let flags = 0;
  if (cmd.bool('bypass-cache')) flags |= DomainSaveRestoreFlags.BYPASS_CACHE;
  if (cmd.bool('running')) flags |= DomainSaveRestoreFlags.RUNNING;
  if (cmd.bool('paused')) flags |= DomainSaveRestoreFlags.PAUSED;
  return flags;
}

/** `--xml FILE`: the replacement domain XML, when given. */
async function xmlOption(session: Session, cmd: ParsedCommand): Promise<string | undefined> {
  const file = cmd.string('xml');
  return file === undefined ? undefined : readUserFile(session, file);
}

/** The final progress line of a job watched with --verbose (virshPrintJobProgress). */
function printDone(session: Session, cmd: ParsedCommand, label: string): void {
  if (cmd.bool('verbose')) session.out.printStderr(`\r${label}: [100 %]`);
}

/**
 * Run the job of save or managedsave the way virsh's job watch shows it at
 * debug level: whether it can be interrupted from the terminal, and how it
 * ended (status 0 or -1).
 */
async function watchJob(session: Session, job: () => Promise<void>): Promise<boolean> {
  if (process.stdin.isTTY) session.debug(DebugLevel.DEBUG, 'watchJob: on TTY, enabling Ctrl-c processing');
  let ok = true;
  try {
    await job();
  } catch (err) {
    session.absorb(err);
    ok = false;
  }
  session.debug(DebugLevel.DEBUG, `watchJob: job done, status ${ok ? 0 : -1}`);
  return ok;
}

export const save: CommandHandler = async (session, cmd) => {
  const { name } = await lookupDomain(session, cmd);
  const file = cmd.required('file');
  const saved = await watchJob(session, async () => {
    const xmlFile = cmd.string('xml');
    // virsh's job thread looks the domain up again, which shows in debug output
    const { dom } = await lookupDomain(session, cmd);
    let xml: string | undefined;
    try {
      xml = xmlFile === undefined ? undefined : await readUserFile(session, xmlFile);
    } catch (err) {
      // reported inside the job, before its end shows, rather than when the command ends
      session.absorb(err);
      session.reportError();
      throw new CommandFailed();
    }
    try {
      const flags = saveFlags(cmd);
      await (flags || xml !== undefined ? dom.saveFlags(file, xml, flags) : dom.save(file));
    } catch (err) {
      session.fail(`Failed to save domain '${name}' to ${file}`, err);
    }
  });
  if (!saved) return false;
  printDone(session, cmd, 'Save');
  session.out.printExtra(`\nDomain '${name}' saved to ${file}\n`);
  return true;
};

export const restore: CommandHandler = async (session, cmd) => {
  const file = cmd.required('file');
  let flags = saveFlags(cmd);
  if (cmd.bool('reset-nvram')) flags |= DomainSaveRestoreFlags.RESET_NVRAM;
  const xml = await xmlOption(session, cmd);
  const conn = await session.connect();
  try {
    await (flags || xml !== undefined ? conn.restoreDomainFlags(file, xml, flags) : conn.restoreDomain(file));
  } catch (err) {
    return session.fail(`Failed to restore domain from ${file}`, err);
  }
  session.out.printExtra(`Domain restored from ${file}\n`);
  return true;
};

export const managedsave: CommandHandler = async (session, cmd) => {
  const { name } = await lookupDomain(session, cmd);
  const saved = await watchJob(session, async () => {
    // as for save, the domain is looked up again
    const { dom } = await lookupDomain(session, cmd);
    try {
      await dom.managedSave(saveFlags(cmd));
    } catch (err) {
      session.fail(`Failed to save domain '${name}' state`, err);
    }
  });
  if (!saved) return false;
  printDone(session, cmd, 'Managedsave');
  session.out.printExtra(`\nDomain '${name}' state saved by libvirt\n`);
  return true;
};

export const managedsaveRemove: CommandHandler = async (session, cmd) => {
  const { dom, name } = await lookupDomain(session, cmd);
  let has: boolean;
  try {
    has = await dom.hasManagedSaveImage();
  } catch (err) {
    return session.fail('Failed to check for domain managed save image', err);
  }
  if (!has) {
    session.out.printExtra(`Domain '${name}' has no manage save image; removal skipped`);
    return true;
  }
  try {
    await dom.managedSaveRemove();
  } catch (err) {
    return session.fail(`Failed to remove managed save image for domain '${name}'`, err);
  }
  session.out.printExtra(`Removed managedsave image for domain '${name}'`);
  return true;
};

