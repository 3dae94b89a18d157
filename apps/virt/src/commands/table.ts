import { alias, argv, bool, commandTable, data, int, str, type CommandDef, type CommandGroup, type OptionDef } from '../shell/command.js';

/*
 * The command table: names, options and groups exactly as virsh 9.0 has
 * them (users' scripts depend on them); the help wording is our own.
 * Handlers live in the modules named by `load`, imported only when a
 * command runs.
 */

const domain = (help = 'domain name, ID or UUID'): OptionDef => data('domain', help);
const config = bool('config', 'apply to the persistent configuration (next boot)');
const live = bool('live', 'apply to the running domain');
const current = bool('current', 'apply to the running domain if active, else to the configuration');
const network = data('network', 'network name or UUID');
const pool = data('pool', 'pool name or UUID');
const vol = data('vol', 'volume name, key or path');
const poolOptional = str('pool', 'pool name or UUID');
const file = (help: string): OptionDef => data('file', help);
const xpath = str('xpath', 'print only the nodes matching this XPath expression', { reqOpt: true });
const wrap = bool('wrap', 'wrap the XPath matches in one root element');
const validate = bool('validate', 'validate the XML against the schema');
const snapshotName = (help: string): OptionDef => str('snapshotname', help);
/** Beyond virsh: machine-readable output with documented keys. */
const json = bool('json', 'print JSON (keys documented in the README)');

type Handlers = Record<string, (...args: never[]) => unknown>;

function lazy<M extends Handlers>(load: () => Promise<M>, name: keyof M & string): CommandDef['load'] {
  return async () => (await load())[name] as unknown as Awaited<ReturnType<CommandDef['load']>>;
}

function cmd(name: string, help: string, desc: string, options: OptionDef[], load: CommandDef['load'], noConnect = false): CommandDef {
  return { name, help, desc, options, load, noConnect };
}

const lifecycle = () => import('./domain-lifecycle.js');
const monitor = () => import('./domain-monitor.js');
const settings = () => import('./domain-settings.js');
const saving = () => import('./domain-save.js');
const events = () => import('./event.js');
const host = () => import('./host.js');
const iface = () => import('./interface.js');
const net = () => import('./network.js');
const pools = () => import('./pool.js');
const vols = () => import('./volume.js');
const snapshots = () => import('./snapshot.js');
const builtins = () => import('./builtins.js');

const poolSourceOptions: OptionDef[] = [
  data('name', 'name of the new pool'),
  data('type', 'pool type (dir, fs, netfs, logical, disk, iscsi, scsi, ...)'),
  bool('print-xml', 'print the XML instead of defining the pool'),
  str('source-host', 'host of the pool source'),
  str('source-path', 'path of the pool source'),
  str('source-dev', 'device of the pool source'),
  str('source-name', 'name of the pool source'),
  str('target', 'target path of the pool'),
  str('source-format', 'format of the pool source'),
  str('auth-type', 'authentication type (chap, ceph)'),
  str('auth-username', 'authentication user name'),
  str('secret-usage', 'usage of the authentication secret'),
  str('secret-uuid', 'UUID of the authentication secret'),
  str('adapter-name', 'SCSI adapter name'),
  str('adapter-wwnn', 'adapter WWNN for a vHBA'),
  str('adapter-wwpn', 'adapter WWPN for a vHBA'),
  str('adapter-parent', 'parent adapter of a vHBA'),
  str('adapter-parent-wwnn', 'WWNN of the vHBA parent'),
  str('adapter-parent-wwpn', 'WWPN of the vHBA parent'),
  str('adapter-parent-fabric-wwn', 'fabric WWN of the vHBA parent'),
  str('source-protocol-ver', 'NFS protocol version'),
  str('source-initiator', 'iSCSI initiator IQN'),
];

