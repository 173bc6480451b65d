import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore, type EventStore } from '@app/event-store';
import { LiveFeed, type LiveEvent } from './live-feed.js';

/** A client of the feed: what it received, and a wait for a position. */
function client(feed: LiveFeed, after?: bigint) {
  const positions: bigint[] = [];
  const events: LiveEvent[] = [];
  const waiting: Array<{ position: bigint; resolve: () => void }> = [];
  const errors: unknown[] = [];
  const leave = feed.join(
    after,
    (live) => {
      positions.push(live.event.position);
      events.push(live);
      for (const w of [...waiting])
        if (live.event.position >= w.position) {
          waiting.splice(waiting.indexOf(w), 1);
          w.resolve();
        }
    },
    (error) => errors.push(error),
  );
  return {
    positions,
    events,
    errors,
    leave,
    reached(position: bigint): Promise<void> {
      if (positions.length > 0 && positions[positions.length - 1]! >= position)
        return Promise.resolve();
      return new Promise((resolve) => waiting.push({ position, resolve }));
    },
  };
}

async function append(store: EventStore, count: number, stream = 'group-1'): Promise<bigint> {
  for (let n = 0; n < count; n++)
    await store.appendToStream(stream, [{ id: randomUUID(), type: 'Noted', data: { n } }]);
  return (await store.headPosition())!;
}

/** Every position after `after` up to `head`, as the store has them. */
async function positionsAfter(store: EventStore, after: bigint | null, head: bigint) {
  const all = await store.readAll({ fromPosition: 'start', maxCount: 100_000 });
  return all
    .map((event) => event.position)
    .filter((p) => (after === null || p > after) && p <= head);
}

describe('LiveFeed: one subscription shared by every live client', () => {
  let store: SqliteEventStore;
  let feed: LiveFeed;
  let subscriptions: number;
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'live-feed-'));
    store = new SqliteEventStore({ path: join(dir, 'events.sqlite') });
    subscriptions = 0;
    const subscribe = store.subscribeToAll.bind(store);
    store.subscribeToAll = (handler, options) => {
      subscriptions += 1;
      return subscribe(handler, options);
    };
    feed = new LiveFeed(store, { ringSize: 8, pageSize: 5 });
  });

  afterEach(async () => {
    await feed.onModuleDestroy();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sends every client the same events in the same order, from one subscription', async () => {
    const before = await append(store, 3);
    const clients = Array.from({ length: 12 }, () => client(feed, before));
    const head = await append(store, 30);
    await Promise.all(clients.map((c) => c.reached(head)));

    const expected = await positionsAfter(store, before, head);
    for (const c of clients) expect(c.positions).toEqual(expected);
    expect(subscriptions).toBe(1);
    expect(feed.listenerCount).toBe(12);
    // One event object (and so one serialisation a view) for all of them.
    expect(new Set(clients.map((c) => c.events[10]))).toHaveProperty('size', 1);
    for (const c of clients) expect(c.errors).toEqual([]);
  });

  it('resumes a client from before the ring by reading the store, without gap or repeat', async () => {
    const start = await append(store, 1);
    const first = client(feed, start);
    // Far more than the ring holds (8) after the resume point.
    const head = await append(store, 40);
    await first.reached(head);

    const resumed = client(feed, start);
    // Appends race the catch-up: the hand-over to the ring must not skip or repeat any.
    const racing = append(store, 25, 'group-2');
    const end = await racing;
    await resumed.reached(end);
    await first.reached(end);

    expect(resumed.positions).toEqual(await positionsAfter(store, start, end));
    expect(first.positions).toEqual(await positionsAfter(store, start, end));
    expect(subscriptions).toBe(1);
  });

  it('resumes from the first event of the log and from inside the ring', async () => {
    const origin = await append(store, 1);
    const warm = client(feed, origin);
    const head = await append(store, 20);
    await warm.reached(head);

    const fromFirst = client(feed, origin);
    const inRing = client(feed, head - 3n);
    const more = await append(store, 4);
    await Promise.all([warm, fromFirst, inRing].map((c) => c.reached(more)));

    expect(fromFirst.positions).toEqual(await positionsAfter(store, origin, more));
    expect(inRing.positions).toEqual(await positionsAfter(store, head - 3n, more));
  });

  it('frees the listener of every client that leaves, however many come and go', async () => {
    const warm = await append(store, 1);
    const stay = client(feed, warm);

    for (let round = 0; round < 20; round++) {
      const batch = Array.from({ length: 50 }, (_, i) =>
        client(feed, i % 2 === 0 ? undefined : warm),
      );
      // Half leave at once (maybe still catching up), half once they are live.
      for (const c of batch.filter((_, i) => i % 2 === 0)) c.leave();
      const head = await append(store, 1, `round-${round}`);
      await Promise.all(batch.filter((_, i) => i % 2 === 1).map((c) => c.reached(head)));
      for (const c of batch) c.leave();
    }
    const head = await append(store, 1);
    await stay.reached(head);
    expect(feed.listenerCount).toBe(1);
    stay.leave();
    expect(feed.listenerCount).toBe(0);
    expect(subscriptions).toBe(1);
  });
});
