/*
 * virt-img --help. The synopsis of every command, the option names and
 * the layout are qemu-img 7.2's; the explanations are in our own words.
 */
import { registeredFormats } from '@virt/storage';
import { PROGRAM } from './output.js';

/** The version banner (--version, and the head of --help). */
export function versionText(version: string): string {
  return `${PROGRAM} version ${version} (@virt, compatible with qemu-img 7.2)\nCopyright (c) the @virt authors, LGPL-2.1-or-later\n`;
}

/** Each command's synopsis, in qemu-img's order. */
const SYNOPSES = [
  'amend [--object objectdef] [--image-opts] [-p] [-q] [-f fmt] [-t cache] [--force] -o options filename',
  'bench [-c count] [-d depth] [-f fmt] [--flush-interval=flush_interval] [-i aio] [-n] [--no-drain] [-o offset] [--pattern=pattern] [-q] [-s buffer_size] [-S step_size] [-t cache] [-w] [-U] filename',
  'bitmap (--merge SOURCE | --add | --remove | --clear | --enable | --disable)... [-b source_file [-F source_fmt]] [-g granularity] [--object objectdef] [--image-opts | -f fmt] filename bitmap',
  'check [--object objectdef] [--image-opts] [-q] [-f fmt] [--output=ofmt] [-r [leaks | all]] [-T src_cache] [-U] filename',
  'commit [--object objectdef] [--image-opts] [-q] [-f fmt] [-t cache] [-b base] [-r rate_limit] [-d] [-p] filename',
  'compare [--object objectdef] [--image-opts] [-f fmt] [-F fmt] [-T src_cache] [-p] [-q] [-s] [-U] filename1 filename2',
  'convert [--object objectdef] [--image-opts] [--target-image-opts] [--target-is-zero] [--bitmaps] [-U] [-C] [-c] [-p] [-q] [-n] [-f fmt] [-t cache] [-T src_cache] [-O output_fmt] [-B backing_file [-F backing_fmt]] [-o options] [-l snapshot_param] [-S sparse_size] [-r rate_limit] [-m num_coroutines] [-W] [--salvage] filename [filename2 [...]] output_filename',
  'create [--object objectdef] [-q] [-f fmt] [-b backing_file [-F backing_fmt]] [-u] [-o options] filename [size]',
  'dd [--image-opts] [-U] [-f fmt] [-O output_fmt] [bs=block_size] [count=blocks] [skip=blocks] if=input of=output',
  'info [--object objectdef] [--image-opts] [-f fmt] [--output=ofmt] [--backing-chain] [-U] filename',
  'map [--object objectdef] [--image-opts] [-f fmt] [--start-offset=offset] [--max-length=len] [--output=ofmt] [-U] filename',
  'measure [--output=ofmt] [-O output_fmt] [-o options] [--size N | [--object objectdef] [--image-opts] [-f fmt] [-l snapshot_param] filename]',
  'snapshot [--object objectdef] [--image-opts] [-U] [-q] [-l | -a snapshot | -c snapshot | -d snapshot] filename',
  'rebase [--object objectdef] [--image-opts] [-U] [-q] [-f fmt] [-t cache] [-T src_cache] [-p] [-u] -b backing_file [-F backing_fmt] filename',
  'resize [--object objectdef] [--image-opts] [-f fmt] [--preallocation=prealloc] [-q] [--shrink] filename [+ | -]size',
];

const BODY = `Command parameters:
  'filename' is the file of a disk image
  'objectdef' defines an object to create first, as QEMU's --object does;
    in practice a 'secret' holding a password or key for an encrypted
    image
  'fmt' is the format of a disk image; without it, the format is
    recognised from the image's contents
  'cache' is how the output image is written: 'none', 'writeback' (the
    default, except for convert), 'writethrough', 'directsync' or
    'unsafe' (the default for convert)
  'src_cache' is how input images are read; it takes the same words as
    'cache'
  'size' is the size of a disk image in bytes, or with a suffix: 'k' or
    'K' for kilobytes (1024), 'M' for megabytes (1024k), 'G' for gigabytes
    (1024M), 'T' for terabytes (1024G), 'P' for petabytes (1024T) or 'E'
    for exabytes (1024P); 'b' means bytes
  'output_filename' is the file of the image to write
  'output_fmt' is the format of the image to write
  'options' is a comma-separated list of name=value settings of the
    format; '-o help' lists the settings a format takes
  'snapshot_param' names an internal snapshot, as
    'snapshot.id=[ID],snapshot.name=[NAME]', or
    '[ID_OR_NAME]'
  '-c' writes the target image compressed (formats with compression only)
  '-u' trusts the backing chain without checking it. For rebase, the old
       and the new backing file are taken to hold the same data, so the
       old one need not be readable (handy after renaming it). For
       create, the backing file is not opened at all.
  '-h' with or without a command shows this help and the formats there are
  '-p' shows progress (some commands only)
  '-q' quiet: print nothing but errors
  '-S' is how many consecutive zero bytes (4k unless given) convert leaves
       out of the target to keep it sparse. With 0, the source is copied
       byte for byte, zeros and unallocated areas included, and the target
       is fully allocated
  '--output' is the form of the output: human or json
  '-n' writes into an existing target instead of creating it

Parameters to bitmap subcommand:
  'bitmap' is the bitmap to work on, with one or more of the actions
       '--add', '--remove', '--clear', '--enable', '--disable', or
       '--merge source'
  '-g granularity' is the granularity of the bitmaps '--add' creates
  '-b source' and '-F src_fmt' name another image to find the
       bitmaps '--merge' reads

Parameters to check subcommand:
  '-r' repairs what the check finds. '-r leaks' only frees leaked
       clusters; '-r all' repairs every kind of error, at the risk of
       choosing the wrong repair or of hiding earlier damage.

Parameters to convert subcommand:
  '--bitmaps' copies the persistent bitmaps of the top image
  '-m' is how many requests convert keeps in flight (8 unless given)
  '-W' lets writes reach the target out of order

Parameters to snapshot subcommand:
  'snapshot' is the name of the snapshot to create, apply or delete
  '-a' applies a snapshot (reverts the disk to it)
  '-c' creates a snapshot
  '-d' deletes a snapshot
  '-l' lists the snapshots of the image

Parameters to compare subcommand:
  '-f' is the format of the first image
  '-F' is the format of the second image
  '-s' strict mode: images of different sizes or allocation differ

Parameters to dd subcommand:
  'bs=BYTES' copies BYTES bytes at a time (512 unless given)
  'count=N' copies N input blocks only
  'if=FILE' reads FILE
  'of=FILE' writes FILE
  'skip=N' skips N blocks of bs bytes at the start of the input
`;

export function helpText(version: string): string {
  return (
    versionText(version) +
    `usage: ${PROGRAM} [standard options] command [command options]\n` +
    'Disk image tool of @virt, compatible with qemu-img\n' +
    '\n' +
    "    '-h', '--help'       show this help and exit\n" +
    "    '-V', '--version'    show the version and exit\n" +
    "    '-T', '--trace'      [[enable=]<pattern>][,events=<file>][,file=<file>]\n" +
    '                         set up tracing\n' +
    '\n' +
    'Command syntax:\n' +
    SYNOPSES.map((s) => `  ${s}\n`).join('') +
    '\n' +
    BODY +
    '\n' +
    `Supported formats: ${registeredFormats().sort().join(' ')}\n` +
    '\n' +
    'Report problems at the @virt project.\n'
  );
}
