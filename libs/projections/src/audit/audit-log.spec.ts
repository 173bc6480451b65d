import {
  assembleLedgerEventStore,
  eventHash,
  PersonKeyStore,
  SqliteEventStore,
  type LedgerEventStore,
  type NewEvent,
  type SchemaUpcaster,
} from '@app/event-store';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { auditLog, auditPage, type AuditEvent, type AuditFilter } from './audit-log.js';

/** `LegacyNote` v1 had `text`; v2 calls it `body`. Everything else is at v1. */
const upcasters: SchemaUpcaster = {
  upcast: (type, version, data) =>
    type === 'LegacyNote' && (version ?? 1) < 2
      ? { data: { body: (data as { text: string }).text }, version: 2 }
      : { data, version: version ?? 1 },
};

let n = 0;
const event = (type: string, data: Record<string, unknown>, schemaVersion = 1): NewEvent => ({
  id: `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`,
  type,
  data,
  metadata: {
    commandId: `c${n}`,
    correlationId: `r${n}`,
    causationId: `x${n}`,
    actor: 'programme-office',
    schemaVersion,
  },
});

const all = async <T>(items: AsyncIterable<T>) => {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
};

describe('the raw event log (auditLog, auditPage)', () => {
  let dir: string;
  let keys: PersonKeyStore;
  let ledger: LedgerEventStore;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'audit-log-'));
    keys = new PersonKeyStore(join(dir, 'keys.sqlite'));
    ledger = assembleLedgerEventStore({
      adapter: new SqliteEventStore({ path: join(dir, 'events.sqlite') }),
      keys,
      upcasters,
    });
    const { store } = ledger;
    // Positions 1–8.
    await store.appendToStream('programme-nwl', [
      event('ProgrammeLaunched', { programmeId: 'nwl', occurredAt: '2013-06-01T00:00:00.000Z' }),
    ]);
    await store.appendToStream('partner-ann', [
      event('PartnerNominated', {
        partnerId: 'ann',
        name: 'Ann Lee',
        email: 'ann@example.org',
        occurredAt: '2013-11-01T00:00:00.000Z',
      }),
    ]);
    await store.appendToStream('group-board', [
      event('GroupEstablished', {
        groupId: 'board',
        programmeId: 'nwl',
        occurredAt: '2013-10-01T00:00:00.000Z',
      }),
      event('SeatAllocated', {
        groupId: 'board',
        partnerId: 'ann',
        occurredAt: '2014-01-10T00:00:00.000Z',
      }),
    ]);
    await store.appendToStream('partner-bo', [
      event('PartnerNominated', {
        partnerId: 'bo',
        name: 'Bo Chen',
        occurredAt: '2013-11-02T00:00:00.000Z',
      }),
    ]);
    await store.appendToStream('group-board', [event('LegacyNote', { text: 'minuted' })]);
    await store.appendToStream('feedback-f1', [
      event('FeedbackHeard', {
        feedbackId: 'f1',
        programmeId: 'other',
        occurredAt: '2014-02-01T00:00:00.000Z',
      }),
    ]);
    await store.appendToStream('group-board', [
      event('SeatVacated', { groupId: 'board', occurredAt: '2014-06-30T00:00:00.000Z' }),
    ]);
    keys.destroy('bo');
  });

  afterAll(async () => {
    await ledger.store.close();
    keys.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const read = (filter: AuditFilter = {}, fromPosition: bigint | null = null) =>
    all(auditLog(ledger, { fromPosition, filter }));
  const positions = (events: AuditEvent[]) => events.map((e) => e.position);

  it('gives every event in $all order with its metadata and the hash chain as stored', async () => {
    const events = await read();
    expect(positions(events)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    // Read in scan pages of 3 (and of 2 within a stream): the same events.
    expect(await all(auditLog(ledger, {}, 3))).toEqual(events);
    expect(await all(auditLog(ledger, { filter: { stream: 'group-board' } }, 2))).toEqual(
      events.filter((e) => e.stream === 'group-board'),
    );
    const stored = await ledger.stored.readAll();
    events.forEach((shown, i) => {
      expect(shown.hash).toBe(eventHash(stored[i]!));
      expect(shown.prevHash).toBe(stored[i]!.metadata.prevHash);
    });
    const board = events.filter((e) => e.stream === 'group-board');
    expect(board.map((e) => e.revision)).toEqual([0, 1, 2, 3]);
    expect(board[0]!.prevHash).toBeNull();
    expect(board.slice(1).map((e) => e.prevHash)).toEqual(board.slice(0, -1).map((e) => e.hash));
    expect(events[2]).toEqual({
      position: 3,
      stream: 'group-board',
      revision: 0,
      id: '00000000-0000-4000-8000-000000000003',
      type: 'GroupEstablished',
      schemaVersion: 1,
      occurredAt: '2013-10-01T00:00:00.000Z',
      recordedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      data: { groupId: 'board', programmeId: 'nwl', occurredAt: '2013-10-01T00:00:00.000Z' },
      metadata: {
        commandId: 'c3',
        correlationId: 'r3',
        causationId: 'x3',
        actor: 'programme-office',
        schemaVersion: 1,
        prevHash: null,
      },
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      prevHash: null,
    });
  });

  it('shows personal fields decrypted, erased ones as [erased], and old schemas upcast — never ciphertext', async () => {
    const events = await read();
    expect(events[1]!.data).toMatchObject({ name: 'Ann Lee', email: 'ann@example.org' });
    expect(events[4]!.data).toMatchObject({ partnerId: 'bo', name: '[erased]' });
    expect(JSON.stringify(events)).not.toContain('enc:v1:');
    expect(events[5]).toMatchObject({ type: 'LegacyNote', schemaVersion: 2, occurredAt: null });
    expect(events[5]!.data).toEqual({ body: 'minuted' });
    // As stored, for a transfer: the same shape, the stored bytes.
    const asStored = await all(auditLog({ store: ledger.stored, stored: ledger.stored }, {}));
    expect(asStored.map((e) => e.hash)).toEqual(events.map((e) => e.hash));
    expect(String((asStored[1]!.data as { name: string }).name)).toMatch(/^enc:v1:/);
    expect(asStored[5]).toMatchObject({ schemaVersion: 1, data: { text: 'minuted' } });
  });

  it('filters by stream, category, type, business and record time, and programme', async () => {
    expect(positions(await read({ stream: 'group-board' }))).toEqual([3, 4, 6, 8]);
    expect(positions(await read({ stream: 'group-board' }, 5n))).toEqual([6, 8]);
    expect(positions(await read({ stream: 'group-nowhere' }))).toEqual([]);
    expect(positions(await read({ category: 'partner' }))).toEqual([2, 5]);
    expect(positions(await read({ types: new Set(['SeatAllocated', 'SeatVacated']) }))).toEqual([
      4, 8,
    ]);
    expect(
      positions(
        await read({
          occurredFrom: Date.parse('2013-11-01T00:00:00.000Z'),
          occurredTo: Date.parse('2014-02-01T00:00:00.000Z'),
        }),
      ),
    ).toEqual([2, 4, 5, 7]);
    const recorded = (await read()).map((e) => Date.parse(e.recordedAt));
    expect(
      positions(await read({ recordedFrom: recorded[2]!, recordedTo: recorded[2]! })),
    ).toContain(3);
    expect(await read({ recordedTo: recorded[0]! - 1 })).toEqual([]);
    expect(positions(await read({ programmeId: 'nwl' }))).toEqual([1, 3]);
    expect(positions(await read({ category: 'group', types: new Set(['SeatVacated']) }))).toEqual([
      8,
    ]);
  });

  it('pages by position: next is the first matching event after the page, null at the end', async () => {
    const first = await auditPage(ledger, { limit: 3 });
    expect(positions(first.events)).toEqual([1, 2, 3]);
    expect(first.next).toBe(4);
    const second = await auditPage(ledger, { limit: 3, fromPosition: BigInt(first.next!) });
    expect(positions(second.events)).toEqual([4, 5, 6]);
    const last = await auditPage(ledger, { limit: 3, fromPosition: BigInt(second.next!) });
    expect(positions(last.events)).toEqual([7, 8]);
    expect(last.next).toBeNull();

    const filtered = await auditPage(ledger, { limit: 1, filter: { category: 'partner' } });
    expect(filtered).toMatchObject({ events: [{ position: 2 }], next: 5 });
    const exact = await auditPage(ledger, {
      limit: 1,
      fromPosition: 5n,
      filter: { category: 'partner' },
    });
    expect(exact).toMatchObject({ events: [{ position: 5 }], next: null });
    expect(await auditPage(ledger, { limit: 10, fromPosition: 99n })).toEqual({
      events: [],
      next: null,
    });
  });
});
