import { formatVersion, LIBVIRT_API_VERSION } from '@virt/core-api';
import type { CommandHandler } from '../shell/command.js';
import { printJSON } from './json.js';

export const capabilities: CommandHandler = async (session) => {
  const conn = await session.connect();
  try {
    session.out.print(`${await conn.getCapabilities()}\n`);
  } catch (err) {
    return session.fail('failed to get capabilities', err);
  }
  return true;
};

export const hostname: CommandHandler = async (session) => {
  const conn = await session.connect();
  try {
    session.out.print(`${await conn.getHostname()}\n`);
  } catch (err) {
    return session.fail('failed to get hostname', err);
  }
  return true;
};

export const sysinfo: CommandHandler = async (session) => {
  const conn = await session.connect();
  try {
    session.out.print(await conn.getSysinfo(0));
  } catch (err) {
    return session.fail('failed to get sysinfo', err);
  }
  return true;
};

export const uri: CommandHandler = async (session) => {
  const conn = await session.connect();
  session.out.print(`${conn.getURI()}\n`);
  return true;
};

export const nodeinfo: CommandHandler = async (session, cmd) => {
  const conn = await session.connect();
  let info;
  try {
    info = await conn.nodeGetInfo();
  } catch (err) {
    return session.fail('failed to get node information', err);
  }
  if (cmd.bool('json')) {
    printJSON(session, {
      cpu_model: info.model,
      cpus: info.cpus,
      cpu_mhz: info.mhz,
      sockets: info.sockets,
      cores_per_socket: info.cores,
      threads_per_core: info.threads,
      numa_cells: info.nodes,
      memory_kib: info.memory,
    });
    return true;
  }
  const line = (label: string, value: string): string => `${label.padEnd(20)} ${value}\n`;
  let out = line('CPU model:', info.model) + line('CPU(s):', String(info.cpus));
  if (info.mhz) out += line('CPU frequency:', `${info.mhz} MHz`);
  out += line('CPU socket(s):', String(info.sockets));
  out += line('Core(s) per socket:', String(info.cores));
  out += line('Thread(s) per core:', String(info.threads));
  out += line('NUMA cell(s):', String(info.nodes));
  out += line('Memory size:', `${info.memory} KiB`);
  session.out.print(out);
  return true;
};

export const version: CommandHandler = async (session, cmd) => {
  const conn = await session.connect();
  let type: string;
  try {
    type = await conn.getType();
  } catch (err) {
    return session.fail('failed to get hypervisor type', err);
  }
  const lib = formatVersion(LIBVIRT_API_VERSION);
  let out = `Compiled against library: libvirt ${lib}\nUsing library: libvirt ${lib}\nUsing API: ${type} ${lib}\n`;
  let hv: number;
  try {
    hv = await conn.getVersion();
  } catch (err) {
    session.out.print(out);
    return session.fail('failed to get the hypervisor version', err);
  }
  out += hv === 0 ? `Cannot extract running ${type} hypervisor version\n` : `Running hypervisor: ${type} ${formatVersion(hv)}\n`;
  session.out.print(out);
  if (cmd.bool('daemon')) {
    try {
      session.out.print(`Running against daemon: ${formatVersion(await conn.getLibVersion())}\n`);
    } catch (err) {
      session.absorb(err);
      session.error('failed to get the daemon version');
    }
  }
  return true;
};
