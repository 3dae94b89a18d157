import {
  DomainCreateFlags,
  DomainDefineFlags,
  DomainDestroyFlags,
  DomainShutdownFlags,
  DomainUndefineFlags,
  ErrorCode,
  parseXml,
  SnapshotListFlags,
  strToInt,
  VirtError,
  type Domain,
} from '@virt/core-api';
import type { CommandHandler } from '../shell/command.js';
import { exclusive, requireOption } from '../shell/checks.js';
import type { ParsedCommand } from '../shell/parsed.js';
import type { Session } from '../shell/session.js';
import { runConsole } from './console.js';
import { lookupDomain, readUserFile, splitCommaList } from './common.js';

/** `--pass-fds N,M`: file descriptor numbers (virshFetchPassFdsList). */
function passFds(session: Session, cmd: ParsedCommand): number[] {
  const text = cmd.stringQuiet('pass-fds');
  if (text === undefined) return [];
  return text.split(',').map((piece) => {
    const fd = strToInt(piece, 'i');
    if (!fd) return session.fail(`Unable to parse FD number '${piece}'`);
    return Number(fd.value);
  });
}

export const define: CommandHandler = async (session, cmd) => {
  const file = cmd.required('file');
  const flags = cmd.bool('validate') ? DomainDefineFlags.VALIDATE : 0;
  const xml = await readUserFile(session, file);
  const conn = await session.connect();
  let dom: Domain;
  try {
    dom = await (flags ? conn.defineDomainXMLFlags(xml, flags) : conn.defineDomainXML(xml));
  } catch (err) {
    return session.fail(`Failed to define domain from ${file}`, err);
  }
  session.out.printExtra(`Domain '${dom.getName()}' defined from ${file}\n`);
  return true;
};

export const create: CommandHandler = async (session, cmd) => {
  const file = cmd.required('file');
  const xml = await readUserFile(session, file);
  const fds = passFds(session, cmd);
  let flags = 0;
  if (cmd.bool('paused')) flags |= DomainCreateFlags.START_PAUSED;
  if (cmd.bool('autodestroy')) flags |= DomainCreateFlags.START_AUTODESTROY;
  if (cmd.bool('validate')) flags |= DomainCreateFlags.START_VALIDATE;
  if (cmd.bool('reset-nvram')) flags |= DomainCreateFlags.START_RESET_NVRAM;
  const conn = await session.connect();
  let dom: Domain;
  try {
    dom = fds.length > 0 ? await conn.createDomainXMLWithFiles(xml, fds, flags) : await conn.createDomainXML(xml, flags);
  } catch (err) {
    return session.fail(`Failed to create domain from ${file}`, err);
  }
  session.out.printExtra(`Domain '${dom.getName()}' created from ${file}\n`);
  // as virsh: the domain was created even if the console cannot be attached
  if (cmd.bool('console')) await runConsole(session, dom).catch((err: unknown) => session.absorb(err));
  return true;
};

export const start: CommandHandler = async (session, cmd) => {
  const { dom } = await lookupDomain(session, cmd, { uuid: true, name: true });
  if (dom.getID() !== -1) return session.fail('Domain is already active');
  const fds = passFds(session, cmd);
  let flags = 0;
  if (cmd.bool('paused')) flags |= DomainCreateFlags.START_PAUSED;
  if (cmd.bool('autodestroy')) flags |= DomainCreateFlags.START_AUTODESTROY;
  if (cmd.bool('bypass-cache')) flags |= DomainCreateFlags.START_BYPASS_CACHE;
  if (cmd.bool('force-boot')) flags |= DomainCreateFlags.START_FORCE_BOOT;
  if (cmd.bool('reset-nvram')) flags |= DomainCreateFlags.START_RESET_NVRAM;
  const launch = (f: number): Promise<void> => {
    if (fds.length > 0) return dom.createWithFiles(fds, f);
    return f ? dom.createWithFlags(f) : dom.create();
  };

  let started = false;
  if (flags & DomainCreateFlags.START_FORCE_BOOT) {
    // a driver that does not know --force-boot gets it emulated: drop the saved state, boot afresh
    try {
      await launch(flags);
      started = true;
    } catch (err) {
      if (!(err instanceof VirtError) || (err.code !== ErrorCode.NO_SUPPORT && err.code !== ErrorCode.INVALID_ARG)) {
        session.absorb(err);
        return false;
      }
      if (await dom.hasManagedSaveImage().catch(() => false)) await dom.managedSaveRemove();
      flags &= ~DomainCreateFlags.START_FORCE_BOOT;
    }
  }
  if (!started) {
    try {
      await launch(flags);
    } catch (err) {
      return session.fail(`Failed to start domain '${dom.getName()}'`, err);
    }
  }
  session.out.printExtra(`Domain '${dom.getName()}' started\n`);
  if (cmd.bool('console')) await runConsole(session, dom);
  return true;
};

const SHUTDOWN_MODES: Record<string, number> = {
  acpi: DomainShutdownFlags.ACPI_POWER_BTN,
  agent: DomainShutdownFlags.GUEST_AGENT,
  initctl: DomainShutdownFlags.INITCTL,
  signal: DomainShutdownFlags.SIGNAL,
  paravirt: DomainShutdownFlags.PARAVIRT,
};

