import { describe, expect, it } from 'vitest';
import { json, virt } from './run.js';

/*
 * `--json` is virt's own addition, so there is no virsh to compare with:
 * these tests pin the documented keys and their types (README, "JSON output").
 */
describe('--json', () => {
  it('list: one object per domain, shut off domains with a null id', async () => {
    const rows = await json('destroy test; list --all --json');
    expect(rows).toEqual([
      {
        id: null,
        name: 'test',
        uuid: '6695eb01-f6a4-8304-79aa-97f2502e193f',
        state: 'shut off',
        reason: 'destroyed',
        persistent: true,
        autostart: false,
        managed_save: false,
        title: '',
      },
    ]);
  });

  it('list honours the same filters as the table', async () => {
    expect(await json('list --inactive --json')).toEqual([]);
    expect(await json('list --state-running --json')).toHaveLength(1);
  });

  it('dominfo', async () => {
    expect(await json('dominfo test --json')).toEqual({
      id: 1,
      name: 'test',
      uuid: '6695eb01-f6a4-8304-79aa-97f2502e193f',
      os_type: 'linux',
      state: 'running',
      cpus: 2,
      cpu_time_ns: expect.any(Number),
      max_memory_kib: 8388608,
      used_memory_kib: 2097152,
      persistent: true,
      autostart: false,
      managed_save: false,
      security_model: 'testSecurity',
      security_doi: '',
      security_label: 'libvirt-test',
      security_enforcing: true,
    });
  });

  it('nodeinfo', async () => {
    expect(await json('nodeinfo --json')).toEqual({
      cpu_model: 'i686',
      cpus: 16,
      cpu_mhz: 1400,
      sockets: 2,
      cores_per_socket: 2,
      threads_per_core: 2,
      numa_cells: 2,
      memory_kib: 3145728,
    });
  });

  it('net-list', async () => {
    expect(await json('net-list --all --json')).toEqual([
      { name: 'default', uuid: 'dd8fe884-6c02-601e-7551-cca97df1c5df', active: true, autostart: false, persistent: true, bridge: 'virbr0' },
    ]);
  });

  it('pool-list', async () => {
    expect(await json('pool-list --all --json')).toEqual([
      {
        name: 'default-pool',
        uuid: 'dfe224cb-28fb-8dd0-c4b2-64eb3f0f4566',
        state: 'running',
        autostart: false,
        capacity_bytes: 107374182400,
        allocation_bytes: 0,
        available_bytes: 107374182400,
      },
    ]);
  });

  it('vol-list', async () => {
    expect(await json('vol-create-as default-pool disk.img 1G; vol-list default-pool --json')).toEqual([
      { name: 'disk.img', path: '/default-pool/disk.img', type: 'file', capacity_bytes: 1073741824, allocation_bytes: 1073741824 },
    ]);
  });

  it('errors stay errors: nothing on stdout, the usual lines on stderr', async () => {
    expect(await virt('dominfo nosuch --json')).toEqual({ stdout: '', stderr: "error: failed to get domain 'nosuch'\n", ok: false });
  });
});
