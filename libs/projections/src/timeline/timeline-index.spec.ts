import Database from 'better-sqlite3';
import { InMemoryEventStore } from '../../../../test/support/in-memory-event-store.js';
import { TimelineIndexProjection, TimelineIndexQueries } from './timeline-index.projection.js';
import { timelinePage, type TimelineFilter, type TimelineView } from './timeline.js';

const names: TimelineView['names'] = { partner: (id) => `P ${id}`, group: (id) => `G ${id}` };

/** A small deterministic generator, so a failure names a reproducible ledger. */
function random(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

const TYPES = [
  'SeatAllocated',
  'MeetingHeld',
  'FeedbackGiven',
  'DecisionRecorded',
  'PrinciplesAdopted',
  'ElectionOpened',
  'PartnerNominated',
];

/** Many groups and partners, every field the timeline matches on, dates missing or out of range. */
async function ledger(seed: number, events: number): Promise<InMemoryEventStore> {
  const next = random(seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]!;
  const groups = ['board', 'forum', 'panel', 'council', 'g5', 'g6'];
  const partners = ['ann', 'bo', 'cy', 'di', 'ed', 'flo', 'gus', 'hal'];
  const store = new InMemoryEventStore();
  for (let i = 0; i < events; i++) {
    const type = pick(TYPES);
    const data: Record<string, unknown> = {};
    if (next() < 0.8) data.groupId = pick(groups);
    if (next() < 0.15) data.adoptedBy = pick(groups);
    if (next() < 0.5) data.partnerId = pick(partners);
    if (next() < 0.1) data.raisedBy = pick(partners);
    if (next() < 0.1) data.electedPartnerId = pick(partners);
    if (next() < 0.1) data.candidateId = pick(partners);
    for (const list of ['attendees', 'apologies', 'layMembersPresent', 'electorate']) {
      if (next() < 0.1) data[list] = partners.filter(() => next() < 0.3);
    }
    if (next() < 0.05) data.groupId = 42; // not a string: matches no filter
    if (next() < 0.9)
      data.occurredAt = `2014-${String(1 + Math.floor(next() * 12)).padStart(2, '0')}-10`;
    else if (next() < 0.5) data.occurredAt = 'not a date';
    await store.appendToStream(`s-${Math.floor(next() * 20)}`, [
      { id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, type, data },
    ]);
  }
  return store;
}

/** The index as far as `checkpoint`: the read models may lag the log. */
function indexUpTo(store: InMemoryEventStore, checkpoint: bigint | null) {
  const db = new Database(':memory:');
  const projection = new TimelineIndexProjection();
  db.exec(projection.schema);
  db.exec(projection.indexes);
  projection.prepare(db);
  for (const event of store.all()) {
    if (checkpoint !== null && event.position <= checkpoint) {
      projection.apply(event);
      projection.apply(event); // idempotent per position
    }
  }
  return new TimelineIndexQueries(db, () => checkpoint);
}

describe('the timeline index', () => {
  it('gives every page the scan gives: lines, more and cursor, for any filter and lag', async () => {
    const store = await ledger(7, 400);
    const head = BigInt(store.all().length);
    const filters: TimelineFilter[] = [
      { groupId: 'board' },
      { groupId: 'g6' },
      { groupId: 'nobody' },
      { partnerId: 'ann' },
      { partnerId: 'hal' },
      { groupId: 'forum', partnerId: 'bo' },
      { groupId: 'panel', types: new Set(['MeetingHeld', 'SeatAllocated']) },
      { partnerId: 'cy', since: Date.parse('2014-03-01'), until: Date.parse('2014-08-31') },
      { groupId: 'council', since: Date.parse('2014-06-01') },
      { partnerId: 'di', types: new Set(['ElectionOpened']), until: Date.parse('2014-05-01') },
    ];
    let pages = 0;
    for (const checkpoint of [null, 1n, 57n, 200n, head - 1n, head]) {
      const index = indexUpTo(store, checkpoint);
      for (const filter of filters) {
        for (const limit of [1, 3, 7, 1_000]) {
          // Walk every page from the start, and from cursors that are no line.
          for (const start of [null, 5n, 200n, head - 1n, head]) {
            let after: bigint | null = start;
            for (;;) {
              const query = { view: { names }, filter, limit, after };
              const scanned = await timelinePage(store, query);
              const indexed = await timelinePage(store, { ...query, index });
              expect(indexed).toEqual(scanned);
              pages += 1;
              if (!scanned.more) break;
              after = BigInt(scanned.lines.at(-1)!.position);
            }
          }
        }
      }
    }
    expect(pages).toBeGreaterThan(1_000);
  });

  it('keeps each mention of an event, for groups and for partners, read once', () => {
    const db = new Database(':memory:');
    const projection = new TimelineIndexProjection();
    db.exec(projection.schema);
    projection.prepare(db);
    const event = {
      id: 'e',
      type: 'MeetingHeld',
      streamId: 's',
      revision: 0n,
      position: 9n,
      data: { groupId: 'board', adoptedBy: 'board', partnerId: 'ann', attendees: ['ann', 'bo', 3] },
      metadata: {},
      recordedAt: new Date(0),
    };
    projection.apply(event);
    projection.apply(event);
    expect(
      db.prepare('SELECT DISTINCT kind, id, position FROM tl_subjects ORDER BY kind, id').all(),
    ).toEqual([
      { kind: 'g', id: 'board', position: 9 },
      { kind: 'p', id: 'ann', position: 9 },
      { kind: 'p', id: 'bo', position: 9 },
    ]);
    // A long electorate: more rows than one statement writes.
    const electorate = Array.from({ length: 250 }, (_, i) => `voter-${i}`);
    projection.apply({ ...event, position: 10n, data: { groupId: 'board', electorate } });
    expect(db.prepare('SELECT count(*) FROM tl_subjects WHERE position = 10').pluck().get()).toBe(
      251,
    );
    const index = new TimelineIndexQueries(db, () => 9n);
    expect(index.positions({ kind: 'partner', id: 'ann' }, null, 9n, 10)).toEqual([9n]);
    expect(index.positions({ kind: 'partner', id: 'ann' }, 9n, 9n, 10)).toEqual([]);
  });
});
