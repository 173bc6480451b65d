import { randomUUID } from 'node:crypto';
import { jest } from '@jest/globals';
import {
  END,
  EventStoreDBClient,
  MaxAppendSizeExceededError,
  NO_STREAM,
  NotLeaderError,
  START,
  UnknownError,
  StreamDeletedError,
  StreamNotFoundError,
  UnavailableError,
  WrongExpectedVersionError,
  jsonEvent,
  streamNameFilter,
  type JSONEventType,
  type Position,
  type ResolvedEvent,
  type StreamSubscription,
} from '@eventstore/db-client';
import { EsdbCluster } from './double/esdb-cluster.js';
import { DEFAULT_MAX_APPEND_SIZE, EsdbDouble } from './double/esdb-double.js';

/**
 * Each RPC the double implements, driven with the official client directly
 * (not through the adapter), so what is tested is what the client sends and
 * how it reads the answers: the typed errors it raises come from the trailers
 * and status details the double sends, as from a real server.
 */
// No process is spawned; generous for a loaded two-core machine.
jest.setTimeout(60_000);

const clients = new Set<EventStoreDBClient>();
const connect = (connectionString: string) => {
  const client = EventStoreDBClient.connectionString(connectionString);
  clients.add(client);
  return client;
};
afterEach(async () => {
  await Promise.all([...clients].map((client) => client.dispose()));
  clients.clear();
});

const event = (type = 'Noted', data: Record<string, unknown> = {}) =>
  jsonEvent<JSONEventType>({ type, data, id: randomUUID() });
const stream = (prefix: string) => `${prefix}-${randomUUID()}`;

async function readRevisions(client: EventStoreDBClient, id: string): Promise<bigint[]> {
  const out: bigint[] = [];
  for await (const resolved of client.readStream(id)) out.push(resolved.event!.revision);
  return out;
}

/** Collects a subscription's events until `done` holds. */
function collect(subscription: StreamSubscription, done: (seen: ResolvedEvent[]) => boolean) {
  const seen: ResolvedEvent[] = [];
  const finished = new Promise<ResolvedEvent[]>((resolve, reject) => {
    subscription.on('data', (resolved: ResolvedEvent) => {
      seen.push(resolved);
      if (done(seen)) resolve(seen);
    });
    subscription.on('error', reject);
  });
  // Handled here too: a test may only look at it after the error has come.
  finished.catch(() => undefined);
  return { seen, finished };
}

for (const batchAppend of [true, false]) {
  describe(`wire double RPCs (${batchAppend ? 'BatchAppend' : 'unary Append'})`, () => {
    let double: EsdbDouble;
    let client: EventStoreDBClient;
    beforeAll(async () => {
      double = await EsdbDouble.start({ batchAppend });
    });
    afterAll(() => double.close());
    beforeEach(() => {
      client = connect(double.connectionString);
    });

    it('refuses an append over the maximum append size (1 MiB), writing nothing', async () => {
      const id = stream('big');
      const big = 'x'.repeat(2 * 1024 * 1024);
      const error = await client.appendToStream(id, event('Big', { big })).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MaxAppendSizeExceededError);
      expect((error as MaxAppendSizeExceededError).maxAppendSize).toBe(DEFAULT_MAX_APPEND_SIZE);
      await expect(readRevisions(client, id)).rejects.toBeInstanceOf(StreamNotFoundError);
      // Just under the limit goes through, and the connection is still good.
      const fits = 'x'.repeat(DEFAULT_MAX_APPEND_SIZE - 1024);
      await client.appendToStream(id, event('Fits', { fits }));
      expect(await readRevisions(client, id)).toEqual([0n]);
    });

    it('tombstones a stream: reads, appends, deletes and subscriptions fail as deleted', async () => {
      const id = stream('gone');
      await client.appendToStream(id, [event(), event()]);
      const { position } = await client.tombstoneStream(id, { expectedRevision: 1n });
      expect(position).toBeDefined();
      await expect(readRevisions(client, id)).rejects.toBeInstanceOf(StreamDeletedError);
      await expect(client.appendToStream(id, event())).rejects.toBeInstanceOf(StreamDeletedError);
      await expect(client.deleteStream(id)).rejects.toBeInstanceOf(StreamDeletedError);
      await expect(client.tombstoneStream(id)).rejects.toBeInstanceOf(StreamDeletedError);
      const subscription = client.subscribeToStream(id);
      await expect(collect(subscription, () => false).finished).rejects.toBeInstanceOf(
        StreamDeletedError,
      );
      // $all keeps the events and shows the tombstone record.
      const tail: string[] = [];
      for await (const resolved of client.readAll({ fromPosition: END, direction: 'backwards' })) {
        if (resolved.event?.streamId === id) tail.push(resolved.event.type);
        if (tail.length === 3) break;
      }
      expect(tail).toEqual(['$streamDeleted', 'Noted', 'Noted']);
    });
  });
}

