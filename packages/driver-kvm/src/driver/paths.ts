/**
 * Where the kvm driver keeps things, as libvirt's QEMU driver does for
 * qemu:///system and qemu:///session: persistent definitions in the config
 * directory, running domains' live XML, sockets and status in the run
 * directory, console logs in the log directory.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface DriverPaths {
  config: string;
  run: string;
  log: string;
}

export function driverPaths(mode: 'system' | 'session'): DriverPaths {
  if (mode === 'system') return { config: '/etc/virt/kvm', run: '/run/virt/kvm', log: '/var/log/virt/kvm' };
  const home = homedir();
  const config = process.env.XDG_CONFIG_HOME || join(home, '.config');
  const cache = process.env.XDG_CACHE_HOME || join(home, '.cache');
  const runtime = process.env.XDG_RUNTIME_DIR || join(cache, 'virt', 'run');
  return { config: join(config, 'virt', 'kvm'), run: join(runtime, 'virt', 'kvm'), log: join(cache, 'virt', 'kvm', 'log') };
}

/** The files of one domain. */
export function domainFiles(paths: DriverPaths, name: string) {
  return {
    config: join(paths.config, `${name}.xml`),
    liveXml: join(paths.run, `${name}.xml`),
    status: join(paths.run, `${name}.json`),
    exitStatus: join(paths.run, `${name}.exit`),
    qmp: join(paths.run, `${name}.qmp`),
    console: join(paths.run, `${name}.console`),
    log: join(paths.log, `${name}.log`),
  };
}
