import { randomUUID } from 'node:crypto';
import {
  EventIdConflictError,
  WrongExpectedRevisionError,
  type EventStore,
  type NewEvent,
  type RecordedEvent,
  type Subscription,
} from '@app/event-store';

/**
 * The event store contract: every adapter passes the same suite. Streams
 * are unique per test, so the suite also runs against a shared, long-lived
 * server (a real EventStoreDB), where `$all` holds other writers' events.
 */
export interface EventStoreFactory {
  create(): Promise<EventStore>;
  /** Called after each test with the store `create` returned. */
  dispose?(store: EventStore): Promise<void>;
  /**
   * Contract guarantees this target cannot give, each with the reason. The
   * case is reported as skipped under a name that carries the reason, never
   * dropped silently. Keep this list as short as the store allows.
   */
  limits?: Partial<Record<ContractLimit, string>>;
}

/** Guarantees an adapter may declare it cannot give (see `EventStoreFactory.limits`). */
export type ContractLimit = 'event-ids-unique-across-streams';

export const newEvent = (type = 'SomethingHappened', data: unknown = { n: 1 }): NewEvent => ({
  id: randomUUID(),
  type,
  data,
  metadata: { commandId: randomUUID(), actor: 'contract-suite', schemaVersion: 1 },
});

const stream = (label = 'contract') => `${label}-${randomUUID()}`;

/**
 * A checkpoint just before whatever is appended next. Positions are opaque:
 * EventStoreDB's are offsets in its transaction log, so a position minus one
 * names no event and is not a valid place to read or subscribe from. The
 * position of a marker event (in a stream of its own) is.
 */
async function checkpointBeforeNextAppend(store: EventStore): Promise<bigint> {
  const marker = await store.appendToStream(stream('marker'), [newEvent('Marker')]);
  return marker.position;
}

/** Resolves once `predicate` holds for the events delivered so far. */
function collector() {
  const seen: RecordedEvent[] = [];
  let waiting: { predicate: (seen: RecordedEvent[]) => boolean; resolve: () => void } | null = null;
  return {
    seen,
    push(event: RecordedEvent) {
      seen.push(event);
      if (waiting?.predicate(seen)) {
        waiting.resolve();
        waiting = null;
      }
    },
    until(predicate: (seen: RecordedEvent[]) => boolean): Promise<void> {
      if (predicate(seen)) return Promise.resolve();
      return new Promise((resolve) => (waiting = { predicate, resolve }));
    },
  };
}