describe('wire double RPCs (single node)', () => {
  let double: EsdbDouble;
  let client: EventStoreDBClient;
  beforeAll(async () => {
    double = await EsdbDouble.start();
  });
  afterAll(() => double.close());
  beforeEach(() => {
    client = connect(double.connectionString);
  });

  it('takes a smaller maximum append size when configured', async () => {
    const small = await EsdbDouble.start({ maxAppendSize: 200 });
    try {
      const other = connect(small.connectionString);
      const error = await other
        .appendToStream(stream('small'), event('Big', { text: 'y'.repeat(300) }))
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MaxAppendSizeExceededError);
      expect((error as MaxAppendSizeExceededError).maxAppendSize).toBe(200);
      expect(small.stats.oversized).toBe(1);
    } finally {
      await small.close();
    }
  });

  it('soft-deletes a stream: not found, kept in $all, recreated continuing its revisions', async () => {
    const id = stream('soft');
    const first = [event('A'), event('B'), event('C')];
    await client.appendToStream(id, first);
    await expect(client.deleteStream(id, { expectedRevision: 1n })).rejects.toBeInstanceOf(
      WrongExpectedVersionError,
    );
    const { position } = await client.deleteStream(id, { expectedRevision: 2n });
    expect(position).toBeDefined();
    await expect(readRevisions(client, id)).rejects.toBeInstanceOf(StreamNotFoundError);
    expect(double.events.filter((e) => e.streamId === id)).toHaveLength(3);

    // Appending again (no_stream: it reads as absent) recreates it after the old revisions.
    const result = await client.appendToStream(id, event('D'), { expectedRevision: NO_STREAM });
    expect(result.nextExpectedRevision).toBe(3n);
    expect(await readRevisions(client, id)).toEqual([3n]);
    const { metadata } = await client.getStreamMetadata(id);
    expect(metadata?.truncateBefore).toBe(3);
    // A soft-deleted stream is deleted again as many times as needed; an unknown one too.
    await client.deleteStream(id);
    await client.deleteStream(stream('never'));
  });

  it('applies $maxCount, $truncateBefore and $maxAge on reads of the stream only', async () => {
    const id = stream('meta');
    await client.appendToStream(
      id,
      Array.from({ length: 6 }, () => event()),
    );
    await client.setStreamMetadata(id, { maxCount: 2 });
    expect(await readRevisions(client, id)).toEqual([4n, 5n]);
    await client.setStreamMetadata(id, { truncateBefore: 3 });
    expect(await readRevisions(client, id)).toEqual([3n, 4n, 5n]);
    const backwards: bigint[] = [];
    for await (const resolved of client.readStream(id, {
      direction: 'backwards',
      fromRevision: END,
      maxCount: 10,
    })) {
      backwards.push(resolved.event!.revision);
    }
    expect(backwards).toEqual([5n, 4n, 3n]);
    await client.setStreamMetadata(id, { maxAge: 60 });
    expect(await readRevisions(client, id)).toHaveLength(6);
    const clock = double.log.now;
    double.log.now = () => clock() + 61_000;
    try {
      // Everything is older than a minute now; the stream exists but reads empty.
      expect(await readRevisions(client, id)).toEqual([]);
    } finally {
      double.log.now = clock;
    }
    // $all is not truncated by a stream's metadata.
    expect(double.events.filter((e) => e.streamId === id)).toHaveLength(6);
  });

  it('subscribes to a stream from the start, a revision or the end: confirmation, history, live', async () => {
    const id = stream('sub');
    await client.appendToStream(id, [event('A'), event('B'), event('C')]);
    const fromStart = client.subscribeToStream(id, { fromRevision: START });
    const fromRevision = client.subscribeToStream(id, { fromRevision: 1n });
    const fromEnd = client.subscribeToStream(id, { fromRevision: END });
    const confirmed = Promise.all(
      [fromStart, fromRevision, fromEnd].map(
        (s) => new Promise<void>((resolve) => s.once('confirmation', () => resolve())),
      ),
    );
    const caughtUp = new Promise<void>((resolve) => fromStart.once('caughtUp', () => resolve()));
    const all = collect(fromStart, (seen) => seen.length === 5);
    const after = collect(fromRevision, (seen) => seen.length === 3);
    const live = collect(fromEnd, (seen) => seen.length === 2);
    await confirmed;
    await caughtUp;
    // Noise in other streams is not delivered.
    await client.appendToStream(stream('other'), event('Other'));
    await client.appendToStream(id, [event('D'), event('E')]);

    const types = (seen: ResolvedEvent[]) => seen.map((r) => r.event!.type);
    expect(types(await all.finished)).toEqual(['A', 'B', 'C', 'D', 'E']);
    expect(types(await after.finished)).toEqual(['C', 'D', 'E']);
    expect(types(await live.finished)).toEqual(['D', 'E']);
    await Promise.all([fromStart, fromRevision, fromEnd].map((s) => s.unsubscribe()));
  });

  it('ends a stream subscription when the stream is tombstoned', async () => {
    const id = stream('doomed');
    await client.appendToStream(id, event('A'));
    const subscription = client.subscribeToStream(id);
    const seen = collect(subscription, () => false);
    await new Promise<void>((resolve) => subscription.once('caughtUp', () => resolve()));
    await client.tombstoneStream(id);
    await expect(seen.finished).rejects.toBeInstanceOf(StreamDeletedError);
    expect(seen.seen.map((r) => r.event!.type)).toEqual(['A']);
  });

  it('sends checkpoints on a filtered $all subscription every window × interval records scanned', async () => {
    const prefix = `rare-${randomUUID()}`;
    const { position: from } = await client.appendToStream(stream('start'), event());
    const checkpoints: Position[] = [];
    let enough!: () => void;
    const reached = new Promise<void>((resolve) => (enough = resolve));
    const subscription = client.subscribeToAll({
      fromPosition: from!,
      filter: streamNameFilter({
        prefixes: [prefix],
        maxSearchWindow: 10,
        checkpointInterval: 2,
        checkpointReached: (_s, position) => {
          checkpoints.push(position);
          if (checkpoints.length === 3) enough();
        },
      }),
    });
    const matched = collect(subscription, (seen) => seen.length === 5);
    // 65 records, one of them matching: checkpoints after the 20th, 40th and 60th scanned.
    for (let i = 0; i < 13; i++) {
      await client.appendToStream(
        i === 6 ? `${prefix}-1` : stream('noise'),
        Array.from({ length: 5 }, () => event()),
      );
    }
    await reached;
    expect((await matched.finished).map((r) => r.event!.streamId)).toEqual(
      Array.from({ length: 5 }, () => `${prefix}-1`),
    );
    const scanned = double.events.filter((e) => e.position > from!.commit);
    expect(checkpoints.map((c) => c.commit)).toEqual([19, 39, 59].map((i) => scanned[i]!.position));
    await subscription.unsubscribe();
  });
});

