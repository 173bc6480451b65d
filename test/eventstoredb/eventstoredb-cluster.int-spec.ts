import { randomUUID } from 'node:crypto';
import { jest } from '@jest/globals';
import { UnknownError } from '@eventstore/db-client';
import {
  EventStoreDbEventStore,
  isSystemEvent,
  type EventStore,
  type ExpectedRevision,
  type NewEvent,
  type Subscription,
} from '@app/event-store';
import { describeEventStoreContract, newEvent } from '../event-store/event-store.contract.js';
import { EsdbCluster } from './double/esdb-cluster.js';
import { ESDB_LIMITS } from './eventstoredb-limits.js';

// In-process gRPC servers only; generous for a loaded two-core machine.
jest.setTimeout(90_000);

let cluster: EsdbCluster;
const stores = new Set<EventStore>();
const open = (connectionString: string, options = {}) => {
  const store = new EventStoreDbEventStore(connectionString, options);
  stores.add(store);
  return store;
};
const dispose = async (store: EventStore) => {
  stores.delete(store);
  await store.close();
};

beforeAll(async () => {
  cluster = await EsdbCluster.start();
});
afterAll(async () => {
  await Promise.all([...stores].map(dispose));
  await cluster.close();
});

describeEventStoreContract('eventstoredb (three-node wire double, multi-seed gossip)', {
  create: async () => open(cluster.connectionString),
  dispose,
  limits: ESDB_LIMITS,
});

/** Resolves when the cluster's log holds at least `count` events of these streams. */
function untilWritten(streams: Set<string>, count: number): Promise<void> {
  const written = () => cluster.events.filter((e) => streams.has(e.streamId)).length >= count;
  if (written()) return Promise.resolve();
  return new Promise((resolve) => {
    const stop = cluster.log.onWritten(() => {
      if (!written()) return;
      stop();
      resolve();
    });
  });
}

describe('leader changes and node loss under concurrent appends through the adapter', () => {
  it('reconnects, retries only what is safe, and loses nothing acknowledged', async () => {
    const retries: string[] = [];
    const store = open(cluster.connectionString, {
      onRetry: (error: unknown) => retries.push((error as Error).constructor.name),
    });
    const writers = 6;
    const perWriter = 40;
    // Half the writers append at exact expected revisions, half with `any`.
    const streams = Array.from({ length: writers }, (_, i) => `seat-${i}-${randomUUID()}`);
    const mine = new Set(streams);
    const { position: after } = await store.appendToStream(`marker-${randomUUID()}`, [newEvent()]);

    const delivered: string[] = [];
    const subscriptionErrors: unknown[] = [];
    let allDelivered: (() => void) | null = null;
    const acknowledged = new Map<string, { streamId: string; revision: bigint }>();
    const subscription: Subscription = store.subscribeToAll(
      (event) => {
        if (!mine.has(event.streamId)) return;
        delivered.push(event.id);
        if (allDelivered && delivered.length >= acknowledged.size) allDelivered();
      },
      { after, onError: (error) => subscriptionErrors.push(error) },
    );

    const report = { attempted: 0, acknowledged: 0, failed: 0, present: 0 };
    const failures: unknown[] = [];
    const writing = streams.map(async (streamId, w) => {
      const exact = w % 2 === 0;
      let next: bigint = -1n;
      for (let n = 0; n < perWriter; n++) {
        const events: NewEvent[] =
          n % 5 === 4
            ? [newEvent('SeatTaken', { n }), newEvent('SeatNoted', { n })]
            : [newEvent('SeatTaken', { n })];
        const expectedRevision: ExpectedRevision = !exact ? 'any' : next < 0n ? 'no_stream' : next;
        report.attempted += 1;
        try {
          const result = await store.appendToStream(streamId, events, { expectedRevision });
          report.acknowledged += 1;
          events.forEach((event, i) =>
            acknowledged.set(event.id, {
              streamId,
              revision: result.nextExpectedRevision - BigInt(events.length - 1 - i),
            }),
          );
          next = result.nextExpectedRevision;
        } catch (error) {
          report.failed += 1;
          failures.push(error);
          // Unknown outcome past the budget: learn where the stream is and go on.
          const [last] = await store.readStream(streamId, { direction: 'backwards', maxCount: 1 });
          next = last ? last.revision : -1n;
        }
      }
    });

    // Disruptions, each once the writers have got that far (no timing involved).
    const total = writers * perWriter;
    await untilWritten(mine, Math.floor(total * 0.15));
    const first = cluster.moveLeader();
    await untilWritten(mine, Math.floor(total * 0.3));
    const crashed = await cluster.crashLeaderAfterNextCommit();
    expect(crashed).toBe(first);
    await untilWritten(mine, Math.floor(total * 0.5));
    await cluster.revive(crashed);
    cluster.moveLeader(crashed);
    await untilWritten(mine, Math.floor(total * 0.6));
    // An election: no leader until the writers have been told NotReady a few times.
    cluster.startElection();
    await cluster.notReadyAnswers(3);
    cluster.moveLeader();
    await untilWritten(mine, Math.floor(total * 0.7));
    const follower = cluster.nodes.find((node) => node.running && !node.isLeader)!;
    await cluster.kill(follower);
    await untilWritten(mine, Math.floor(total * 0.85));
    cluster.moveLeader();
    await Promise.all(writing);

    // Every acknowledged event is stored exactly once, where it was acknowledged.
    const stored = cluster.events.filter((e) => mine.has(e.streamId) && !isSystemEvent(e));
    const counts = new Map<string, number>();
    for (const event of stored) counts.set(event.id, (counts.get(event.id) ?? 0) + 1);
    report.present = [...acknowledged.keys()].filter((id) => counts.get(id) === 1).length;
    for (const [id, where] of acknowledged) {
      const event = stored.find((e) => e.id === id);
      expect(event && { streamId: event.streamId, revision: event.revision }).toEqual(where);
    }
    expect([...counts.values()].every((count) => count === 1)).toBe(true);
    // Each stream's revisions are gap-free: nothing was written twice or skipped.
    for (const streamId of streams) {
      const revisions = (await store.readStream(streamId)).map((e) => e.revision);
      expect(revisions).toEqual(revisions.map((_, i) => BigInt(i)));
    }

    // The subscription, resubscribed across the disruptions, saw each of them once.
    if (delivered.length < acknowledged.size) {
      await new Promise<void>((resolve) => (allDelivered = resolve));
    }
    await subscription.stop();
    expect(new Set(delivered).size).toBe(delivered.length);
    expect(delivered.filter((id) => acknowledged.has(id))).toHaveLength(acknowledged.size);

    console.info(
      `leader-change run: appends attempted ${report.attempted}, acknowledged ${report.acknowledged}, ` +
        `failed ${report.failed}, acknowledged events present exactly once ${report.present}/${acknowledged.size}; ` +
        `retries ${retries.length} (${summarise(retries)}); elections ${cluster.stats.elections}, ` +
        `kills ${cluster.stats.kills}, NotLeader answers ${cluster.nodes.reduce((n, node) => n + node.stats.notLeader, 0)}, ` +
        `subscription drops survived ${subscriptionErrors.length}`,
    );
    expect(report.failed).toBe(0);
    expect(report.acknowledged).toBe(report.attempted);
    expect(report.present).toBe(acknowledged.size);
    expect(retries.length).toBeGreaterThan(0);
    expect(cluster.stats.kills).toBe(2);
  });
});

