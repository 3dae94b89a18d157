import type { BlockDevice } from '@virt/storage';
import { errorText, fail } from '../command.js';
import type { Output } from '../output.js';
import { parseOptionList, type OptionDescription } from '../options/option-list.js';

/** Which snapshot -l names: "snapshot.id=..,snapshot.name=.." picks by both, anything else is an ID or a name. */
export type SnapshotChoice = { id?: string; name?: string } | { idOrName: string };

const SNAPSHOT_OPTIONS: OptionDescription[] = [
  { name: 'snapshot.id', type: 'str', help: 'snapshot id' },
  { name: 'snapshot.name', type: 'str', help: 'snapshot name' },
];

/** Read the argument of -l (convert, measure), failing as qemu-img does on a bad option list. */
export function parseSnapshotChoice(out: Output, text: string): SnapshotChoice {
  if (!text.startsWith('snapshot.')) return { idOrName: text };
  const parsed = parseOptionList(text, SNAPSHOT_OPTIONS);
  if (!parsed.ok) {
    out.error(parsed.error.message);
    fail(out, `Failed in parsing snapshot param '${text}'`);
  }
  const id = parsed.values.get('snapshot.id')?.text;
  const name = parsed.values.get('snapshot.name')?.text;
  return { ...(id === undefined ? {} : { id }), ...(name === undefined ? {} : { name }) };
}

/** Make a read-only source read as one of its snapshots (qemu-img's bdrv_snapshot_load_tmp), or fail with its message. */
export async function loadSnapshot(out: Output, source: BlockDevice, choice: SnapshotChoice): Promise<void> {
  const failed = (message: string): never => fail(out, `Failed to load snapshot: ${message}`);
  const table = source.snapshots;
  if (!table) return failed(`Block format '${source.format}' used by device '' does not support temporarily loading internal snapshots`);
  try {
    if ('idOrName' in choice) {
      // an ID first, then a name, as bdrv_snapshot_load_tmp_by_id_or_name
      await table.loadTemporarily(choice.idOrName, undefined).catch(() => table.loadTemporarily(undefined, choice.idOrName));
    } else {
      if (choice.id === undefined && choice.name === undefined) failed('snapshot_id and name are both NULL');
      await table.loadTemporarily(choice.id, choice.name);
    }
  } catch (err) {
    failed(errorText(err));
  }
}