const groups: CommandGroup[] = [
  {
    name: 'Domain Management',
    keyword: 'domain',
    commands: [
      cmd('autostart', 'start a domain when the host boots', 'Mark or unmark a domain to be started automatically at host boot.', [domain(), bool('disable', 'stop starting the domain at boot')], lazy(lifecycle, 'autostart')),
      cmd('console', 'connect to the guest console', "Attach the terminal to a running domain's console; Ctrl-] detaches.", [
        domain(),
        str('devname', 'the character device to attach (serial0, console0)'),
        bool('force', 'take the console from another session'),
        bool('safe', 'only attach where the driver can keep the session exclusive'),
      ], lazy(lifecycle, 'console')),
      cmd('create', 'create and start a domain from an XML file', 'Create a transient domain from an XML description and start it.', [
        file('XML file describing the domain'),
        bool('console', 'attach to the console after starting'),
        bool('paused', 'leave the guest paused after creating it'),
        bool('autodestroy', 'destroy the guest when this connection closes'),
        str('pass-fds', 'pass the file descriptors N,M,... to the guest'),
        validate,
        bool('reset-nvram', 'start from a fresh copy of the NVRAM template'),
      ], lazy(lifecycle, 'create')),
      cmd('define', 'define (but do not start) a domain from an XML file', 'Define a persistent domain from an XML description.', [file('XML file describing the domain'), validate], lazy(lifecycle, 'define')),
      cmd('destroy', 'stop a domain immediately', 'Stop a domain at once, as pulling the power cord; its configuration and disks are kept.', [
        domain(),
        bool('graceful', 'ask the hypervisor to terminate the guest gracefully'),
        bool('remove-logs', 'also remove the domain log files'),
      ], lazy(lifecycle, 'destroy')),
      cmd('domid', 'print the ID of a domain given its name or UUID', '', [domain('domain name or UUID')], lazy(settings, 'domid')),
      cmd('domname', 'print the name of a domain given its ID or UUID', '', [domain('domain ID or UUID')], lazy(settings, 'domname')),
      cmd('domuuid', 'print the UUID of a domain given its name or ID', '', [domain('domain ID or name')], lazy(settings, 'domuuid')),
      cmd('dumpxml', 'print the XML description of a domain', 'Print the domain XML description on standard output.', [
        domain(),
        bool('inactive', 'print the persistent (next boot) configuration'),
        bool('security-info', 'include security-sensitive data'),
        bool('update-cpu', 'describe the guest CPU as it would run on this host'),
        bool('migratable', 'print XML suitable for migration'),
        xpath,
        wrap,
      ], lazy(settings, 'dumpxml')),
      cmd('managedsave', 'save a domain so that start resumes it', 'Save the running domain state and stop it; the next start of the domain resumes from that state.', [
        domain(),
        bool('bypass-cache', 'write the state without using the host page cache'),
        bool('running', 'resume the domain running when it is next started'),
        bool('paused', 'resume the domain paused when it is next started'),
        bool('verbose', 'show progress'),
      ], lazy(saving, 'managedsave')),
      cmd('managedsave-remove', 'discard the managed save state of a domain', 'Remove the saved state of a domain so that its next start boots afresh.', [domain()], lazy(saving, 'managedsaveRemove')),
      cmd('reboot', 'reboot a domain', 'Ask the guest to reboot.', [domain(), str('mode', 'how to reboot: acpi, agent, initctl, signal or paravirt')], lazy(lifecycle, 'reboot')),
      cmd('restore', 'restore a domain from a state file', 'Restore a domain from a state file written by save.', [
        file('state file written by save'),
        bool('bypass-cache', 'read the state without using the host page cache'),
        str('xml', 'file with an updated domain XML to restore with'),
        bool('running', 'resume the domain running'),
        bool('paused', 'resume the domain paused'),
        bool('reset-nvram', 'start from a fresh copy of the NVRAM template'),
      ], lazy(saving, 'restore')),
      cmd('resume', 'resume a paused domain', 'Continue running a suspended domain.', [domain()], lazy(lifecycle, 'resume')),
      cmd('save', 'save the state of a domain to a file', 'Save the memory and device state of a running domain to a file and stop it.', [
        domain(),
        data('file', 'file to write the state to'),
        bool('bypass-cache', 'write the state without using the host page cache'),
        str('xml', 'file with an updated domain XML to store with the state'),
        bool('running', 'resume the domain running when it is restored'),
        bool('paused', 'resume the domain paused when it is restored'),
        bool('verbose', 'show progress'),
      ], lazy(saving, 'save')),
      cmd('setmem', 'change the memory of a domain', 'Change the current memory allocation of a domain.', [
        domain(),
        alias('kilobytes', 'size'),
        int('size', 'new memory size: a number with an optional unit (KiB when none)', { required: true }),
        config,
        live,
        current,
      ], lazy(settings, 'setmem')),
      cmd('setvcpus', 'change the number of virtual CPUs', 'Change the number of virtual CPUs of a domain.', [
        domain(),
        int('count', 'number of virtual CPUs', { required: true }),
        bool('maximum', 'change the maximum for the next boot'),
        config,
        live,
        current,
        bool('guest', 'change the CPUs online inside the guest'),
        bool('hotpluggable', 'make the added CPUs hot-unpluggable'),
      ], lazy(settings, 'setvcpus')),
      cmd('shutdown', 'ask a domain to shut down', 'Ask the guest to shut down cleanly.', [domain(), str('mode', 'how to shut down: acpi, agent, initctl, signal or paravirt')], lazy(lifecycle, 'shutdown')),
      cmd('start', 'start a defined domain', 'Start an inactive domain, resuming its managed save state if it has one.', [
        domain('name or UUID of the inactive domain'),
        bool('console', 'attach to the console after starting'),
        bool('paused', 'leave the guest paused after starting it'),
        bool('autodestroy', 'destroy the guest when this connection closes'),
        bool('bypass-cache', 'read the saved state without using the host page cache'),
        bool('force-boot', 'boot afresh, discarding any managed save state'),
        str('pass-fds', 'pass the file descriptors N,M,... to the guest'),
        bool('reset-nvram', 'start from a fresh copy of the NVRAM template'),
      ], lazy(lifecycle, 'start')),
      cmd('suspend', 'pause a domain', 'Pause a running domain: its virtual CPUs stop, its memory is kept.', [domain()], lazy(lifecycle, 'suspend')),
      cmd('undefine', 'remove the definition of a domain', 'Remove the persistent definition of a domain; a running domain becomes transient.', [
        domain(),
        bool('managed-save', 'also remove the managed save state'),
        str('storage', 'also remove these storage volumes (comma-separated targets or source paths)'),
        bool('remove-all-storage', 'also remove every storage volume of the domain'),
        alias('delete-snapshots', 'delete-storage-volume-snapshots'),
        bool('delete-storage-volume-snapshots', 'also delete the snapshots of the removed volumes'),
        bool('wipe-storage', 'wipe the removed volumes'),
        bool('snapshots-metadata', 'also remove the snapshot metadata of an inactive domain'),
        bool('checkpoints-metadata', 'also remove the checkpoint metadata of an inactive domain'),
        bool('nvram', 'also remove the NVRAM file'),
        bool('keep-nvram', 'keep the NVRAM file'),
        bool('tpm', 'also remove the TPM state'),
        bool('keep-tpm', 'keep the TPM state'),
      ], lazy(lifecycle, 'undefine')),
      cmd('vcpuinfo', 'show the virtual CPUs of a domain', 'Show each virtual CPU of a domain: host CPU, state, CPU time and affinity.', [domain(), bool('pretty', 'show the affinity as CPU ranges')], lazy(settings, 'vcpuinfo')),
    ],
  },
  {
    name: 'Domain Monitoring',
    keyword: 'monitor',
    commands: [
      cmd('domblklist', 'list the block devices of a domain', 'List the disks of a domain with their sources.', [
        domain(),
        bool('inactive', 'use the persistent configuration'),
        bool('details', 'also show the disk type and device'),
      ], lazy(monitor, 'domblklist')),
      cmd('domiflist', 'list the network interfaces of a domain', 'List the network interfaces of a domain.', [domain(), bool('inactive', 'use the persistent configuration')], lazy(monitor, 'domiflist')),
      cmd('dominfo', 'show basic information about a domain', 'Show the state, CPUs, memory and settings of a domain.', [domain(), json], lazy(monitor, 'dominfo')),
      cmd('domstate', 'show the state of a domain', 'Print the state of a domain.', [domain(), bool('reason', 'also print why the domain is in that state')], lazy(monitor, 'domstate')),
      cmd('list', 'list domains', 'List domains, by default the running ones.', [
        bool('inactive', 'list the inactive domains'),
        bool('all', 'list active and inactive domains'),
        bool('transient', 'only transient domains'),
        bool('persistent', 'only persistent domains'),
        bool('with-snapshot', 'only domains that have snapshots'),
        bool('without-snapshot', 'only domains without snapshots'),
        bool('with-checkpoint', 'only domains that have checkpoints'),
        bool('without-checkpoint', 'only domains without checkpoints'),
        bool('state-running', 'only running domains'),
        bool('state-paused', 'only paused domains'),
        bool('state-shutoff', 'only shut off domains'),
        bool('state-other', 'only domains in other states'),
        bool('autostart', 'only domains started at boot'),
        bool('no-autostart', 'only domains not started at boot'),
        bool('with-managed-save', 'only domains with a managed save state'),
        bool('without-managed-save', 'only domains without a managed save state'),
        bool('uuid', 'print UUIDs only'),
        bool('name', 'print names only'),
        bool('id', 'print IDs only'),
        bool('table', 'print a table (the default)'),
        bool('managed-save', 'show inactive domains with a managed save state as "saved"'),
        bool('title', 'add a column with the domain title'),
        json,
      ], lazy(monitor, 'list')),
    ],
  },
  {
    name: 'Domain Events',
    keyword: 'events',
    commands: [
      cmd('event', 'wait for domain events and print them', 'Print domain events as they arrive.', [
        str('domain', 'only events of this domain (name, ID or UUID)'),
        str('event', 'which event to wait for (see --list)'),
        bool('all', 'wait for every kind of event'),
        bool('loop', 'keep waiting after the first event'),
        int('timeout', 'stop after this many seconds'),
        bool('list', 'list the event names'),
        bool('timestamp', 'print a timestamp before each event'),
      ], lazy(events, 'event')),
    ],
  },
  {
    name: 'Host and Hypervisor',
    keyword: 'host',
    commands: [
      cmd('capabilities', 'print the capabilities of the host and hypervisor', 'Print the capabilities XML of the host and hypervisor.', [], lazy(host, 'capabilities')),
      cmd('hostname', 'print the hypervisor host name', '', [], lazy(host, 'hostname')),
      cmd('nodeinfo', 'show information about the host', 'Show the CPU and memory of the host.', [json], lazy(host, 'nodeinfo')),
      cmd('sysinfo', 'print the host system information', 'Print the host SMBIOS information as XML.', [], lazy(host, 'sysinfo')),
      cmd('uri', 'print the connection URI', 'Print the canonical URI of the connection.', [], lazy(host, 'uri')),
      cmd('version', 'show version information', 'Show the versions of the library, API and hypervisor.', [bool('daemon', 'also show the daemon version')], lazy(host, 'version')),
    ],
  },
  {
    name: 'Interface',
    keyword: 'interface',
    commands: [
      cmd('iface-dumpxml', 'print the XML of a host interface', 'Print the XML description of a host network interface.', [
        data('interface', 'interface name or MAC address'),
        bool('inactive', 'print the persistent configuration'),
        xpath,
        wrap,
      ], lazy(iface, 'ifaceDumpxml')),
      cmd('iface-list', 'list host interfaces', 'List the physical host network interfaces.', [
        bool('inactive', 'list the inactive interfaces'),
        bool('all', 'list active and inactive interfaces'),
      ], lazy(iface, 'ifaceList')),
    ],
  },
  {
    name: 'Networking',
    keyword: 'network',
    commands: [
      cmd('net-autostart', 'start a network when the host boots', 'Mark or unmark a network to be started automatically at host boot.', [network, bool('disable', 'stop starting the network at boot')], lazy(net, 'netAutostart')),
      cmd('net-create', 'create and start a network from an XML file', 'Create a transient network from an XML description and start it.', [file('XML file describing the network'), validate], lazy(net, 'netCreate')),
      cmd('net-define', 'define (but do not start) a network from an XML file', 'Define a persistent network from an XML description.', [file('XML file describing the network'), validate], lazy(net, 'netDefine')),
      cmd('net-destroy', 'stop a network', 'Stop an active network.', [network], lazy(net, 'netDestroy')),
      cmd('net-dumpxml', 'print the XML description of a network', 'Print the network XML description on standard output.', [network, bool('inactive', 'print the persistent configuration'), xpath, wrap], lazy(net, 'netDumpxml')),
      cmd('net-info', 'show information about a network', 'Show the state and settings of a network.', [network], lazy(net, 'netInfo')),
      cmd('net-list', 'list networks', 'List networks, by default the active ones.', [
        bool('inactive', 'list the inactive networks'),
        bool('all', 'list active and inactive networks'),
        bool('persistent', 'only persistent networks'),
        bool('transient', 'only transient networks'),
        bool('autostart', 'only networks started at boot'),
        bool('no-autostart', 'only networks not started at boot'),
        bool('uuid', 'print UUIDs only'),
        bool('name', 'print names only'),
        bool('table', 'print a table (the default)'),
        json,
      ], lazy(net, 'netList')),
      cmd('net-name', 'print the name of a network given its UUID', '', [data('network', 'network UUID')], lazy(net, 'netName')),
      cmd('net-start', 'start a defined network', 'Start an inactive network.', [data('network', 'name or UUID of the inactive network')], lazy(net, 'netStart')),
      cmd('net-undefine', 'remove the definition of a network', 'Remove the persistent definition of a network.', [network], lazy(net, 'netUndefine')),
      cmd('net-uuid', 'print the UUID of a network given its name', '', [data('network', 'network name')], lazy(net, 'netUuid')),
    ],
  },
  {
    name: 'Snapshot',
    keyword: 'snapshot',
    commands: [
      cmd('snapshot-create', 'create a snapshot from an XML file', 'Create a snapshot of a domain from a snapshot XML description.', [
        domain(),
        str('xmlfile', 'snapshot XML file (a default snapshot when omitted)'),
        bool('redefine', 'redefine the metadata of an existing snapshot'),
        bool('current', 'with --redefine, make it the current snapshot'),
        bool('no-metadata', 'take the snapshot without keeping metadata'),
        bool('halt', 'stop the domain after taking the snapshot'),
        bool('disk-only', 'capture the disks only, not the memory'),
        bool('reuse-external', 'reuse existing external files'),
        bool('quiesce', 'quiesce the guest file systems'),
        bool('atomic', 'all or nothing'),
        bool('live', 'take the snapshot while the domain runs'),
        validate,
      ], lazy(snapshots, 'snapshotCreate')),
      cmd('snapshot-create-as', 'create a snapshot from arguments', 'Create a snapshot of a domain (disks and memory) from command-line arguments.', [
        domain(),
        str('name', 'snapshot name'),
        str('description', 'snapshot description'),
        bool('print-xml', 'print the snapshot XML instead of creating it'),
        bool('no-metadata', 'take the snapshot without keeping metadata'),
        bool('halt', 'stop the domain after taking the snapshot'),
        bool('disk-only', 'capture the disks only, not the memory'),
        bool('reuse-external', 'reuse existing external files'),
        bool('quiesce', 'quiesce the guest file systems'),
        bool('atomic', 'all or nothing'),
        bool('live', 'take the snapshot while the domain runs'),
        validate,
        str('memspec', 'memory snapshot: [file=]name[,snapshot=type]', { reqOpt: true }),
        argv('diskspec', 'disk snapshot: disk[,snapshot=type][,driver=type][,stype=type][,file=name]'),
      ], lazy(snapshots, 'snapshotCreateAs')),
      cmd('snapshot-current', 'show or set the current snapshot', 'Show the current snapshot of a domain, or make another snapshot current.', [
        domain(),
        bool('name', 'print the name only'),
        bool('security-info', 'include security-sensitive data'),
        snapshotName('name of the snapshot to make current'),
      ], lazy(snapshots, 'snapshotCurrent')),
      cmd('snapshot-delete', 'delete a snapshot', 'Delete a snapshot of a domain.', [
        domain(),
        snapshotName('snapshot name'),
        bool('current', 'delete the current snapshot'),
        bool('children', 'also delete the descendants of the snapshot'),
        bool('children-only', 'delete only the descendants of the snapshot'),
        bool('metadata', 'delete only the metadata that libvirt keeps'),
      ], lazy(snapshots, 'snapshotDelete')),
      cmd('snapshot-dumpxml', 'print the XML of a snapshot', 'Print the snapshot XML description on standard output.', [
        domain(),
        data('snapshotname', 'snapshot name'),
        bool('security-info', 'include security-sensitive data'),
        xpath,
        wrap,
      ], lazy(snapshots, 'snapshotDumpxml')),
      cmd('snapshot-info', 'show information about a snapshot', 'Show the state and relations of a snapshot.', [domain(), snapshotName('snapshot name'), bool('current', 'use the current snapshot')], lazy(snapshots, 'snapshotInfo')),
      cmd('snapshot-list', 'list the snapshots of a domain', 'List the snapshots of a domain.', [
        domain(),
        bool('parent', 'add a column with the parent snapshot'),
        bool('roots', 'only snapshots without a parent'),
        bool('leaves', 'only snapshots without children'),
        bool('no-leaves', 'only snapshots with children'),
        bool('metadata', 'only snapshots whose metadata libvirt keeps'),
        bool('no-metadata', 'only snapshots that exist without libvirt metadata'),
        bool('inactive', 'only snapshots taken of a shut off domain'),
        bool('active', 'only snapshots taken of a running domain'),
        bool('disk-only', 'only disk-only snapshots'),
        bool('internal', 'only internal snapshots'),
        bool('external', 'only external snapshots'),
        bool('tree', 'show the snapshots as a tree'),
        str('from', 'only the children of this snapshot'),
        bool('current', 'only the children of the current snapshot'),
        bool('descendants', 'with --from, all descendants rather than children'),
        bool('name', 'print names only'),
        bool('topological', 'sort parents before their children'),
      ], lazy(snapshots, 'snapshotList')),
      cmd('snapshot-parent', 'print the parent of a snapshot', 'Print the name of the parent of a snapshot.', [domain(), snapshotName('child snapshot name'), bool('current', 'use the current snapshot')], lazy(snapshots, 'snapshotParent')),
      cmd('snapshot-revert', 'revert a domain to a snapshot', 'Return a domain to the state recorded in a snapshot.', [
        domain(),
        snapshotName('snapshot name'),
        bool('current', 'revert to the current snapshot'),
        bool('running', 'leave the domain running after reverting'),
        bool('paused', 'leave the domain paused after reverting'),
        bool('force', 'revert even where it is risky'),
        bool('reset-nvram', 'start from a fresh copy of the NVRAM template'),
      ], lazy(snapshots, 'snapshotRevert')),
    ],
  },
  {
    name: 'Storage Pool',
    keyword: 'pool',
    commands: [
      cmd('pool-autostart', 'start a pool when the host boots', 'Mark or unmark a pool to be started automatically at host boot.', [pool, bool('disable', 'stop starting the pool at boot')], lazy(pools, 'poolAutostart')),
      cmd('pool-build', 'build a pool', 'Prepare the underlying storage of a pool.', [pool, bool('no-overwrite', 'refuse to overwrite existing data'), bool('overwrite', 'overwrite existing data')], lazy(pools, 'poolBuild')),
      cmd('pool-create-as', 'create and start a pool from arguments', 'Create a transient pool from command-line arguments and start it.', [
        ...poolSourceOptions,
        bool('build', 'build the pool first'),
        bool('no-overwrite', 'when building, refuse to overwrite existing data'),
        bool('overwrite', 'when building, overwrite existing data'),
      ], lazy(pools, 'poolCreateAs')),
      cmd('pool-create', 'create and start a pool from an XML file', 'Create a transient pool from an XML description and start it.', [
        file('XML file describing the pool'),
        bool('build', 'build the pool first'),
        bool('no-overwrite', 'when building, refuse to overwrite existing data'),
        bool('overwrite', 'when building, overwrite existing data'),
      ], lazy(pools, 'poolCreate')),
      cmd('pool-define-as', 'define a pool from arguments', 'Define a persistent pool from command-line arguments.', poolSourceOptions, lazy(pools, 'poolDefineAs')),
      cmd('pool-define', 'define (but do not start) a pool from an XML file', 'Define a persistent pool from an XML description.', [file('XML file describing the pool'), validate], lazy(pools, 'poolDefine')),
      cmd('pool-delete', 'delete the storage of a pool', 'Delete the underlying storage of an inactive pool.', [pool], lazy(pools, 'poolDelete')),
      cmd('pool-destroy', 'stop a pool', 'Stop an active pool; its storage is kept.', [pool], lazy(pools, 'poolDestroy')),
      cmd('pool-dumpxml', 'print the XML description of a pool', 'Print the pool XML description on standard output.', [pool, bool('inactive', 'print the persistent configuration'), xpath, wrap], lazy(pools, 'poolDumpxml')),
      cmd('pool-info', 'show information about a pool', 'Show the state and capacity of a pool.', [pool, bool('bytes', 'print sizes in bytes')], lazy(pools, 'poolInfo')),
      cmd('pool-list', 'list pools', 'List storage pools, by default the active ones.', [
        bool('inactive', 'list the inactive pools'),
        bool('all', 'list active and inactive pools'),
        bool('transient', 'only transient pools'),
        bool('persistent', 'only persistent pools'),
        bool('autostart', 'only pools started at boot'),
        bool('no-autostart', 'only pools not started at boot'),
        str('type', 'only pools of these comma-separated types'),
        bool('details', 'add capacity, allocation and availability columns'),
        bool('uuid', 'print UUIDs only'),
        bool('name', 'print names only'),
        json,
      ], lazy(pools, 'poolList')),
      cmd('pool-name', 'print the name of a pool given its UUID', '', [data('pool', 'pool UUID')], lazy(pools, 'poolName')),
      cmd('pool-refresh', 'refresh a pool', 'Rescan the volumes of a pool.', [pool], lazy(pools, 'poolRefresh')),
      cmd('pool-start', 'start a defined pool', 'Start an inactive pool.', [
        data('pool', 'name or UUID of the inactive pool'),
        bool('build', 'build the pool first'),
        bool('no-overwrite', 'when building, refuse to overwrite existing data'),
        bool('overwrite', 'when building, overwrite existing data'),
      ], lazy(pools, 'poolStart')),
      cmd('pool-undefine', 'remove the definition of a pool', 'Remove the persistent definition of an inactive pool.', [pool], lazy(pools, 'poolUndefine')),
      cmd('pool-uuid', 'print the UUID of a pool given its name', '', [data('pool', 'pool name')], lazy(pools, 'poolUuid')),
    ],
  },
  {
    name: 'Storage Volume',
    keyword: 'volume',
    commands: [
      cmd('vol-create-as', 'create a volume from arguments', 'Create a storage volume from command-line arguments.', [
        data('pool', 'pool name'),
        data('name', 'name of the new volume'),
        data('capacity', 'size of the volume: a number with an optional unit (bytes when none)'),
        str('allocation', 'initial allocation: a number with an optional unit (bytes when none)'),
        str('format', 'file format (raw, qcow2, vmdk, ...)'),
        str('backing-vol', 'backing volume for a copy-on-write volume'),
        str('backing-vol-format', 'format of the backing volume'),
        bool('prealloc-metadata', 'preallocate the metadata (qcow2)'),
        bool('print-xml', 'print the volume XML instead of creating it'),
      ], lazy(vols, 'volCreateAs')),
      cmd('vol-delete', 'delete a volume', 'Delete a storage volume.', [vol, poolOptional, bool('delete-snapshots', 'also delete the snapshots of the volume')], lazy(vols, 'volDelete')),
      cmd('vol-dumpxml', 'print the XML description of a volume', 'Print the volume XML description on standard output.', [vol, poolOptional, xpath, wrap], lazy(vols, 'volDumpxml')),
      cmd('vol-info', 'show information about a volume', 'Show the type and sizes of a storage volume.', [vol, poolOptional, bool('bytes', 'print sizes in bytes'), bool('physical', 'show the physical size instead of the allocation')], lazy(vols, 'volInfo')),
      cmd('vol-key', 'print the key of a volume', '', [data('vol', 'volume name or path'), poolOptional], lazy(vols, 'volKey')),
      cmd('vol-list', 'list the volumes of a pool', 'List the storage volumes of a pool.', [pool, bool('details', 'add type, capacity and allocation columns'), json], lazy(vols, 'volList')),
      cmd('vol-name', 'print the name of a volume given its key or path', '', [data('vol', 'volume key or path')], lazy(vols, 'volName')),
      cmd('vol-path', 'print the path of a volume', '', [data('vol', 'volume name or key'), poolOptional], lazy(vols, 'volPath')),
      cmd('vol-pool', 'print the pool of a volume', '', [data('vol', 'volume key or path'), bool('uuid', 'print the pool UUID instead of its name')], lazy(vols, 'volPool')),
    ],
  },
  {
    name: 'Virsh itself',
    keyword: 'virsh',
    commands: [
      cmd('cd', 'change the current directory', 'Change the current directory of the shell.', [str('dir', 'directory to change to (default: home, else /)')], lazy(builtins, 'cd'), true),
      cmd('echo', 'print the arguments', 'Print the arguments, as the shell split them.', [
        bool('shell', 'quote for a POSIX shell'),
        bool('xml', 'escape for XML'),
        bool('split', 'split at commas (,, for a literal comma), one piece per line'),
        bool('err', 'print as an error'),
        alias('str', 'string'),
        alias('hi', 'string=hello'),
        argv('string', 'arguments to print'),
      ], lazy(builtins, 'echo'), true),
      cmd('exit', 'leave the interactive shell', '', [], lazy(builtins, 'quit'), true),
      cmd('help', 'print help', 'Print the command list, the help of one command, or the commands of a group.', [str('command', 'command or command group')], lazy(builtins, 'help'), true),
      cmd('pwd', 'print the current directory', 'Print the current directory.', [], lazy(builtins, 'pwd'), true),
      cmd('quit', 'leave the interactive shell', '', [], lazy(builtins, 'quit'), true),
      cmd('connect', '(re)connect to a hypervisor', 'Open a connection to a hypervisor, replacing the current one.', [
        str('name', 'connection URI', { emptyOk: true }),
        bool('readonly', 'open a read-only connection'),
      ], lazy(builtins, 'connect'), true),
    ],
  },
];

export const COMMANDS = commandTable(groups);