describe('an election with appends waiting', () => {
  it('retries appends the server did not handle (NotReady) until a leader is chosen', async () => {
    const electing = await EsdbCluster.start();
    try {
      const retries: unknown[] = [];
      const store = open(electing.connectionString, {
        onRetry: (error: unknown) => retries.push(error),
      });
      const id = `programme-${randomUUID()}`;
      await store.appendToStream(id, [newEvent()], { expectedRevision: 'no_stream' });
      electing.startElection();
      const elected = electing.notReadyAnswers(2).then(() => electing.moveLeader());
      const result = await store.appendToStream(id, [newEvent()], { expectedRevision: 0n });
      await elected;
      expect(result.nextExpectedRevision).toBe(1n);
      // BatchAppend's NotReady reaches the adapter as the client's UnknownError.
      expect(
        retries.some((e) => e instanceof UnknownError && /Server Is Not Ready/.test(e.message)),
      ).toBe(true);
      expect((await store.readStream(id)).map((e) => e.revision)).toEqual([0n, 1n]);
      await dispose(store);
    } finally {
      await electing.close();
    }
  });
});

describe('a cluster with no node left', () => {
  it('surfaces the error once the retry budget is spent, and works again when nodes return', async () => {
    const lonely = await EsdbCluster.start();
    try {
      const retries: unknown[] = [];
      const store = open(lonely.connectionString, {
        retryAttempts: 3,
        onRetry: (error: unknown) => retries.push(error),
      });
      const id = `programme-${randomUUID()}`;
      await store.appendToStream(id, [newEvent()], { expectedRevision: 'no_stream' });
      for (const node of lonely.nodes) await lonely.kill(node);

      const error = await store
        .appendToStream(id, [newEvent()], { expectedRevision: 0n })
        .catch((e: unknown) => e);
      // The client's own error, as-is: UNAVAILABLE, or discovery giving up on every seed.
      expect(error).toBeInstanceOf(Error);
      expect(String(error)).toMatch(/UNAVAILABLE|Failed to discover/);
      expect(retries.length).toBeLessThanOrEqual(2);

      for (const node of lonely.nodes) await lonely.revive(node);
      const result = await store.appendToStream(id, [newEvent()], { expectedRevision: 0n });
      expect(result.nextExpectedRevision).toBe(1n);
      await dispose(store);
    } finally {
      await lonely.close();
    }
  });
});

function summarise(names: string[]): string {
  const counts = new Map<string, number>();
  for (const name of names) counts.set(name, (counts.get(name) ?? 0) + 1);
  return [...counts].map(([name, count]) => `${name} ×${count}`).join(', ') || 'none';
}
