import {
  DomainEventID,
  DomainEventType as E,
  DomainEventStartedDetail,
  DomainEventStoppedDetail,
  DomainState,
  ErrorCode,
  SnapshotCreateFlags,
  SnapshotDeleteFlags,
  SnapshotListFlags,
  SnapshotRevertFlags,
  type DomainEvent,
} from '@virt/core-api';
import { describe, expect, it } from 'vitest';
import { connect, expectVirtError, lifecycleLog, settle } from './helpers.js';

const snapshotXML = (name: string): string => `<domainsnapshot><name>${name}</name></domainsnapshot>`;

describe('snapshots', () => {
  it('builds a tree, reverts to an earlier state and deletes', async () => {
    const conn = await connect();
    const test = await conn.lookupDomainByName('test');
    const s1 = await test.snapshotCreateXML(snapshotXML('s1'));
    await test.setMemory(1048576);
    const s2 = await test.snapshotCreateXML(snapshotXML('s2'));
    expect(await (await test.snapshotCurrent()).getName()).toBe('s2');
    expect(await (await s2.getParent()).getName()).toBe('s1');
    expect((await s1.listAllChildren()).map((s) => s.getName())).toEqual(['s2']);
    expect((await test.listAllSnapshots(SnapshotListFlags.ROOTS)).map((s) => s.getName())).toEqual(['s1']);
    expect(await test.snapshotNum(SnapshotListFlags.LEAVES)).toBe(1);
    expect(await s2.getXMLDesc()).toContain('<parent>\n    <name>s1</name>\n  </parent>');

    const events: DomainEvent[] = [];
    await conn.domainEventRegisterAny(test, DomainEventID.LIFECYCLE, (e) => events.push(e));
    await test.revertToSnapshot(s1);
    expect((await test.getInfo()).memory).toBe(2097152);
    expect(await s1.isCurrent()).toBe(true);
    await settle();
    expect(lifecycleLog(events)).toEqual([
      ['test', E.STOPPED, DomainEventStoppedDetail.FROM_SNAPSHOT],
      ['test', E.STARTED, DomainEventStartedDetail.FROM_SNAPSHOT],
    ]);

    await s1.delete(SnapshotDeleteFlags.CHILDREN_ONLY);
    expect((await test.listAllSnapshots()).map((s) => s.getName())).toEqual(['s1']);
    await s1.delete();
    expect(await test.hasCurrentSnapshot()).toBe(false);
    await expectVirtError(test.snapshotLookupByName('s1'), ErrorCode.NO_DOMAIN_SNAPSHOT, "Domain snapshot not found: no domain snapshot with matching name 's1'");
  });

  it('halts the domain after a snapshot when asked', async () => {
    const conn = await connect();
    const test = await conn.lookupDomainByName('test');
    await test.snapshotCreateXML(snapshotXML('s1'), SnapshotCreateFlags.HALT);
    expect((await test.getState()).state).toBe(DomainState.SHUTOFF);
  });

  it('checks flag combinations before the driver sees them', async () => {
    const conn = await connect();
    const test = await conn.lookupDomainByName('test');
    const s1 = await test.snapshotCreateXML(snapshotXML('s1'));
    await expectVirtError(
      test.snapshotCreateXML(snapshotXML('s2'), SnapshotCreateFlags.CURRENT),
      ErrorCode.INVALID_ARG,
      "Flag 'VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE' is required by flag 'VIR_DOMAIN_SNAPSHOT_CREATE_CURRENT'",
    );
    await expectVirtError(
      test.revertToSnapshot(s1, SnapshotRevertFlags.RUNNING | SnapshotRevertFlags.PAUSED),
      ErrorCode.INVALID_ARG,
      "Flags 'VIR_DOMAIN_SNAPSHOT_REVERT_RUNNING' and 'VIR_DOMAIN_SNAPSHOT_REVERT_PAUSED' are mutually exclusive",
    );
    await expectVirtError(
      s1.delete(SnapshotDeleteFlags.CHILDREN | SnapshotDeleteFlags.CHILDREN_ONLY),
      ErrorCode.INVALID_ARG,
      "Flags 'VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN' and 'VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN_ONLY' are mutually exclusive",
    );
    expect(await test.snapshotNum()).toBe(1);
  });
});
