import { formatVersion, LIBVIRT_API_VERSION } from '@virt/core-api';
import { createRequire } from 'node:module';
import type { CommandTable } from './command.js';
import type { Output } from './output.js';

export const PROGRAM = 'virt';

function packageVersion(): string {
  const require = createRequire(import.meta.url);
  return (require('../package.json') as { version: string }).version;
}

/** `virt -h`: the option summary, then every command by group (virsh's layout). */
export function printUsage(out: Output, table: CommandTable): void {
  let text =
    `\n${PROGRAM} [options]... [<command_string>]\n${PROGRAM} [options]... <command> [args...]\n\n` +
    '  options:\n' +
    '    -c | --connect=URI      hypervisor connection URI\n' +
    '    -d | --debug=NUM        debug level [0-4]\n' +
    '    -e | --escape <char>    set escape sequence for console\n' +
    '    -h | --help             this help\n' +
    '    -k | --keepalive-interval=NUM\n' +
    '                            keepalive interval in seconds, 0 for disable\n' +
    '    -K | --keepalive-count=NUM\n' +
    '                            number of possible missed keepalive messages\n' +
    '    -l | --log=FILE         output logging to file\n' +
    '    -q | --quiet            quiet mode\n' +
    '    -r | --readonly         connect readonly\n' +
    '    -t | --timing           print timing information\n' +
    '    -v                      short version\n' +
    '    -V                      long version\n' +
    '         --version[=TYPE]   version, TYPE is short or long (default short)\n' +
    '  commands (non interactive mode):\n\n';
  for (const group of table.groups) {
    text += ` ${group.name} (help keyword '${group.keyword}')\n`;
    for (const cmd of group.commands) text += `    ${cmd.name.padEnd(30)} ${cmd.help}\n`;
    text += '\n';
  }
  text += '\n  (specify help <group> for details about the commands in the group)\n';
  text += '\n  (specify help <command> for details about the command)\n\n';
  out.print(text);
}

export const printVersion = {
  short(): string {
    return packageVersion();
  },
  long(out: Output): void {
    out.print(
      `Virt command line tool of @virt ${packageVersion()}\n` +
        `Implements the libvirt ${formatVersion(LIBVIRT_API_VERSION)} API\n\n` +
        'Compiled with support for:\n' +
        ' Hypervisors: Test\n' +
        ' Networking: Network\n' +
        ' Storage: Dir\n' +
        ' Miscellaneous: Readline\n',
    );
  },
};
