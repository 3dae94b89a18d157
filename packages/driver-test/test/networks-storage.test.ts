import {
  ErrorCode,
  ListNetworksFlags,
  ListStoragePoolsFlags,
  NetworkEventID,
  NetworkEventType,
  StoragePoolState,
  StorageVolType,
  type NetworkEvent,
} from '@virt/core-api';
import { describe, expect, it } from 'vitest';
import { connect, expectVirtError, settle } from './helpers.js';

const NET1 = `<network>
  <name>net1</name>
  <bridge name='virbr9'/>
  <ip address='192.168.199.1' netmask='255.255.255.0'/>
</network>`;

describe('networks', () => {
  it('define, start, stop, undefine, with events', async () => {
    const conn = await connect();
    const events: NetworkEvent[] = [];
    await conn.networkEventRegisterAny(null, NetworkEventID.LIFECYCLE, (e) => events.push(e));
    const net = await conn.defineNetworkXML(NET1);
    expect(await net.isActive()).toBe(false);
    expect((await conn.listAllNetworks(ListNetworksFlags.INACTIVE)).map((n) => n.getName())).toEqual(['net1']);
    await net.create();
    expect(await net.getBridgeName()).toBe('virbr9');
    await expectVirtError(net.create(), ErrorCode.OPERATION_INVALID, "Requested operation is not valid: Network 'net1' is already running");
    await net.setAutostart(true);
    expect(await net.getAutostart()).toBe(true);
    await net.destroy();
    await net.undefine();
    await expectVirtError(conn.lookupNetworkByName('net1'), ErrorCode.NO_NETWORK, "Network not found: no network with matching name 'net1'");
    await settle();
    expect(events.map((e) => [e.network.name, e.event])).toEqual([
      ['net1', NetworkEventType.DEFINED],
      ['net1', NetworkEventType.STARTED],
      ['net1', NetworkEventType.STOPPED],
      ['net1', NetworkEventType.UNDEFINED],
    ]);
  });

  it('gives a network without UUID a generated one, and the bridge defaults libvirt gives', async () => {
    const conn = await connect();
    const xml = await (await conn.defineNetworkXML(NET1)).getXMLDesc();
    expect(xml).toMatch(/<uuid>[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}<\/uuid>/);
    expect(xml).toContain("<bridge name='virbr9' stp='on' delay='0'/>");
  });
});

describe('storage pools and volumes', () => {
  it('default-pool holds volumes that can be created, read and deleted', async () => {
    const conn = await connect();
    const pool = await conn.lookupStoragePoolByName('default-pool');
    expect(await pool.getInfo()).toMatchObject({ state: StoragePoolState.RUNNING });
    const vol = await pool.createVolumeXML("<volume><name>disk1.img</name><capacity unit='M'>10</capacity></volume>");
    expect(await vol.getPath()).toBe('/default-pool/disk1.img');
    expect(await vol.getInfo()).toEqual({ type: StorageVolType.FILE, capacity: 10485760n, allocation: 10485760n });
    expect((await pool.listAllVolumes()).map((v) => v.getName())).toEqual(['disk1.img']);
    expect((await conn.lookupStorageVolByPath('/default-pool/disk1.img')).getName()).toBe('disk1.img');
    await expectVirtError(
      pool.createVolumeXML("<volume><name>disk1.img</name><capacity>1</capacity></volume>"),
      ErrorCode.OPERATION_FAILED,
      'operation failed: storage vol already exists',
    );
    await vol.delete();
    expect(await pool.listAllVolumes()).toEqual([]);
  });

  it('defines, starts and removes a pool', async () => {
    const conn = await connect();
    const pool = await conn.defineStoragePoolXML("<pool type='dir'><name>p1</name><target><path>/var/lib/p1</path></target></pool>");
    expect((await conn.listAllStoragePools(ListStoragePoolsFlags.INACTIVE)).map((p) => p.getName())).toEqual(['p1']);
    await pool.create();
    expect(await pool.isActive()).toBe(true);
    await expectVirtError(pool.undefine(), ErrorCode.OPERATION_INVALID, "Requested operation is not valid: storage pool 'p1' is active");
    await pool.destroy();
    await pool.undefine();
    await expectVirtError(conn.lookupStoragePoolByName('p1'), ErrorCode.NO_STORAGE_POOL, "Storage pool not found: no storage pool with matching name 'p1'");
  });
});
