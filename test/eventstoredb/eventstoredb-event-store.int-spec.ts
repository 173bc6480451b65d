import { randomUUID } from 'node:crypto';
import {
  EventStoreDbEventStore,
  InvalidEventError,
  type EventStore,
  type RecordedEvent,
  type Subscription,
} from '@app/event-store';
import { describeEventStoreContract, newEvent } from '../event-store/event-store.contract.js';
import { EsdbDouble } from './double/esdb-double.js';
import { ESDB_LIMITS } from './eventstoredb-limits.js';

const stores = new Set<EventStore>();
const open = (connectionString: string) => {
  const store = new EventStoreDbEventStore(connectionString);
  stores.add(store);
  return store;
};
const dispose = async (store: EventStore) => {
  stores.delete(store);
  await store.close();
};

/** A server since 21.10: appends travel on the BatchAppend stream; subscriptions get CaughtUp. */
let modern: EsdbDouble;
/** A 20.x-like server: no ServerFeatures (client falls back to unary Append), no CaughtUp. */
let legacy: EsdbDouble;

beforeAll(async () => {
  [modern, legacy] = await Promise.all([
    EsdbDouble.start(),
    EsdbDouble.start({ batchAppend: false, caughtUp: false }),
  ]);
});
afterAll(async () => {
  await Promise.all([...stores].map(dispose));
  await Promise.all([modern.close(), legacy.close()]);
});

describeEventStoreContract('eventstoredb (wire double)', {
  create: async () => open(modern.connectionString),
  dispose,
  limits: ESDB_LIMITS,
});

describeEventStoreContract('eventstoredb (wire double, unary Append, no CaughtUp)', {
  create: async () => open(legacy.connectionString),
  dispose,
  limits: ESDB_LIMITS,
});

/** Resolves once `predicate` holds for the events delivered so far. */
function collector(filter: (event: RecordedEvent) => boolean) {
  const seen: RecordedEvent[] = [];
  const waiting = new Set<{ predicate: () => boolean; resolve: () => void }>();
  return {
    seen,
    handle(event: RecordedEvent) {
      if (!filter(event)) return;
      seen.push(event);
      for (const w of [...waiting]) {
        if (w.predicate()) {
          waiting.delete(w);
          w.resolve();
        }
      }
    },
    until(predicate: (seen: RecordedEvent[]) => boolean): Promise<void> {
      if (predicate(seen)) return Promise.resolve();
      return new Promise((resolve) => waiting.add({ predicate: () => predicate(seen), resolve }));
    },
  };
}

function expectExactlyOnceInOrder(seen: RecordedEvent[], streams: string[], perStream: number) {
  expect(seen).toHaveLength(streams.length * perStream);
  expect(new Set(seen.map((e) => e.id)).size).toBe(seen.length);
  for (let i = 1; i < seen.length; i++)
    expect(seen[i]!.position > seen[i - 1]!.position).toBe(true);
  for (const id of streams) {
    expect(seen.filter((e) => e.streamId === id).map((e) => e.revision)).toEqual(
      Array.from({ length: perStream }, (_, n) => BigInt(n)),
    );
  }
}

