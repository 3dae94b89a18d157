import { homedir } from 'node:os';
import { escapeXml } from '@virt/core-api';
import type { CommandHandler } from '../shell/command.js';
import { exclusive } from '../shell/checks.js';
import { formatCommandHelp, formatGroup, formatOverview } from '../shell/help.js';
import { splitCommaList } from './common.js';

export const help: CommandHandler = async (session, cmd) => {
  const name = cmd.stringQuiet('command');
  if (name === undefined) {
    session.out.print(formatOverview(session.commands));
    return true;
  }
  const def = session.commands.find(name);
  if (def) {
    session.out.print(formatCommandHelp(def));
    return true;
  }
  const group = session.commands.findGroup(name);
  if (group) {
    session.out.print(formatGroup(group));
    return true;
  }
  return session.fail(`command or command group '${name}' doesn't exist`);
};

export const quit: CommandHandler = async (session) => {
  session.quit();
  return true;
};

export const connect: CommandHandler = async (session, cmd) => {
  const name = cmd.string('name');
  await session.reconnect(name, cmd.bool('readonly'));
  return true;
};

/** Quote a word for a POSIX shell when it needs quoting (virBufferEscapeShell). */
function shellQuote(word: string): string {
  if (word === '') return "''";
  if (!/[\r\t\n !"#$&'()*;<>?[\\\]^`{|}~]/.test(word)) return word;
  return `'${word.replace(/'/g, "'\\''")}'`;
}

export const echo: CommandHandler = async (session, cmd) => {
  exclusive(session, cmd, 'shell', 'xml');
  exclusive(session, cmd, 'shell', 'split');
  exclusive(session, cmd, 'xml', 'split');
  const pieces = cmd.argv().map((word) => {
    if (cmd.bool('xml')) return escapeXml(word);
    if (cmd.bool('shell')) return shellQuote(word);
    if (cmd.bool('split')) return splitCommaList(word).map((p) => `${p}\n`).join('');
    return word;
  });
  const text = pieces.join(' ');
  if (pieces.length > 0) {
    if (cmd.bool('err')) session.out.error(text);
    else session.out.print(text);
  }
  return true;
};

export const cd: CommandHandler = async (session, cmd) => {
  if (!session.interactive) return session.fail('cd: command valid only in interactive mode');
  const dir = cmd.stringQuiet('dir') ?? (homedir() || '/');
  try {
    process.chdir(dir);
  } catch (err) {
    return session.fail(`cd: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'No such file or directory' : (err as Error).message}: ${dir}`);
  }
  return true;
};

export const pwd: CommandHandler = async (session) => {
  session.out.print(`${process.cwd()}\n`);
  return true;
};
