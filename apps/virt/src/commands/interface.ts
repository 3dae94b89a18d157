import type { HostInterface } from '@virt/core-api';
import type { CommandHandler } from '../shell/command.js';
import { formatTable } from '../shell/table.js';
import { byNameCaseless } from './common.js';
import { printXML } from './xpath.js';

export const ifaceList: CommandHandler = async (session, cmd) => {
  let flags = 2;
  if (cmd.bool('inactive')) flags = 1;
  if (cmd.bool('all')) flags = 3;
  const conn = await session.connect();
  let ifaces: HostInterface[];
  try {
    ifaces = (await conn.listAllInterfaces(flags)).sort((a, b) => byNameCaseless(a.getName(), b.getName()));
  } catch (err) {
    return session.fail('Failed to list interfaces', err);
  }
  const rows: string[][] = [];
  for (const iface of ifaces) rows.push([iface.getName(), (await iface.isActive()) ? 'active' : 'inactive', iface.getMACString()]);
  session.out.print(formatTable(['Name', 'State', 'MAC Address'], rows, !session.out.quiet));
  return true;
};

export const ifaceDumpxml: CommandHandler = async (session, cmd) => {
  const name = cmd.required('interface');
  const conn = await session.connect();
  let iface: HostInterface | undefined;
  try {
    iface = await conn.lookupInterfaceByName(name);
  } catch (err) {
    session.absorb(err);
    try {
      iface = await conn.lookupInterfaceByMAC(name);
    } catch (again) {
      session.absorb(again);
    }
  }
  if (!iface) return session.fail(`failed to get interface '${name}'`);
  session.resetError();
  const xpath = cmd.stringQuiet('xpath');
  if (xpath === undefined && cmd.bool('xpath')) return false;
  return printXML(session, await iface.getXMLDesc(cmd.bool('inactive') ? 1 : 0), xpath, cmd.bool('wrap'));
};
