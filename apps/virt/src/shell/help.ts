import type { CommandDef, CommandGroup, CommandTable } from './command.js';

/** The lines of one group in `help`: header, then one line per command. */
export function formatGroup(group: CommandGroup): string {
  let text = ` ${group.name} (help keyword '${group.keyword}'):\n`;
  for (const cmd of group.commands) text += `    ${cmd.name.padEnd(30)} ${cmd.help}\n`;
  return text;
}

/** `help` without arguments. */
export function formatOverview(table: CommandTable): string {
  let text = 'Grouped commands:\n\n';
  for (const group of table.groups) text += formatGroup(group) + '\n';
  return text;
}

/**
 * `help COMMAND`: NAME, SYNOPSIS, DESCRIPTION and OPTIONS in virsh's
 * layout. The synopsis marks how each option may be given: `<x>` for a
 * required positional value, `[--x <string>]` for an optional one, and so on.
 */
export function formatCommandHelp(def: CommandDef): string {
  let text = `  NAME\n    ${def.name} - ${def.help}\n\n  SYNOPSIS\n    ${def.name}`;
  let positional = false;
  for (const opt of def.options) {
    let item: string;
    switch (opt.type) {
      case 'bool':
        item = `[--${opt.name}]`;
        break;
      case 'int':
        item = opt.required ? `<${opt.name}>` : `[--${opt.name} <number>]`;
        if (!opt.reqOpt) positional = true;
        break;
      case 'string':
        item = `[--${opt.name} <string>]`;
        if (!opt.reqOpt) positional = true;
        break;
      case 'data':
        item = opt.required ? `<${opt.name}>` : `[<${opt.name}>]`;
        if (!opt.reqOpt) positional = true;
        break;
      case 'argv':
        if (positional) item = opt.required ? `{[--${opt.name}] <string>}...` : `[[--${opt.name}] <string>]...`;
        else item = opt.required ? `<${opt.name}>...` : `[<${opt.name}>]...`;
        break;
      case 'alias':
        continue;
    }
    text += ` ${item}`;
  }
  text += '\n';
  if (def.desc) text += `\n  DESCRIPTION\n    ${def.desc}\n`;
  const shown = def.options.filter((o) => o.type !== 'alias');
  if (shown.length > 0) {
    text += '\n  OPTIONS\n';
    for (const opt of shown) {
      let label: string;
      switch (opt.type) {
        case 'bool':
          label = `--${opt.name}`;
          break;
        case 'int':
          label = opt.required ? `[--${opt.name}] <number>` : `--${opt.name} <number>`;
          break;
        case 'string':
          label = `--${opt.name} <string>`;
          break;
        case 'data':
          label = `[--${opt.name}] <string>`;
          break;
        default:
          label = positional ? `[--${opt.name}] <string>` : `<${opt.name}>`;
      }
      text += `    ${label.padEnd(15)}  ${opt.help}\n`;
    }
  }
  return text + '\n';
}
