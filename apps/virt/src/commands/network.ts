import { ListNetworksFlags, NetworkCreateFlags, NetworkDefineFlags, NetworkXMLFlags, type Network } from '@virt/core-api';
import type { CommandHandler } from '../shell/command.js';
import { formatTable } from '../shell/table.js';
import { byNameCaseless, field, lookupNetwork, readUserFile } from './common.js';
import { printJSON } from './json.js';
import { printXML } from './xpath.js';

export const netList: CommandHandler = async (session, cmd) => {
  const F = ListNetworksFlags;
  let flags: number = F.ACTIVE;
  if (cmd.bool('inactive')) flags = F.INACTIVE;
  if (cmd.bool('all')) flags = F.ACTIVE | F.INACTIVE;
  if (cmd.bool('persistent')) flags |= F.PERSISTENT;
  if (cmd.bool('transient')) flags |= F.TRANSIENT;
  if (cmd.bool('autostart')) flags |= F.AUTOSTART;
  if (cmd.bool('no-autostart')) flags |= F.NO_AUTOSTART;
  const [optTable, optName, optUUID] = [cmd.bool('table'), cmd.bool('name'), cmd.bool('uuid')];
  if (Number(optTable) + Number(optName) + Number(optUUID) > 1) return session.fail('Only one argument from --table, --name and --uuid may be specified.');
  const conn = await session.connect();
  let nets: Network[];
  try {
    nets = (await conn.listAllNetworks(flags)).sort((a, b) => byNameCaseless(a.getName(), b.getName()));
  } catch (err) {
    return session.fail('Failed to list networks', err);
  }
  if (cmd.bool('json')) {
    const rows = [];
    for (const net of nets) {
      rows.push({
        name: net.getName(),
        uuid: net.getUUIDString(),
        active: await net.isActive(),
        autostart: await net.getAutostart(),
        persistent: await net.isPersistent(),
        bridge: await net.getBridgeName().catch(() => null),
      });
    }
    printJSON(session, rows);
    return true;
  }
  if (optUUID || optName) {
    session.out.print(nets.map((n) => `${optUUID ? n.getUUIDString() : n.getName()}\n`).join(''));
    return true;
  }
  const rows: string[][] = [];
  for (const net of nets) {
    const autostart = await net.getAutostart().then(
      (a) => (a ? 'yes' : 'no'),
      () => 'no autostart',
    );
    rows.push([net.getName(), (await net.isActive()) ? 'active' : 'inactive', autostart, (await net.isPersistent()) ? 'yes' : 'no']);
  }
  session.out.print(formatTable(['Name', 'State', 'Autostart', 'Persistent'], rows, !session.out.quiet));
  return true;
};

export const netInfo: CommandHandler = async (session, cmd) => {
  const { net } = await lookupNetwork(session, cmd);
  let out = field('Name:', net.getName()) + field('UUID:', net.getUUIDString());
  out += field('Active:', (await net.isActive()) ? 'yes' : 'no');
  out += field('Persistent:', (await net.isPersistent()) ? 'yes' : 'no');
  out += field(
    'Autostart:',
    await net.getAutostart().then(
      (a) => (a ? 'yes' : 'no'),
      () => 'no autostart',
    ),
  );
  const bridge = await net.getBridgeName().catch(() => undefined);
  if (bridge !== undefined) out += field('Bridge:', bridge);
  session.out.print(out);
  return true;
};

export const netDumpxml: CommandHandler = async (session, cmd) => {
  const { net } = await lookupNetwork(session, cmd);
  const xpath = cmd.stringQuiet('xpath');
  if (xpath === undefined && cmd.bool('xpath')) return false;
  return printXML(session, await net.getXMLDesc(cmd.bool('inactive') ? NetworkXMLFlags.INACTIVE : 0), xpath, cmd.bool('wrap'));
};

export const netDefine: CommandHandler = async (session, cmd) => {
  const file = cmd.required('file');
  const flags = cmd.bool('validate') ? NetworkDefineFlags.VALIDATE : 0;
  const xml = await readUserFile(session, file);
  const conn = await session.connect();
  let net: Network;
  try {
    net = await (flags ? conn.defineNetworkXMLFlags(xml, flags) : conn.defineNetworkXML(xml));
  } catch (err) {
    return session.fail(`Failed to define network from ${file}`, err);
  }
  session.out.printExtra(`Network ${net.getName()} defined from ${file}\n`);
  return true;
};

export const netCreate: CommandHandler = async (session, cmd) => {
  const file = cmd.required('file');
  const flags = cmd.bool('validate') ? NetworkCreateFlags.VALIDATE : 0;
  const xml = await readUserFile(session, file);
  const conn = await session.connect();
  let net: Network;
  try {
    net = await (flags ? conn.createNetworkXMLFlags(xml, flags) : conn.createNetworkXML(xml));
  } catch (err) {
    return session.fail(`Failed to create network from ${file}`, err);
  }
  session.out.printExtra(`Network ${net.getName()} created from ${file}\n`);
  return true;
};

export const netStart: CommandHandler = async (session, cmd) => {
  const { net, name } = await lookupNetwork(session, cmd);
  try {
    await net.create();
  } catch (err) {
    return session.fail(`Failed to start network ${name}`, err);
  }
  session.out.printExtra(`Network ${name} started\n`);
  return true;
};

export const netDestroy: CommandHandler = async (session, cmd) => {
  const { net, name } = await lookupNetwork(session, cmd);
  try {
    await net.destroy();
  } catch (err) {
    return session.fail(`Failed to destroy network ${name}`, err);
  }
  session.out.printExtra(`Network ${name} destroyed\n`);
  return true;
};

export const netUndefine: CommandHandler = async (session, cmd) => {
  const { net, name } = await lookupNetwork(session, cmd);
  try {
    await net.undefine();
  } catch (err) {
    return session.fail(`Failed to undefine network ${name}`, err);
  }
  session.out.printExtra(`Network ${name} has been undefined\n`);
  return true;
};

export const netAutostart: CommandHandler = async (session, cmd) => {
  const { net, name } = await lookupNetwork(session, cmd);
  const disable = cmd.bool('disable');
  try {
    await net.setAutostart(!disable);
  } catch (err) {
    return session.fail(disable ? `failed to unmark network ${name} as autostarted` : `failed to mark network ${name} as autostarted`, err);
  }
  session.out.printExtra(disable ? `Network ${name} unmarked as autostarted\n` : `Network ${name} marked as autostarted\n`);
  return true;
};

export const netName: CommandHandler = async (session, cmd) => {
  const { net } = await lookupNetwork(session, cmd, { uuid: true });
  session.out.print(`${net.getName()}\n`);
  return true;
};

export const netUuid: CommandHandler = async (session, cmd) => {
  const { net } = await lookupNetwork(session, cmd, { name: true });
  session.out.print(`${net.getUUIDString()}\n`);
  return true;
};
