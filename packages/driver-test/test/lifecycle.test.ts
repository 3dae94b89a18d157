import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DomainEventID,
  DomainEventType as E,
  DomainEventDefinedDetail,
  DomainEventResumedDetail,
  DomainEventStartedDetail,
  DomainEventStoppedDetail,
  DomainEventSuspendedDetail,
  DomainEventUndefinedDetail,
  DomainMemoryFlags,
  DomainPausedReason,
  DomainRunningReason,
  DomainSaveRestoreFlags,
  DomainShutoffReason,
  DomainState,
  DomainVcpuFlags,
  ErrorCode,
  ErrorDomain,
  type DomainEvent,
} from '@virt/core-api';
import { afterAll, describe, expect, it } from 'vitest';
import { connect, expectVirtError, lifecycleLog, settle } from './helpers.js';

const VM1 = `<domain type='test'>
  <name>vm1</name>
  <uuid>11111111-2222-3333-4444-555555555555</uuid>
  <memory unit='MiB'>256</memory>
  <vcpu>2</vcpu>
  <os><type>hvm</type></os>
</domain>`;

const work = mkdtempSync(join(tmpdir(), 'driver-test-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('domain lifecycle', () => {
  it('goes define, start, suspend, resume, shutdown, undefine with libvirt events', async () => {
    const conn = await connect();
    const events: DomainEvent[] = [];
    await conn.domainEventRegisterAny(null, DomainEventID.LIFECYCLE, (e) => events.push(e));

    const dom = await conn.defineDomainXML(VM1);
    expect(await dom.getState()).toEqual({ state: DomainState.SHUTOFF, reason: DomainShutoffReason.UNKNOWN });
    await dom.create();
    expect(dom.getID()).toBe(2);
    expect(await dom.getState()).toEqual({ state: DomainState.RUNNING, reason: DomainRunningReason.BOOTED });
    await dom.suspend();
    expect(await dom.getState()).toEqual({ state: DomainState.PAUSED, reason: DomainPausedReason.USER });
    await dom.resume();
    expect(await dom.getState()).toEqual({ state: DomainState.RUNNING, reason: DomainRunningReason.UNPAUSED });
    await dom.shutdown();
    expect(await dom.getState()).toEqual({ state: DomainState.SHUTOFF, reason: DomainShutoffReason.SHUTDOWN });
    await dom.undefine();
    await expectVirtError(conn.lookupDomainByName('vm1'), ErrorCode.NO_DOMAIN, 'Domain not found');
    // a handle outlives its domain; using it names the domain it was
    await expectVirtError(dom.getInfo(), ErrorCode.NO_DOMAIN, "Domain not found: no domain with matching uuid '11111111-2222-3333-4444-555555555555' (vm1)");

    // delivered after the calls return, never inside them
    expect(events).toEqual([]);
    await settle();
    expect(lifecycleLog(events)).toEqual([
      ['vm1', E.DEFINED, DomainEventDefinedDetail.ADDED],
      ['vm1', E.STARTED, DomainEventStartedDetail.BOOTED],
      ['vm1', E.SUSPENDED, DomainEventSuspendedDetail.PAUSED],
      ['vm1', E.RESUMED, DomainEventResumedDetail.UNPAUSED],
      ['vm1', E.STOPPED, DomainEventStoppedDetail.SHUTDOWN],
      ['vm1', E.UNDEFINED, DomainEventUndefinedDetail.REMOVED],
    ]);
  });

  it('runs a transient domain until it is destroyed', async () => {
    const conn = await connect();
    const events: DomainEvent[] = [];
    await conn.domainEventRegisterAny(null, DomainEventID.LIFECYCLE, (e) => events.push(e));
    const dom = await conn.createDomainXML(VM1);
    expect(await dom.isPersistent()).toBe(false);
    await dom.destroy();
    await expectVirtError(conn.lookupDomainByUUID('11111111-2222-3333-4444-555555555555'), ErrorCode.NO_DOMAIN, 'Domain not found');
    await settle();
    expect(lifecycleLog(events)).toEqual([
      ['vm1', E.STARTED, DomainEventStartedDetail.BOOTED],
      ['vm1', E.STOPPED, DomainEventStoppedDetail.DESTROYED],
    ]);
  });

  it('delivers only the events of the domain a callback asked for, until deregistered', async () => {
    const conn = await connect();
    const vm1 = await conn.defineDomainXML(VM1);
    const test = await conn.lookupDomainByName('test');
    const seen: DomainEvent[] = [];
    const id = await conn.domainEventRegisterAny(vm1, DomainEventID.LIFECYCLE, (e) => seen.push(e));
    await test.suspend();
    await vm1.create();
    await settle();
    await conn.domainEventDeregisterAny(id);
    await vm1.destroy();
    await settle();
    expect(lifecycleLog(seen)).toEqual([['vm1', E.STARTED, DomainEventStartedDetail.BOOTED]]);
    await expectVirtError(conn.domainEventDeregisterAny(id), ErrorCode.INVALID_ARG, `invalid argument: could not find event callback ${id} for deregistration`);
  });

  it('ties callbacks to their connection: only it deregisters them, closing it drops them', async () => {
    const a = await connect();
    const b = await connect();
    const seenByA: DomainEvent[] = [];
    const id = await a.domainEventRegisterAny(null, DomainEventID.LIFECYCLE, (e) => seenByA.push(e));
    await expectVirtError(b.domainEventDeregisterAny(id), ErrorCode.INVALID_ARG, `invalid argument: could not find event callback ${id} for deregistration`);
    await a.close();
    await (await b.lookupDomainByName('test')).suspend();
    await settle();
    expect(seenByA).toEqual([]);
  });

  it('refuses what libvirt refuses, with its codes and words', async () => {
    const conn = await connect();
    const test = await conn.lookupDomainByName('test');
    // like libvirt's test driver, lookups say no more than this
    await expectVirtError(conn.lookupDomainByName('nosuch'), ErrorCode.NO_DOMAIN, 'Domain not found');
    await expectVirtError(conn.lookupDomainByID(42), ErrorCode.NO_DOMAIN, 'Domain not found');
    await expectVirtError(test.create(), ErrorCode.INTERNAL_ERROR, "internal error: Domain 'test' is already running");
    await expectVirtError(test.resume(), ErrorCode.INTERNAL_ERROR, "internal error: domain 'test' not paused");
    await test.destroy();
    const err = await expectVirtError(test.destroy(), ErrorCode.OPERATION_INVALID, 'Requested operation is not valid: domain is not running');
    expect(err.domain).toBe(ErrorDomain.DOMAIN);
    await expectVirtError(test.suspend(), ErrorCode.INTERNAL_ERROR, "internal error: domain 'test' not running");
    await expectVirtError(conn.defineDomainXML('<domain><name>x</nam></domain>'), ErrorCode.XML_DETAIL, expect.stringContaining('Opening and ending tag mismatch') as unknown as string);
    await expectVirtError(test.destroyFlags(0x4), ErrorCode.INVALID_ARG, 'unsupported flags (0x4) in function testDomainDestroyFlags');
  });

  it('says "not supported" for what the test driver lacks, as libvirt 9.0 does', async () => {
    const conn = await connect();
    const test = await conn.lookupDomainByName('test');
    await expectVirtError(
      test.attachDeviceFlags("<disk type='file'><target dev='vdb'/></disk>"),
      ErrorCode.NO_SUPPORT,
      'this function is not supported by the connection driver: virDomainAttachDeviceFlags',
    );
  });

  it('saves to a file and restores from it', async () => {
    const conn = await connect();
    const events: DomainEvent[] = [];
    await conn.domainEventRegisterAny(null, DomainEventID.LIFECYCLE, (e) => events.push(e));
    const test = await conn.lookupDomainByName('test');
    const file = join(work, 'test.save');
    await test.save(file);
    expect(await test.getState()).toEqual({ state: DomainState.SHUTOFF, reason: DomainShutoffReason.SAVED });
    expect(await conn.saveImageGetXMLDesc(file)).toContain('<name>test</name>');
    await expectVirtError(conn.restoreDomainFlags(file, undefined, DomainSaveRestoreFlags.PAUSED), ErrorCode.INVALID_ARG, 'unsupported flags (0x4) in function testDomainRestoreFlags');
    await conn.restoreDomain(file);
    expect(await test.getState()).toEqual({ state: DomainState.RUNNING, reason: DomainRunningReason.RESTORED });
    await expectVirtError(
      conn.restoreDomainFlags(file, undefined, DomainSaveRestoreFlags.RUNNING | DomainSaveRestoreFlags.PAUSED),
      ErrorCode.INVALID_ARG,
      "Flags 'VIR_DOMAIN_SAVE_RUNNING' and 'VIR_DOMAIN_SAVE_PAUSED' are mutually exclusive",
    );
    await settle();
    expect(lifecycleLog(events)).toEqual([
      ['test', E.STOPPED, DomainEventStoppedDetail.SAVED],
      ['test', E.STARTED, DomainEventStartedDetail.RESTORED],
    ]);
  });

  it('keeps a managed save that the next start resumes from', async () => {
    const conn = await connect();
    const test = await conn.lookupDomainByName('test');
    await test.managedSave();
    expect(await test.hasManagedSaveImage()).toBe(true);
    expect(await test.getState()).toEqual({ state: DomainState.SHUTOFF, reason: DomainShutoffReason.SAVED });
    await test.create();
    expect(await test.hasManagedSaveImage()).toBe(false);
    // libvirt's test driver reports a plain boot here
    expect(await test.getState()).toEqual({ state: DomainState.RUNNING, reason: DomainRunningReason.BOOTED });
  });

  it('changes memory and vCPUs live and in the configuration', async () => {
    const conn = await connect();
    const test = await conn.lookupDomainByName('test');
    await test.setMemory(1048576);
    expect((await test.getInfo()).memory).toBe(1048576);
    await expectVirtError(test.setMemory(99999999), ErrorCode.INVALID_ARG, 'invalid argument: cannot set memory higher than max memory');
    await test.setVcpusFlags(1, DomainVcpuFlags.CONFIG);
    expect(await test.getVcpusFlags(DomainVcpuFlags.CONFIG)).toBe(1);
    expect(await test.getVcpusFlags(DomainVcpuFlags.LIVE)).toBe(2);
    expect(await test.isUpdated()).toBe(false);
    await expectVirtError(
      test.setMemoryFlags(1024, DomainMemoryFlags.MAXIMUM),
      ErrorCode.OPERATION_INVALID,
      'Requested operation is not valid: cannot resize the maximum memory on an active domain',
    );
    await expectVirtError(
      test.setMemoryFlags(1024, DomainMemoryFlags.LIVE | DomainMemoryFlags.CONFIG),
      ErrorCode.INVALID_ARG,
      "Flags 'VIR_DOMAIN_AFFECT_LIVE' and 'VIR_DOMAIN_AFFECT_CONFIG' are mutually exclusive",
    );
    // the configuration applies from the next start
    await test.destroy();
    expect((await test.getInfo()).nrVirtCpu).toBe(1);
  });
});