describe('eventstoredb adapter against the wire double', () => {
  let store: EventStoreDbEventStore;
  const subscriptions: Subscription[] = [];
  beforeEach(() => {
    store = open(modern.connectionString);
  });
  afterEach(async () => {
    await Promise.all(subscriptions.splice(0).map((s) => s.stop()));
    await dispose(store);
  });

  it('hides system events from $all reads, head position and subscriptions', async () => {
    const id = `partner-${randomUUID()}`;
    expect(modern.events.some((e) => e.streamId.startsWith('$'))).toBe(true);
    const { position } = await store.appendToStream(id, [newEvent('PartnerNominated')]);
    modern.appendSystemEvent('$stats-127.0.0.1:2113', '$statsCollected', { cpu: 1 });
    expect(await store.headPosition()).toBe(position);
    const all = await store.readAll();
    expect(all.length).toBeGreaterThan(0);
    expect(all.some((e) => e.streamId.startsWith('$') || e.type.startsWith('$'))).toBe(false);
    const backwards = await store.readAll({ direction: 'backwards', maxCount: 1 });
    expect(backwards.map((e) => e.position)).toEqual([position]);

    const got = collector(() => true);
    subscriptions.push(store.subscribeToAll((e) => got.handle(e), { after: null }));
    modern.appendSystemEvent('$stats-127.0.0.1:2113', '$statsCollected', { cpu: 2 });
    const { position: last } = await store.appendToStream(id, [newEvent('PartnerRegistered')]);
    await got.until((seen) => seen.some((e) => e.position === last));
    expect(got.seen.some((e) => e.streamId.startsWith('$') || e.type.startsWith('$'))).toBe(false);
    expect(got.seen.map((e) => e.position)).toEqual([...all.map((e) => e.position), last]);
  });

  it('reads $all backwards inclusively from a position, as the embedded store does', async () => {
    const id = `group-${randomUUID()}`;
    await store.appendToStream(id, [newEvent('A'), newEvent('B'), newEvent('C')]);
    const [, b] = await store.readStream(id);
    const backwards = await store.readAll({
      direction: 'backwards',
      fromPosition: b!.position,
      maxCount: 2,
    });
    expect(backwards.map((e) => e.type)).toEqual(['B', 'A']);
  });

  it('refuses events that are not UUID-identified, not JSON, or aimed at system streams', async () => {
    await expect(
      store.appendToStream('partner-1', [{ ...newEvent(), id: 'not-a-uuid' }]),
    ).rejects.toBeInstanceOf(InvalidEventError);
    await expect(
      store.appendToStream('partner-1', [{ ...newEvent(), data: undefined }]),
    ).rejects.toBeInstanceOf(InvalidEventError);
    await expect(store.appendToStream('$settings', [newEvent()])).rejects.toBeInstanceOf(
      InvalidEventError,
    );
    await expect(store.appendToStream('partner-1', [newEvent('$metadata')])).rejects.toBeInstanceOf(
      InvalidEventError,
    );
  });

  it("reports an append over the server's maximum append size as an invalid event, writing nothing", async () => {
    const id = `partner-${randomUUID()}`;
    await expect(
      store.appendToStream(id, [newEvent('Big', { text: 'x'.repeat(1_100_000) })]),
    ).rejects.toBeInstanceOf(InvalidEventError);
    expect(await store.readStream(id)).toEqual([]);
  });

  it('answers ping and refuses work once closed', async () => {
    await store.ping();
    const other = open(modern.connectionString);
    await dispose(other);
    await expect(other.readStream('partner-1')).rejects.toThrow(/closed/);
  });

  it('delivers every event exactly once, in order, while subscriptions are dropped mid-stream', async () => {
    const streams = Array.from({ length: 4 }, () => `feedback-${randomUUID()}`);
    const mine = new Set(streams);
    const perStream = 60;
    const { position: after } = await store.appendToStream(`marker-${randomUUID()}`, [newEvent()]);
    const got = collector((e) => mine.has(e.streamId));
    const errors: unknown[] = [];
    subscriptions.push(
      store.subscribeToAll((e) => got.handle(e), { after, onError: (error) => errors.push(error) }),
    );
    const writing = Promise.all(
      streams.map(async (id) => {
        for (let n = 0; n < perStream; n++) {
          const expectedRevision = n === 0 ? ('no_stream' as const) : BigInt(n - 1);
          await store.appendToStream(id, [newEvent('FeedbackHeard', { n })], { expectedRevision });
        }
      }),
    );
    let drops = 0;
    for (const threshold of [30, 90, 150]) {
      await got.until((seen) => seen.length >= threshold);
      await modern.subscribed();
      drops += modern.dropSubscriptions();
    }
    await writing;
    await got.until((seen) => seen.length >= streams.length * perStream);

    expect(drops).toBe(3);
    expect(errors.length).toBeGreaterThanOrEqual(drops);
    expectExactlyOnceInOrder(got.seen, streams, perStream);
    // The checkpoint moves once the handler has returned: stop() waits for that.
    await subscriptions[0]!.stop();
    expect(subscriptions[0]!.checkpoint).toBe(got.seen[got.seen.length - 1]!.position);
  });

  it('resumes appends and the subscription after the server is stopped and restarted', async () => {
    const id = `programme-${randomUUID()}`;
    const got = collector((e) => e.streamId === id);
    const errors: unknown[] = [];
    await store.appendToStream(id, [newEvent('ProgrammeLaunched')], {
      expectedRevision: 'no_stream',
    });
    const { position: after } = await store.appendToStream(`marker-${randomUUID()}`, [newEvent()]);
    subscriptions.push(
      store.subscribeToAll((e) => got.handle(e), { after, onError: (error) => errors.push(error) }),
    );
    await store.appendToStream(id, [newEvent('RoleProfilePublished')], { expectedRevision: 0n });
    await got.until((seen) => seen.length === 1);

    await modern.stop();
    const down = await store
      .appendToStream(id, [newEvent('NominationsRequested')], { expectedRevision: 1n })
      .catch((error: unknown) => error);
    expect(down).toBeInstanceOf(Error);
    await modern.restart();

    const retried = newEvent('NominationsRequested');
    const result = await store.appendToStream(id, [retried], { expectedRevision: 1n });
    expect(result.nextExpectedRevision).toBe(2n);
    // An append retried after an unknown outcome is acknowledged, not duplicated.
    expect(await store.appendToStream(id, [retried], { expectedRevision: 1n })).toEqual(result);

    await got.until((seen) => seen.length === 2);
    expect(got.seen.map((e) => e.type)).toEqual(['RoleProfilePublished', 'NominationsRequested']);
    expect(errors.length).toBeGreaterThan(0);
    expect((await store.readStream(id)).map((e) => e.revision)).toEqual([0n, 1n, 2n]);
  });
});