/** `--mode acpi,agent,...` as flag bits; `expecting` is virsh's list in its message. */
function modeFlags(session: Session, cmd: ParsedCommand, expecting: string): number {
  const mode = cmd.string('mode');
  let flags = 0;
  for (const m of mode === undefined ? [] : mode.split(',')) {
    const bit = SHUTDOWN_MODES[m];
    if (bit === undefined) return session.fail(`Unknown mode ${m} value, expecting ${expecting}`);
    flags |= bit;
  }
  return flags;
}

export const shutdown: CommandHandler = async (session, cmd) => {
  const flags = modeFlags(session, cmd, "'acpi', 'agent', 'initctl', 'signal', or 'paravirt'");
  const { dom, name } = await lookupDomain(session, cmd);
  try {
    await (flags ? dom.shutdownFlags(flags) : dom.shutdown());
  } catch (err) {
    return session.fail(`Failed to shutdown domain '${name}'`, err);
  }
  session.out.printExtra(`Domain '${name}' is being shutdown\n`);
  return true;
};

export const reboot: CommandHandler = async (session, cmd) => {
  const flags = modeFlags(session, cmd, "'acpi', 'agent', 'initctl', 'signal' or 'paravirt'");
  const { dom, name } = await lookupDomain(session, cmd);
  try {
    await dom.reboot(flags);
  } catch (err) {
    return session.fail(`Failed to reboot domain '${name}'`, err);
  }
  session.out.printExtra(`Domain '${name}' is being rebooted\n`);
  return true;
};

export const destroy: CommandHandler = async (session, cmd) => {
  const { dom, name } = await lookupDomain(session, cmd);
  let flags = 0;
  if (cmd.bool('graceful')) flags |= DomainDestroyFlags.GRACEFUL;
  if (cmd.bool('remove-logs')) flags |= DomainDestroyFlags.REMOVE_LOGS;
  try {
    await (flags ? dom.destroyFlags(flags) : dom.destroy());
  } catch (err) {
    return session.fail(`Failed to destroy domain '${name}'`, err);
  }
  session.out.printExtra(`Domain '${name}' destroyed\n`);
  return true;
};

export const console: CommandHandler = async (session, cmd) => {
  const { dom } = await lookupDomain(session, cmd);
  await runConsole(session, dom, cmd.string('devname'));
  return true;
};

export const suspend: CommandHandler = async (session, cmd) => {
  const { dom, name } = await lookupDomain(session, cmd);
  try {
    await dom.suspend();
  } catch (err) {
    return session.fail(`Failed to suspend domain '${name}'`, err);
  }
  session.out.printExtra(`Domain '${name}' suspended\n`);
  return true;
};

export const resume: CommandHandler = async (session, cmd) => {
  const { dom, name } = await lookupDomain(session, cmd);
  try {
    await dom.resume();
  } catch (err) {
    return session.fail(`Failed to resume domain '${name}'`, err);
  }
  session.out.printExtra(`Domain '${name}' resumed\n`);
  return true;
};

export const autostart: CommandHandler = async (session, cmd) => {
  const { dom, name } = await lookupDomain(session, cmd);
  const disable = cmd.bool('disable');
  try {
    await dom.setAutostart(!disable);
  } catch (err) {
    return session.fail(disable ? `Failed to unmark domain '${name}' as autostarted` : `Failed to mark domain '${name}' as autostarted`, err);
  }
  session.out.printExtra(disable ? `Domain '${name}' unmarked as autostarted\n` : `Domain '${name}' marked as autostarted\n`);
  return true;
};

/** A count that fails with "not supported" counts as nothing (older servers). */
async function countOrZero(session: Session, fn: () => Promise<number>): Promise<number> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof VirtError && err.code === ErrorCode.NO_SUPPORT) return 0;
    throw err;
  }
}

interface DoomedVolume {
  target: string;
  source: string;
  remove: () => Promise<void>;
  wipe: () => Promise<void>;
}

/** The storage volumes `--storage`/`--remove-all-storage` select, as virsh collects them. */
async function collectVolumes(session: Session, dom: Domain, cmd: ParsedCommand, volString: string | undefined): Promise<DoomedVolume[] | undefined> {
  const conn = await session.connect();
  const wanted = volString === undefined ? undefined : splitCommaList(volString);
  const doc = parseXml(await dom.getXMLDesc(0), '(domain_definition)');
  const volumes: DoomedVolume[] = [];
  for (const disk of doc.child('devices')?.childrenNamed('disk') ?? []) {
    const target = disk.child('target')?.attr('dev') ?? '';
    const src = disk.child('source');
    const source = ['file', 'dir', 'name', 'dev', 'volume'].map((k) => src?.attr(k)).find((v) => v !== undefined);
    if (source === undefined) continue;
    if (wanted) {
      const i = wanted.findIndex((w) => w === target || w === source);
      if (i < 0) continue;
      wanted.splice(i, 1);
    }
    const poolName = src?.attr('pool');
    let vol;
    try {
      if (poolName !== undefined) {
        let pool;
        try {
          pool = await conn.lookupStoragePoolByName(poolName);
        } catch {
          session.error(`Storage pool '${poolName}' for volume '${target}' not found.`);
          continue;
        }
        vol = await pool.lookupVolumeByName(source);
      } else {
        vol = await conn.lookupStorageVolByPath(source);
      }
    } catch {
      session.error(`Storage volume '${target}'(${source}) is not managed by libvirt. Remove it manually.\n`);
      continue;
    }
    const found = vol;
    volumes.push({
      target,
      source,
      remove: () => found.delete(cmd.bool('delete-storage-volume-snapshots') ? 2 : 0),
      wipe: () => found.wipe(),
    });
  }
  if (wanted && wanted.length > 0) {
    for (const w of wanted) session.error(`Volume '${w}' was not found in domain's definition.\n`);
    return undefined;
  }
  return volumes;
}

