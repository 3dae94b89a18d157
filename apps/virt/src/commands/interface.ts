import { parseMAC, type HostInterface } from '@virt/core-api';
import type { CommandHandler } from '../shell/command.js';
import { DebugLevel } from '../shell/output.js';
import type { ParsedCommand } from '../shell/parsed.js';
import type { Session } from '../shell/session.js';
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

/** Find the interface a command names: by MAC when the text is a MAC address, else by name (virshCommandOptInterfaceBy). */
async function lookupInterface(session: Session, cmd: ParsedCommand): Promise<HostInterface> {
  const name = cmd.required('interface');
  session.debug(DebugLevel.INFO, `${cmd.def.name}: found option <interface>: ${name}`);
  const conn = await session.connect();
  const byMAC = parseMAC(name) !== undefined;
  session.debug(DebugLevel.DEBUG, `${cmd.def.name}: <interface> trying as interface ${byMAC ? 'MAC' : 'NAME'}`);
  try {
    return await (byMAC ? conn.lookupInterfaceByMAC(name) : conn.lookupInterfaceByName(name));
  } catch (err) {
    return session.fail(`failed to get interface '${name}'`, err);
  }
}

export const ifaceDumpxml: CommandHandler = async (session, cmd) => {
  const iface = await lookupInterface(session, cmd);
  const xpath = cmd.stringQuiet('xpath');
  if (xpath === undefined && cmd.bool('xpath')) return false;
  return printXML(session, await iface.getXMLDesc(cmd.bool('inactive') ? 1 : 0), xpath, cmd.bool('wrap'));
};