describe('three-node cluster double: gossip, NotLeader, node loss', () => {
  let cluster: EsdbCluster;
  beforeEach(async () => {
    cluster = await EsdbCluster.start();
  });
  afterEach(() => cluster.close());

  it('discovers the leader from a multi-seed connection string', async () => {
    expect(cluster.connectionString).toMatch(
      /^esdb:\/\/127\.0\.0\.1:\d+,127\.0\.0\.1:\d+,127\.0\.0\.1:\d+\?tls=false$/,
    );
    const client = connect(cluster.connectionString);
    const id = stream('discovered');
    await client.appendToStream(id, event(), { requiresLeader: true });
    const [leader, ...followers] = cluster.nodes;
    expect(leader!.stats.batchAppends).toBe(1);
    expect(followers.every((f) => f.stats.batchAppends === 0)).toBe(true);
    expect(cluster.nodes.some((n) => n.stats.gossip > 0)).toBe(true);
    expect(await readRevisions(client, id)).toEqual([0n]);
  });

  it('discovers the leader through the gossip of one seed (esdb+discover)', async () => {
    const follower = cluster.nodes[1]!;
    const client = connect(`esdb+discover://127.0.0.1:${follower.port}?tls=false`);
    await client.appendToStream(stream('dns'), event(), { requiresLeader: true });
    expect(follower.stats.gossip).toBeGreaterThan(0);
    expect(cluster.nodes[0]!.stats.batchAppends).toBe(1);
    expect(follower.stats.batchAppends).toBe(0);
  });

  it('answers NotLeader (with the leader endpoint) to a call requiring the leader; the client reconnects there', async () => {
    const client = connect(cluster.connectionString);
    const id = stream('moved');
    await client.appendToStream(id, event(), { requiresLeader: true });
    const next = cluster.moveLeader();

    const error = await client
      .appendToStream(id, event(), { requiresLeader: true, expectedRevision: 0n })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotLeaderError);
    expect((error as NotLeaderError).leader).toEqual({ address: '127.0.0.1', port: next.port });
    // The client has switched to the endpoint it was given.
    await client.appendToStream(id, event(), { requiresLeader: true, expectedRevision: 0n });
    expect(next.stats.batchAppends).toBe(1);
    expect(await readRevisions(client, id)).toEqual([0n, 1n]);
  });

  it('answers NotReady while an election is on, and serves again once a leader is chosen', async () => {
    const client = connect(cluster.connectionString);
    const fresh = connect(cluster.connectionString);
    const id = stream('election');
    await client.appendToStream(id, event(), { requiresLeader: true });
    cluster.startElection();
    // BatchAppend: a status the client cannot decode (details are an Empty).
    const batched = await client
      .appendToStream(id, event(), { requiresLeader: true, expectedRevision: 0n })
      .catch((e: unknown) => e);
    expect(batched).toBeInstanceOf(UnknownError);
    expect(String((batched as Error).message)).toMatch(/Server Is Not Ready/);
    // Reads (and unary calls): UNAVAILABLE "Server Is Not Ready".
    await expect(readRevisions(client, id)).rejects.toBeInstanceOf(UnavailableError);
    expect(cluster.nodes.reduce((n, node) => n + node.stats.notReady, 0)).toBe(2);
    // A client connecting now finds no member in a state it may use.
    await expect(readRevisions(fresh, id)).rejects.toThrow(/Failed to discover/);

    const leader = cluster.moveLeader();
    await client.appendToStream(id, event(), { requiresLeader: true, expectedRevision: 0n });
    expect(leader.stats.batchAppends).toBe(1);
    expect(await readRevisions(client, id)).toEqual([0n, 1n]);
  });

  it('forwards a write that does not require the leader from a follower', async () => {
    const client = connect(cluster.connectionString);
    const id = stream('forwarded');
    await client.appendToStream(id, event());
    cluster.moveLeader();
    await client.appendToStream(id, event(), { expectedRevision: 0n });
    expect(cluster.nodes[0]!.stats.batchAppends).toBe(2);
    expect(await readRevisions(client, id)).toEqual([0n, 1n]);
  });

  it('rediscovers through the remaining seeds when the node it uses dies', async () => {
    const client = connect(cluster.connectionString);
    const id = stream('survivor');
    await client.appendToStream(id, event(), { requiresLeader: true });
    const dead = await cluster.kill();
    // The client saw its connection drop: the next call discovers the new leader.
    await client.appendToStream(id, event(), { requiresLeader: true, expectedRevision: 0n });
    const leader = cluster.leader()!;
    expect(leader).not.toBe(dead);
    expect(leader.stats.batchAppends).toBe(1);
    expect(await readRevisions(client, id)).toEqual([0n, 1n]);
  });

  it('loses the answer, not the write, when the leader dies after committing; a retry with the same ids is acknowledged once', async () => {
    const client = connect(cluster.connectionString);
    const id = stream('unknown-outcome');
    await client.appendToStream(id, event(), { requiresLeader: true });
    const crashed = cluster.crashLeaderAfterNextCommit();
    const retried = event('Retried');
    const error = await client
      .appendToStream(id, retried, { requiresLeader: true, expectedRevision: 0n })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnavailableError);
    const dead = await crashed;
    expect(cluster.events.filter((e) => e.id === retried.id)).toHaveLength(1);

    const result = await client.appendToStream(id, retried, {
      requiresLeader: true,
      expectedRevision: 0n,
    });
    expect(result.nextExpectedRevision).toBe(1n);
    expect(result.position?.commit).toBe(cluster.events.find((e) => e.id === retried.id)!.position);
    expect(cluster.leader()).not.toBe(dead);
    expect(cluster.events.filter((e) => e.id === retried.id)).toHaveLength(1);
    expect(await readRevisions(client, id)).toEqual([0n, 1n]);
  });
});
