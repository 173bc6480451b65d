import { InMemoryEventStore } from '../../../../test/support/in-memory-event-store.js';
import { timeline, timelinePage, type TimelineView } from './timeline.js';

const names: TimelineView['names'] = {
  partner: (id) => ({ ann: 'Ann Lee', bo: 'Bo Chen' })[id] ?? id,
  group: (id) => ({ board: 'Programme Board' })[id] ?? id,
};

let n = 0;
const event = (type: string, data: Record<string, unknown>) => ({
  id: `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`,
  type,
  data,
});

/** Positions 1–5: a group, two seats, a meeting, another group's seat. */
async function ledger(): Promise<InMemoryEventStore> {
  const store = new InMemoryEventStore();
  const seat = (partnerId: string, groupId: string, occurredAt: string) =>
    event('SeatAllocated', { groupId, partnerId, constituency: 'lay', occurredAt });
  await store.appendToStream('group-board', [
    event('GroupEstablished', { groupId: 'board', name: 'Programme Board', kind: 'board' }),
    seat('ann', 'board', '2014-01-10'),
    seat('bo', 'board', '2014-03-10'),
    event('MeetingHeld', { groupId: 'board', attendees: ['ann'], occurredAt: '2014-04-01' }),
  ]);
  await store.appendToStream('group-forum', [seat('ann', 'forum', '2014-05-01')]);
  return store;
}

const all = async <T>(lines: AsyncIterable<T>) => {
  const out: T[] = [];
  for await (const line of lines) out.push(line);
  return out;
};

describe('timeline', () => {
  it('gives one plain-language line per event, in $all order, as the reader sees names', async () => {
    const lines = await all(
      timeline(await ledger(), {
        view: { names, stream: (id) => id.toUpperCase() },
        filter: { groupId: 'board', types: new Set(['SeatAllocated']) },
      }),
    );
    expect(lines).toEqual([
      {
        position: 2,
        recordedAt: expect.any(String),
        occurredAt: '2014-01-10',
        stream: 'GROUP-BOARD',
        type: 'SeatAllocated',
        line: 'Lay partner Ann Lee took a lay seat on Programme Board',
      },
      expect.objectContaining({ position: 3, line: expect.stringContaining('Bo Chen') }),
    ]);
  });

  it('filters by partner (lists of people included) and by when things happened', async () => {
    const store = await ledger();
    const positions = async (filter: Parameters<typeof timeline>[1]['filter']) =>
      (await all(timeline(store, { view: { names }, filter }))).map((l) => l.position);

    expect(await positions({ partnerId: 'ann' })).toEqual([2, 4, 5]);
    expect(
      await positions({ since: Date.parse('2014-02-01'), until: Date.parse('2014-04-30') }),
    ).toEqual([3, 4]);
    expect(await positions({})).toEqual([1, 2, 3, 4, 5]);
  });

  it('pages from a cursor and says when the log goes on', async () => {
    const store = await ledger();
    const first = await timelinePage(store, { view: { names }, limit: 2 });
    expect(first.lines.map((l) => l.position)).toEqual([1, 2]);
    expect(first.more).toBe(true);

    const rest = await timelinePage(store, { view: { names }, limit: 10, after: 2n });
    expect(rest.lines.map((l) => l.position)).toEqual([3, 4, 5]);
    expect(rest.more).toBe(false);

    // A page that fills up says "more" without scanning on for a match.
    const filtered = await timelinePage(store, {
      view: { names },
      limit: 1,
      filter: { partnerId: 'bo' },
    });
    expect(filtered).toMatchObject({ lines: [{ position: 3 }], more: true });
  });
});
