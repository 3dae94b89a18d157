import { ErrorCode, VirtError } from '@virt/core-api';
import { errorText, fail, long, scanOptions, usageError, type Command } from '../command.js';
import { snapshotList } from '../format/snapshot-table.js';
import { closeImage, openImageArgument } from '../image/open.js';
import { processObject } from '../options/objects.js';

type Action = { kind: 'list' } | { kind: 'create' | 'apply' | 'delete'; name: string };

/** qemu-img snapshot [--object objectdef] [--image-opts] [-U] [-q] [-l | -a snapshot | -c snapshot | -d snapshot] filename */
export const snapshot: Command = async (context, args) => {
  const { out } = context;
  let action: Action | undefined;
  let imageOptions = false;
  const choose = (next: Action): void => {
    if (action) usageError(out, "Cannot mix '-l', '-a', '-c', '-d'");
    action = next;
  };
  const positional = scanOptions(context, 'snapshot', args, ':la:c:d:hqU', [long('object', true), long('image-opts', false), long('force-share', false, 'U')], (id, value) => {
    if (id === 'l') choose({ kind: 'list' });
    else if (id === 'a') choose({ kind: 'apply', name: value! });
    else if (id === 'c') choose({ kind: 'create', name: value! });
    else if (id === 'd') choose({ kind: 'delete', name: value! });
    else if (id === 'object') processObject(out, value!);
    else if (id === 'image-opts') imageOptions = true;
  });
  if (positional.length !== 1) usageError(out, 'Expecting one image file name');
  const device = await openImageArgument(context, { name: positional[0]!, imageOptions }, { readOnly: action?.kind === 'list' });
  try {
    const table = device.snapshots;
    const chosen = action as Action | undefined;
    switch (chosen?.kind) {
      case 'list': {
        const snapshots = table ? await table.list() : [];
        if (snapshots.length > 0) out.print(snapshotList(snapshots));
        break;
      }
      case 'create': {
        const { name } = chosen;
        if (!table) fail(out, `Could not create snapshot '${name}': -95 (Operation not supported)`);
        try {
          await table.create(name.slice(0, 255));
        } catch (err) {
          // qemu-img words this failure by its errno alone ("-22 (Invalid argument)")
          fail(out, `Could not create snapshot '${name}': ${errnoText(err)}`);
        }
        break;
      }
      case 'apply': {
        const { name } = chosen;
        if (!table) fail(out, `Could not apply snapshot '${name}': Block driver does not support snapshots`);
        await run(() => table.apply(name), `Could not apply snapshot '${name}'`);
        break;
      }
      case 'delete': {
        const { name } = chosen;
        if (!table) fail(out, `Could not delete snapshot '${name}': snapshot not found`);
        await run(() => table.delete(name), `Could not delete snapshot '${name}'`);
        break;
      }
    }
  } finally {
    await closeImage(out, device);
  }
  return 0;

  async function run(task: () => Promise<void>, what: string): Promise<void> {
    try {
      await task();
    } catch (err) {
      fail(out, `${what}: ${errorText(err)}`);
    }
  }
};

/** A failure as "-errno (strerror)": a system error's own number; metadata found broken is EIO, anything else EINVAL. */
function errnoText(err: unknown): string {
  if (err instanceof VirtError && err.code === ErrorCode.SYSTEM_ERROR && err.extras.int1 !== undefined) {
    return `-${err.extras.int1} (${err.message.slice(err.message.lastIndexOf(': ') + 2)})`;
  }
  if (err instanceof VirtError && err.code === ErrorCode.OPERATION_FAILED) return '-5 (Input/output error)';
  return '-22 (Invalid argument)';
}