export const undefine: CommandHandler = async (session, cmd) => {
  const U = DomainUndefineFlags;
  requireOption(session, cmd, 'delete-storage-volume-snapshots', 'remove-all-storage');
  exclusive(session, cmd, 'nvram', 'keep-nvram');
  exclusive(session, cmd, 'tpm', 'keep-tpm');
  const volString = cmd.stringQuiet('storage');
  const removeAll = cmd.bool('remove-all-storage');
  if (volString === undefined && !removeAll && cmd.bool('wipe-storage')) {
    return session.fail("'--wipe-storage' requires '--storage <string>' or '--remove-all-storage'");
  }
  const managedSave = cmd.bool('managed-save');
  const snapshotsMetadata = cmd.bool('snapshots-metadata');
  const nvram = cmd.bool('nvram');
  let flags = 0;
  if (managedSave) flags |= U.MANAGED_SAVE;
  if (snapshotsMetadata) flags |= U.SNAPSHOTS_METADATA;
  if (cmd.bool('checkpoints-metadata')) flags |= U.CHECKPOINTS_METADATA;
  if (nvram) flags |= U.NVRAM;
  if (cmd.bool('keep-nvram')) flags |= U.KEEP_NVRAM;
  if (cmd.bool('tpm')) flags |= U.TPM;
  if (cmd.bool('keep-tpm')) flags |= U.KEEP_TPM;

  const { dom, name } = await lookupDomain(session, cmd);
  const running = await dom.isActive();
  let hasManagedSave = false;
  let snapshots = 0;
  if (!running) {
    hasManagedSave = (await countOrZero(session, async () => ((await dom.hasManagedSaveImage()) ? 1 : 0))) > 0;
    snapshots = await countOrZero(session, () => dom.snapshotNum(0));
    if (snapshots > 0) snapshots = await dom.snapshotNum(SnapshotListFlags.METADATA).catch(() => snapshots);
  }
  if (!hasManagedSave) flags &= ~U.MANAGED_SAVE;
  if (snapshots === 0) flags &= ~U.SNAPSHOTS_METADATA;

  let volumes: DoomedVolume[] = [];
  if (volString !== undefined || removeAll) {
    if (running) return session.fail('Storage volume deletion is supported only on stopped domains');
    if (volString !== undefined && removeAll) return session.fail('Specified both --storage and --remove-all-storage');
    const collected = await collectVolumes(session, dom, cmd, volString);
    if (!collected) return false;
    volumes = collected;
  }

  // a managed save image the user did not ask to remove: refuse before asking the driver
  if (hasManagedSave && !managedSave) return session.fail('Refusing to undefine while domain managed save image exists');
  try {
    await dom.undefineFlags(flags);
  } catch (err) {
    const retry = !nvram && err instanceof VirtError && (err.code === ErrorCode.NO_SUPPORT || err.code === ErrorCode.INVALID_ARG);
    if (!retry) return session.fail(`Failed to undefine domain '${name}'`, err);
    // the driver refused a flag: do what it allows piece by piece
    if (hasManagedSave) await dom.managedSaveRemove();
    if (snapshots > 0) {
      return session.fail(snapshotsMetadata ? `Unable to remove metadata of ${snapshots} snapshots` : `Refusing to undefine while ${snapshots} snapshots exist`);
    }
    try {
      await dom.undefine();
    } catch (again) {
      return session.fail(`Failed to undefine domain '${name}'`, again);
    }
  }
  session.out.printExtra(`Domain '${name}' has been undefined\n`);

  let ok = true;
  for (const vol of volumes) {
    if (cmd.bool('wipe-storage')) {
      session.out.printExtra(`Wiping volume '${vol.target}'(${vol.source}) ... `);
      try {
        await vol.wipe();
        session.out.printExtra('Done.\n');
      } catch (err) {
        session.absorb(err);
        session.error('Failed! Volume not removed.');
        ok = false;
        continue;
      }
    }
    try {
      await vol.remove();
      session.out.printExtra(`Volume '${vol.target}'(${vol.source}) removed.\n`);
    } catch (err) {
      session.absorb(err);
      session.error(`Failed to remove storage volume '${vol.target}'(${vol.source})`);
      ok = false;
    }
  }
  return ok;
};