export function describeEventStoreContract(name: string, factory: EventStoreFactory): void {
  describe(`event store contract: ${name}`, () => {
    const unless = (limit: ContractLimit, title: string, test: () => Promise<void>) => {
      const reason = factory.limits?.[limit];
      if (reason) it.skip(`${title} [not guaranteed by ${name}: ${reason}]`, test);
      else it(title, test);
    };
    let store: EventStore;
    const subscriptions: Subscription[] = [];

    beforeEach(async () => {
      store = await factory.create();
    });
    afterEach(async () => {
      await Promise.all(subscriptions.splice(0).map((s) => s.stop()));
      if (factory.dispose) await factory.dispose(store);
    });

    describe('append', () => {
      it('creates a stream with no_stream and numbers revisions from 0', async () => {
        const id = stream();
        const result = await store.appendToStream(id, [newEvent(), newEvent()], {
          expectedRevision: 'no_stream',
        });
        expect(result.nextExpectedRevision).toBe(1n);
        expect(typeof result.position).toBe('bigint');
        const events = await store.readStream(id);
        expect(events.map((e) => e.revision)).toEqual([0n, 1n]);
        expect(events[1]!.position).toBe(result.position);
        expect(events[1]!.position > events[0]!.position).toBe(true);
      });

      it('answers when it recorded the last event of the append, as reads report it', async () => {
        const id = stream();
        const before = Date.now();
        const result = await store.appendToStream(id, [newEvent(), newEvent()]);
        expect(result.recordedAt).toBeInstanceOf(Date);
        const events = await store.readStream(id);
        expect(result.recordedAt.getTime()).toBe(events[1]!.recordedAt.getTime());
        expect(result.recordedAt.getTime()).toBeGreaterThanOrEqual(before - 1_000);
        expect(result.recordedAt.getTime()).toBeLessThanOrEqual(Date.now() + 1_000);
      });

      it('appends at an exact expected revision', async () => {
        const id = stream();
        await store.appendToStream(id, [newEvent()], { expectedRevision: 'no_stream' });
        const result = await store.appendToStream(id, [newEvent()], { expectedRevision: 0n });
        expect(result.nextExpectedRevision).toBe(1n);
      });

      it('refuses a wrong exact revision with the expected and actual revisions', async () => {
        const id = stream();
        await store.appendToStream(id, [newEvent(), newEvent()]);
        const error = await store
          .appendToStream(id, [newEvent()], { expectedRevision: 0n })
          .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(WrongExpectedRevisionError);
        expect((error as WrongExpectedRevisionError).expected).toBe(0n);
        expect((error as WrongExpectedRevisionError).actual).toBe(1n);
        expect((error as WrongExpectedRevisionError).streamId).toBe(id);
      });

      it('refuses an exact revision on a stream that does not exist', async () => {
        const id = stream();
        const error = await store
          .appendToStream(id, [newEvent()], { expectedRevision: 0n })
          .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(WrongExpectedRevisionError);
        expect((error as WrongExpectedRevisionError).actual).toBe('no_stream');
      });

      it('refuses no_stream when the stream exists', async () => {
        const id = stream();
        await store.appendToStream(id, [newEvent()]);
        await expect(
          store.appendToStream(id, [newEvent()], { expectedRevision: 'no_stream' }),
        ).rejects.toBeInstanceOf(WrongExpectedRevisionError);
      });

      it('refuses stream_exists when the stream does not exist, and accepts it when it does', async () => {
        const id = stream();
        const error = await store
          .appendToStream(id, [newEvent()], { expectedRevision: 'stream_exists' })
          .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(WrongExpectedRevisionError);
        expect((error as WrongExpectedRevisionError).actual).toBe('no_stream');
        await store.appendToStream(id, [newEvent()]);
        const result = await store.appendToStream(id, [newEvent()], {
          expectedRevision: 'stream_exists',
        });
        expect(result.nextExpectedRevision).toBe(1n);
      });

      it('accepts any revision with any', async () => {
        const id = stream();
        await store.appendToStream(id, [newEvent()], { expectedRevision: 'any' });
        const result = await store.appendToStream(id, [newEvent()], { expectedRevision: 'any' });
        expect(result.nextExpectedRevision).toBe(1n);
      });

      it('writes all events of a refused append or none', async () => {
        const id = stream();
        await store.appendToStream(id, [newEvent()]);
        await expect(
          store.appendToStream(id, [newEvent(), newEvent(), newEvent()], {
            expectedRevision: 'no_stream',
          }),
        ).rejects.toBeInstanceOf(WrongExpectedRevisionError);
        expect(await store.readStream(id)).toHaveLength(1);
      });

      it('stores the events of one append contiguously in $all', async () => {
        const id = stream();
        const batch = [newEvent(), newEvent(), newEvent()];
        await store.appendToStream(id, batch);
        const events = await store.readStream(id);
        const all = await store.readAll({ fromPosition: events[0]!.position, maxCount: 3 });
        expect(all.map((e) => e.id)).toEqual(batch.map((e) => e.id));
      });

      it('keeps type, data, metadata and ids, and records when', async () => {
        const id = stream();
        const before = Date.now();
        const event = newEvent('SeatAllocated', {
          seat: 's-1',
          nested: { list: [1, 'two', null] },
        });
        await store.appendToStream(id, [event]);
        const [stored] = await store.readStream(id);
        expect(stored).toMatchObject({
          id: event.id,
          type: 'SeatAllocated',
          streamId: id,
          revision: 0n,
          data: event.data,
        });
        expect(stored!.metadata).toMatchObject(event.metadata!);
        expect(stored!.recordedAt).toBeInstanceOf(Date);
        expect(stored!.recordedAt.getTime()).toBeGreaterThanOrEqual(before - 5_000);
      });
    });

    describe('idempotence', () => {
      it('acknowledges a re-append of the same ids at the same place and writes nothing', async () => {
        const id = stream();
        const batch = [newEvent(), newEvent()];
        const first = await store.appendToStream(id, batch, { expectedRevision: 'no_stream' });
        const again = await store.appendToStream(id, batch, { expectedRevision: 'no_stream' });
        expect(again).toEqual(first);
        expect(await store.readStream(id)).toHaveLength(2);
      });

      it('acknowledges a retried append after the stream has moved on', async () => {
        const id = stream();
        const batch = [newEvent()];
        const first = await store.appendToStream(id, batch, { expectedRevision: 'no_stream' });
        await store.appendToStream(id, [newEvent()], { expectedRevision: 0n });
        const retry = await store.appendToStream(id, batch, { expectedRevision: 'no_stream' });
        expect(retry.position).toBe(first.position);
        expect(await store.readStream(id)).toHaveLength(2);
      });

      it('refuses a stored id with other content', async () => {
        const id = stream();
        const event = newEvent('A', { n: 1 });
        await store.appendToStream(id, [event]);
        await expect(
          store.appendToStream(id, [{ ...event, data: { n: 2 } }]),
        ).rejects.toBeInstanceOf(EventIdConflictError);
        expect(await store.readStream(id)).toHaveLength(1);
      });

      unless(
        'event-ids-unique-across-streams',
        'refuses a stored id in another stream',
        async () => {
          const event = newEvent();
          await store.appendToStream(stream(), [event]);
          const other = stream();
          await expect(store.appendToStream(other, [event])).rejects.toBeInstanceOf(
            EventIdConflictError,
          );
          expect(await store.readStream(other)).toHaveLength(0);
        },
      );
    });

    describe('read a stream', () => {
      it('reads forwards from a revision with a limit, and backwards from the end', async () => {
        const id = stream();
        await store.appendToStream(
          id,
          [1, 2, 3, 4, 5].map((n) => newEvent('N', { n })),
        );
        const forwards = await store.readStream(id, { fromRevision: 1n, maxCount: 2 });
        expect(forwards.map((e) => (e.data as { n: number }).n)).toEqual([2, 3]);
        const backwards = await store.readStream(id, { direction: 'backwards', maxCount: 2 });
        expect(backwards.map((e) => e.revision)).toEqual([4n, 3n]);
        const fromThree = await store.readStream(id, { direction: 'backwards', fromRevision: 2n });
        expect(fromThree.map((e) => e.revision)).toEqual([2n, 1n, 0n]);
      });

      it('reads an unknown stream as empty', async () => {
        expect(await store.readStream(stream())).toEqual([]);
      });
    });

    describe('read $all', () => {
      it('reads every stream in commit order, forwards and backwards', async () => {
        const a = stream('a');
        const b = stream('b');
        await store.appendToStream(a, [newEvent('A1')]);
        await store.appendToStream(b, [newEvent('B1')]);
        await store.appendToStream(a, [newEvent('A2')]);
        const [first] = await store.readStream(a);
        const mine = (events: RecordedEvent[]) =>
          events.filter((e) => e.streamId === a || e.streamId === b).map((e) => e.type);
        const forwards = await store.readAll({ fromPosition: first!.position });
        expect(mine(forwards)).toEqual(['A1', 'B1', 'A2']);
        const positions = forwards.map((e) => e.position);
        expect([...positions].sort((x, y) => (x < y ? -1 : 1))).toEqual(positions);
        const backwards = await store.readAll({ direction: 'backwards', maxCount: 50 });
        expect(mine(backwards).slice(0, 3)).toEqual(['A2', 'B1', 'A1']);
        expect(await store.headPosition()).toBe(backwards[0]!.position);
      });

      it('reads the events at positions it reported, in $all order, each once', async () => {
        const a = stream('a');
        const b = stream('b');
        await store.appendToStream(a, [newEvent('A1'), newEvent('A2')]);
        await store.appendToStream(b, [newEvent('B1', { n: 2 })]);
        await store.appendToStream(a, [newEvent('A3')]);
        const stored = [...(await store.readStream(a)), ...(await store.readStream(b))];
        const at = (type: string) => stored.find((e) => e.type === type)!;
        const picked = await store.readAllAt([
          at('A3').position,
          at('A1').position,
          at('B1').position,
          at('A1').position,
        ]);
        expect(picked).toEqual([at('A1'), at('B1'), at('A3')]);
        expect(await store.readAllAt([])).toEqual([]);
      });
    });

    describe('concurrency', () => {
      it('lets exactly one of many racing writers win each revision', async () => {
        const id = stream();
        const writers = 16;
        const rounds = 8;
        for (let revision = -1; revision < rounds - 1; revision++) {
          const expectedRevision = revision < 0 ? ('no_stream' as const) : BigInt(revision);
          const outcomes = await Promise.allSettled(
            Array.from({ length: writers }, () =>
              store.appendToStream(id, [newEvent()], { expectedRevision }),
            ),
          );
          const won = outcomes.filter((o) => o.status === 'fulfilled');
          const lost = outcomes.filter((o) => o.status === 'rejected');
          expect(won).toHaveLength(1);
          for (const o of lost) {
            expect((o as PromiseRejectedResult).reason).toBeInstanceOf(WrongExpectedRevisionError);
          }
        }
        expect(await store.readStream(id)).toHaveLength(rounds);
      });

      it('never fails an append because a neighbour in the same batch failed', async () => {
        const ok = Array.from({ length: 20 }, () => stream('ok'));
        const bad = stream('bad');
        await store.appendToStream(bad, [newEvent()]);
        const outcomes = await Promise.allSettled([
          ...ok.map((id) =>
            store.appendToStream(id, [newEvent()], { expectedRevision: 'no_stream' }),
          ),
          store.appendToStream(bad, [newEvent()], { expectedRevision: 'no_stream' }),
          ...ok.map((id) => store.appendToStream(id, [newEvent()], { expectedRevision: 0n })),
        ]);
        expect(outcomes.filter((o) => o.status === 'rejected')).toHaveLength(1);
        for (const id of ok) expect(await store.readStream(id)).toHaveLength(2);
        expect(await store.readStream(bad)).toHaveLength(1);
      });
    });

    describe('catch-up subscription to $all', () => {
      it('delivers history from a checkpoint, then live events, in order', async () => {
        const id = stream();
        await store.appendToStream(id, [newEvent('Before')]);
        const [before] = await store.readStream(id);
        await store.appendToStream(id, [newEvent('History1'), newEvent('History2')]);
        const got = collector();
        let caughtUp = false;
        subscriptions.push(
          store.subscribeToAll((e) => (e.streamId === id ? got.push(e) : undefined), {
            after: before!.position,
            onCaughtUp: () => (caughtUp = true),
          }),
        );
        await got.until((seen) => seen.length === 2);
        await store.appendToStream(id, [newEvent('Live')]);
        await got.until((seen) => seen.length === 3);
        expect(got.seen.map((e) => e.type)).toEqual(['History1', 'History2', 'Live']);
        expect(caughtUp).toBe(true);
      });

      it('hands over from history to live under concurrent writes without gap or duplicate', async () => {
        const streams = Array.from({ length: 8 }, () => stream('handover'));
        const mine = new Set(streams);
        const perStream = 40;
        const after = await checkpointBeforeNextAppend(store);
        await store.appendToStream(streams[0]!, [newEvent()]);
        const writing = Promise.all(
          streams.map(async (id, i) => {
            for (let n = i === 0 ? 1 : 0; n < perStream; n++) {
              await store.appendToStream(id, [newEvent('W', { n })]);
            }
          }),
        );
        const got = collector();
        // Subscribe while the writers are running: history and live interleave.
        subscriptions.push(
          store.subscribeToAll((e) => (mine.has(e.streamId) ? got.push(e) : undefined), {
            after,
            pageSize: 7,
          }),
        );
        await writing;
        await got.until((seen) => seen.length >= streams.length * perStream);
        const positions = got.seen.map((e) => e.position);
        expect(new Set(got.seen.map((e) => e.id)).size).toBe(streams.length * perStream);
        for (let i = 1; i < positions.length; i++) {
          expect(positions[i]! > positions[i - 1]!).toBe(true);
        }
        for (const id of streams) {
          const revisions = got.seen.filter((e) => e.streamId === id).map((e) => e.revision);
          expect(revisions).toEqual(Array.from({ length: perStream }, (_, n) => BigInt(n)));
        }
      });

      it('keeps going after a handler error, redelivering the failed event', async () => {
        const id = stream();
        const [e1, e2, e3] = [newEvent('One'), newEvent('Two'), newEvent('Three')];
        const after = await checkpointBeforeNextAppend(store);
        await store.appendToStream(id, [e1!]);
        await store.appendToStream(id, [e2!, e3!]);
        const got = collector();
        const errors: unknown[] = [];
        let failedOnce = false;
        subscriptions.push(
          store.subscribeToAll(
            (e) => {
              if (e.streamId !== id) return;
              if (e.type === 'Two' && !failedOnce) {
                failedOnce = true;
                throw new Error('projection hiccup');
              }
              got.push(e);
            },
            { after, onError: (error) => errors.push(error) },
          ),
        );
        await got.until((seen) => seen.length === 3);
        expect(got.seen.map((e) => e.type)).toEqual(['One', 'Two', 'Three']);
        expect(errors).toHaveLength(1);
      });

      it('delivers nothing after stop and reports its checkpoint', async () => {
        const id = stream();
        const got = collector();
        const after = await checkpointBeforeNextAppend(store);
        const start = await store.appendToStream(id, [newEvent('One')]);
        const subscription = store.subscribeToAll(
          (e) => (e.streamId === id ? got.push(e) : undefined),
          { after },
        );
        await got.until((seen) => seen.length === 1);
        await subscription.stop();
        expect(subscription.checkpoint! >= start.position).toBe(true);
        await store.appendToStream(id, [newEvent('Two')]);
        // A fresh subscription from the old checkpoint sees the event the stopped one did not.
        const again = collector();
        subscriptions.push(
          store.subscribeToAll((e) => (e.streamId === id ? again.push(e) : undefined), {
            after: subscription.checkpoint,
          }),
        );
        await again.until((seen) => seen.length === 1);
        expect(again.seen[0]!.type).toBe('Two');
        expect(got.seen.map((e) => e.type)).toEqual(['One']);
      });
    });
  });
}
