import {
  ANY,
  BACKWARDS,
  CancelledError,
  DeadlineExceededError,
  END,
  EventStoreDBClient,
  FORWARDS,
  MaxAppendSizeExceededError,
  NO_STREAM,
  NotLeaderError,
  START,
  STREAM_EXISTS,
  StreamNotFoundError,
  TimeoutError,
  UnavailableError,
  UnknownError,
  WrongExpectedVersionError,
  excludeSystemEvents,
  type AllStreamResolvedEvent,
  type AllStreamSubscription,
  type AppendExpectedRevision,
  type EventType,
  type JSONEventData,
  type JSONType,
  type ReadPosition,
  type RecordedEvent as EsdbRecordedEvent,
  type StreamingRead,
} from '@eventstore/db-client';
import {
  EventIdConflictError,
  InvalidEventError,
  StoreUnavailableError,
  WrongExpectedRevisionError,
} from '../errors.js';
import type {
  AppendOptions,
  AppendResult,
  EventHandler,
  EventMetadata,
  EventStore,
  ExpectedRevision,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeToAllOptions,
  Subscription,
} from '../event-store.port.js';
import { sleep } from '../pulling-subscription.js';

export interface EventStoreDbEventStoreOptions {
  /**
   * EventStoreDB acknowledges a re-append of stored ids at the same place as an
   * idempotent no-op without comparing content. With this on (the default),
   * every successful append reads back the events it was acknowledged for (one
   * small read by revision) and reports an {@link EventIdConflictError} when the
   * stored content differs, as the port's contract requires.
   */
  verifyAppends?: boolean;
  /** Events read per request when paging `$all` (system events are skipped client-side). */
  readPageSize?: number;
  /**
   * Attempts of one operation (an append, a read) when the node it reached is
   * gone (UNAVAILABLE, cancelled by the server), no longer the leader
   * (NotLeader) or not ready (an election): the client reconnects (to the leader it was told of, or
   * through gossip), and the adapter tries again after a backoff. Safe because
   * every read is, and every append is idempotent on the server: its events
   * carry their ids, so a retry of an append that was committed after all is
   * acknowledged, not written twice. Default 6; 1 turns retrying off.
   */
  retryAttempts?: number;
  /** First backoff between attempts, doubling up to 1 s (default 50 ms). */
  retryBackoffMs?: number;
  /** Told of each retry (the error that caused it and the attempt that failed), e.g. for metrics. */
  onRetry?: (error: unknown, attempt: number) => void;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_BACKOFF_MS = 5_000;
const MAX_RETRY_BACKOFF_MS = 1_000;

/** The client's discovery gave up: no seed answered gossip with a node it could use. */
function isDiscoveryFailure(error: unknown): boolean {
  return error instanceof Error && /^Failed to discover after \d+ attempts/.test(error.message);
}

/** The server's messages for a request it did not handle (so did not write). */
const NOT_HANDLED = /Server Is Not Ready|Server Is (Too )?Busy|No leader info available/;

/**
 * A failure that says nothing about the operation's effect on the server's
 * data, only that this node cannot answer now: the node went away
 * (UNAVAILABLE, a server-side cancel), is not the leader (NotLeader), or the
 * server did not handle the request (NotReady during an election, TooBusy,
 * no leader known). For the first two the client has already dropped its
 * channel, so the next attempt reconnects. The server answers a BatchAppend
 * it did not handle with a status the client cannot decode; the client
 * reports it as an UnknownError "Could not recognize Server Is Not Ready".
 */
export function isTransientEsdbError(error: unknown): boolean {
  return (
    error instanceof NotLeaderError ||
    error instanceof UnavailableError ||
    error instanceof CancelledError ||
    (error instanceof UnknownError && NOT_HANDLED.test(error.message))
  );
}

/** System events: `$`-prefixed streams (`$settings`, `$stats-…`, `$$meta`) and types (`$>`, `$metadata`). */
export function isSystemEvent(event: { streamId: string; type: string }): boolean {
  return event.streamId.startsWith('$') || event.type.startsWith('$');
}

/**
 * The event store on an EventStoreDB node or cluster, through
 * `@eventstore/db-client` (gRPC). `$all` positions are commit positions; the
 * adapter hides system events from `$all` reads, `headPosition` and
 * subscriptions, resubscribes after a dropped subscription (the Node client
 * does not), and maps the client's errors to the port's.
 *
 * Where EventStoreDB's semantics differ from the embedded store's, see
 * docs/adr/0002-eventstoredb-adapter-and-wire-double.md.
 */
export class EventStoreDbEventStore implements EventStore {
  private current: EventStoreDBClient;
  /** Set when the adapter made its client, so it can make a fresh one (see `renewClient`). */
  private readonly connectionString: string | null;
  private readonly verifyAppends: boolean;
  private readonly readPageSize: number;
  private readonly retryAttempts: number;
  private readonly retryBackoffMs: number;
  private readonly onRetry: ((error: unknown, attempt: number) => void) | undefined;
  private readonly subscriptions = new Set<EventStoreDbSubscription>();
  private closed = false;

  constructor(
    connection: string | EventStoreDBClient,
    options: EventStoreDbEventStoreOptions = {},
  ) {
    this.connectionString = typeof connection === 'string' ? connection : null;
    this.current =
      typeof connection === 'string' ? EventStoreDBClient.connectionString(connection) : connection;
    this.verifyAppends = options.verifyAppends ?? true;
    this.readPageSize = options.readPageSize ?? 500;
    this.retryAttempts = Math.max(1, options.retryAttempts ?? 6);
    this.retryBackoffMs = options.retryBackoffMs ?? 50;
    this.onRetry = options.onRetry;
  }

  /** The client in use (replaced after a failed discovery, see `renewClient`). */
  get client(): EventStoreDBClient {
    return this.current;
  }

  /**
   * When discovery fails (no seed answered gossip with a usable member), the
   * Node client (6.2.1) keeps the rejected server-features probe it made on
   * the way, and every later append fails with that same error even once
   * the cluster is back. A fresh client starts clean; the old one is disposed.
   */
  private renewClient(error: unknown): void {
    if (!this.connectionString || this.closed || !isDiscoveryFailure(error)) return;
    const stale = this.current;
    this.current = EventStoreDBClient.connectionString(this.connectionString);
    void stale.dispose().catch(() => undefined);
  }

  /**
   * Runs `operation` until it succeeds, fails for a reason other than a lost
   * node or leader, or has used the retry budget; the last error surfaces
   * as-is. Only for operations that are safe to repeat (see `retryAttempts`).
   */
  private async reading<T>(operation: () => Promise<T>, attempts = this.retryAttempts): Promise<T> {
    try {
      return await this.retrying(operation, attempts);
    } catch (error) {
      // mapped only once the retry budget is spent: the retries must see the client's own errors
      throw asStoreUnavailable(error, 'read') ?? error;
    }
  }

  private async retrying<T>(
    operation: () => Promise<T>,
    attempts = this.retryAttempts,
  ): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await operation();
      } catch (error) {
        this.renewClient(error);
        if (this.closed || attempt >= attempts || !isTransientEsdbError(error)) {
          throw error;
        }
        this.onRetry?.(error, attempt);
        await sleep(Math.min(MAX_RETRY_BACKOFF_MS, this.retryBackoffMs * 2 ** (attempt - 1)));
      }
    }
  }

  async appendToStream(
    streamId: string,
    events: readonly NewEvent[],
    options: AppendOptions = {},
  ): Promise<AppendResult> {
    this.assertOpen();
    const expected = options.expectedRevision ?? 'any';
    const proposed = validate(streamId, events);
    if (proposed.length === 0) return this.appendNothing(streamId, expected);

    // Written on the leader (a follower would answer NotLeader, and the client
    // reconnect to the leader), retried with the same ids after a lost node or
    // leader: the server acknowledges a committed retry instead of writing it twice.
    const result = await this.retrying(() =>
      this.client.appendToStream(streamId, proposed, {
        expectedRevision: toEsdbExpected(expected),
        requiresLeader: true,
      }),
    ).catch((error: unknown) => {
      throw mapAppendError(error, streamId, expected, proposed);
    });
    if (!result.position) {
      throw new Error(`EventStoreDB did not return the $all position of the append to ${streamId}`);
    }
    const stored = await this.readBack(streamId, proposed.length, result.nextExpectedRevision);
    if (this.verifyAppends) verifyStored(streamId, proposed, stored);
    const last = stored.at(-1);
    if (!last) {
      throw new Error(`EventStoreDB acknowledged an append to ${streamId} it does not return`);
    }
    return {
      nextExpectedRevision: result.nextExpectedRevision,
      position: result.position.commit,
      // The append response carries no time: the stored event's `created` is its recordedAt.
      recordedAt: last.recordedAt,
    };
  }

  /**
   * The events an append stored (all of them to verify their content, else
   * only the last), read from the leader: a follower may not have them yet.
   */
  private readBack(
    streamId: string,
    count: number,
    lastRevision: bigint,
  ): Promise<RecordedEvent[]> {
    const read = this.verifyAppends ? count : 1;
    return this.readStreamFrom(
      streamId,
      { fromRevision: lastRevision - BigInt(read) + 1n, maxCount: read },
      true,
    );
  }

  /** An empty append checks the expected revision and writes nothing. */
  private async appendNothing(streamId: string, expected: ExpectedRevision): Promise<AppendResult> {
    const [last] = await this.readStream(streamId, { direction: 'backwards', maxCount: 1 });
    const current = last ? last.revision : null;
    const matches =
      expected === 'any' ||
      (expected === 'no_stream' && current === null) ||
      (expected === 'stream_exists' && current !== null) ||
      expected === current;
    if (!matches) throw new WrongExpectedRevisionError(streamId, expected, current ?? 'no_stream');
    return {
      nextExpectedRevision: current ?? -1n,
      position: (await this.headPosition()) ?? -1n,
      recordedAt: new Date(),
    };
  }

  readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    return this.readStreamFrom(streamId, options, false);
  }

  /** A stream read, from the leader when `requiresLeader` (read-your-writes on a cluster). */
  private async readStreamFrom(
    streamId: string,
    options: ReadStreamOptions,
    requiresLeader: boolean,
  ): Promise<RecordedEvent[]> {
    this.assertOpen();
    const direction = options.direction ?? 'forwards';
    const from = options.fromRevision ?? (direction === 'forwards' ? 'start' : 'end');
    if (options.maxCount === 0) return [];
    try {
      return await this.reading(async () => {
        const read = this.client.readStream(streamId, {
          direction: direction === 'forwards' ? FORWARDS : BACKWARDS,
          fromRevision: from === 'start' ? START : from === 'end' ? END : from,
          ...(options.maxCount === undefined ? {} : { maxCount: options.maxCount }),
          ...(requiresLeader ? { requiresLeader } : {}),
        });
        return (await collect(read)).flatMap((resolved) =>
          resolved.event ? [toRecorded(resolved.event)] : [],
        );
      });
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw error;
    }
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    const direction = options.direction ?? 'forwards';
    const from = options.fromPosition ?? (direction === 'forwards' ? 'start' : 'end');
    const want = options.maxCount ?? Number.POSITIVE_INFINITY;
    const out: RecordedEvent[] = [];
    if (want <= 0) return out;

    // Our reads are inclusive both ways; EventStoreDB reads `$all` backwards
    // from a position exclusively, so fetch the event at that position first.
    let cursor: ReadPosition = from === 'start' ? START : from === 'end' ? END : esdbPosition(from);
    let last: bigint | null = null;
    if (direction === 'backwards' && typeof from === 'bigint') {
      const [atFrom] = await this.readAllPage(esdbPosition(from), 'forwards', 1);
      if (atFrom && atFrom.position === from && !isSystemEvent(atFrom)) out.push(atFrom);
      last = from;
    }

    // Ask for a little more than is missing, as system events are skipped
    // client-side, and for more each time a page was mostly system events.
    let pageSize = Math.min(this.readPageSize, want - out.length + 3);
    while (out.length < want) {
      pageSize = Math.min(this.readPageSize, Math.max(pageSize, want - out.length + 3));
      const page = await this.readAllPage(cursor, direction, pageSize);
      for (const event of page) {
        // Paging resumes at the last position read; skip what was already seen,
        // whichever way the server treats the boundary.
        if (
          last !== null &&
          (direction === 'forwards' ? event.position <= last : event.position >= last)
        ) {
          continue;
        }
        last = event.position;
        if (!isSystemEvent(event)) out.push(event);
        if (out.length >= want) break;
      }
      if (page.length < pageSize || last === null) break;
      cursor = esdbPosition(last);
      pageSize *= 2;
    }
    return out;
  }

  /**
   * EventStoreDB reads `$all` by range only: one single-event read from each
   * position (positions are log offsets, so there is no cheaper way between).
   */
  async readAllAt(positions: readonly bigint[]): Promise<RecordedEvent[]> {
    this.assertOpen();
    const wanted = [...new Set(positions)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const out: RecordedEvent[] = [];
    for (const position of wanted) {
      const [event] = await this.readAll({ fromPosition: position, maxCount: 1 });
      if (event && event.position === position) out.push(event);
    }
    return out;
  }

  private async readAllPage(
    from: ReadPosition,
    direction: 'forwards' | 'backwards',
    maxCount: number,
  ): Promise<RecordedEvent[]> {
    return this.reading(async () => {
      const read = this.client.readAll({
        fromPosition: from,
        direction: direction === 'forwards' ? FORWARDS : BACKWARDS,
        maxCount,
      });
      return (await collect(read)).flatMap((resolved) =>
        resolved.event ? [toRecorded(resolved.event)] : [],
      );
    });
  }

  subscribeToAll(handler: EventHandler, options: SubscribeToAllOptions): Subscription {
    this.assertOpen();
    const subscription = new EventStoreDbSubscription(this, handler, options, () =>
      this.subscriptions.delete(subscription),
    );
    this.subscriptions.add(subscription);
    return subscription;
  }

  async headPosition(): Promise<bigint | null> {
    const [last] = await this.readAll({ direction: 'backwards', maxCount: 1 });
    return last ? last.position : null;
  }

  /** Reads `$all` from the leader: reachable, authorised, and a leader to write to. */
  async ping(): Promise<void> {
    this.assertOpen();
    // A probe: one retry (to follow a NotLeader to the new leader), not the
    // whole budget, so a store that is down is reported down at once.
    await this.reading(
      () =>
        collect(
          this.client.readAll({
            direction: BACKWARDS,
            fromPosition: END,
            maxCount: 1,
            requiresLeader: true,
          }),
        ),
      2,
    );
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.subscriptions].map((s) => s.stop()));
    await this.current.dispose();
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('Event store is closed');
  }
}

/**
 * A catch-up subscription to `$all` that survives dropped connections: the
 * client's subscription from the last handled position, filtered server-side
 * to exclude system events, resubscribed with exponential backoff after a drop
 * or a handler error (the event whose handler failed is delivered again).
 * EventStoreDB subscribes *after* the given position, so a resubscription
 * neither skips nor repeats an event; positions at or before the checkpoint
 * are skipped anyway, as a guard.
 */
class EventStoreDbSubscription implements Subscription {
  private current: bigint | null;
  private readonly abort = new AbortController();
  private active: AllStreamSubscription | null = null;
  private readonly done: Promise<void>;

  constructor(
    private readonly store: EventStoreDbEventStore,
    private readonly handler: EventHandler,
    private readonly options: SubscribeToAllOptions,
    private readonly onStopped: () => void,
  ) {
    this.current = options.after;
    this.done = this.run().finally(onStopped);
  }

  get checkpoint(): bigint | null {
    return this.current;
  }

  async stop(): Promise<void> {
    this.abort.abort();
    const active = this.active;
    if (active) {
      await active.unsubscribe().catch(() => undefined);
      active.destroy();
    }
    await this.done;
  }

  private get stopped(): boolean {
    return this.abort.signal.aborted;
  }

  private async run(): Promise<void> {
    let attempt = 0;
    while (!this.stopped) {
      try {
        await this.consume(() => (attempt = 0));
        if (this.stopped) return;
        throw new Error('EventStoreDB ended the subscription');
      } catch (error) {
        if (this.stopped) return;
        attempt += 1;
        this.options.onError?.(error, attempt);
        await sleep(Math.min(MAX_BACKOFF_MS, 50 * 2 ** (attempt - 1)), this.abort.signal);
      }
    }
  }

  /** One subscription call, from the checkpoint, until it fails, ends or is stopped. */
  private async consume(onProgress: () => void): Promise<void> {
    // Caught up: when the server says so (CaughtUp, servers since 23.10) and
    // everything it sent before has been handled, or when the checkpoint
    // reaches the head read before subscribing, whichever comes first.
    let live = false;
    const head = await this.store.headPosition();
    if (this.stopped) return;
    const goLive = () => {
      if (live || this.stopped) return;
      live = true;
      onProgress();
      this.options.onCaughtUp?.(this.current);
    };
    const headReached = () => head === null || (this.current !== null && this.current >= head);

    const subscription = this.store.client.subscribeToAll({
      fromPosition: this.current === null ? START : esdbPosition(this.current),
      filter: excludeSystemEvents(),
    });
    this.active = subscription;
    if (this.stopped) {
      // stop() ran while we were subscribing and found nothing to cancel.
      this.active = null;
      await subscription.unsubscribe().catch(() => undefined);
      subscription.destroy();
      return;
    }
    // Errors surface through the iterator; this keeps a late one (after we
    // have let go of the stream) from becoming an unhandled 'error' event.
    subscription.on('error', () => undefined);

    let taken = 0;
    let handled = 0;
    let caughtUpAfter: number | null = null;
    subscription.on('caughtUp', () => {
      // Everything the client had queued before this signal precedes it.
      caughtUpAfter = taken + subscription.readableLength;
      if (handled >= caughtUpAfter) goLive();
    });
    if (headReached()) goLive();

    try {
      for await (const resolved of subscription as AsyncIterable<AllStreamResolvedEvent>) {
        taken += 1;
        if (this.stopped) return;
        const event = resolved.event;
        if (event && !isSystemEvent(event)) {
          const recorded = toRecorded(event);
          if (this.current === null || recorded.position > this.current) {
            await this.handler(recorded);
            this.current = recorded.position;
            onProgress();
          }
        }
        handled += 1;
        if ((caughtUpAfter !== null && handled >= caughtUpAfter) || headReached()) goLive();
      }
    } finally {
      this.active = null;
      await subscription.unsubscribe().catch(() => undefined);
      subscription.destroy();
    }
  }
}

// ---------------------------------------------------------------- mapping

function validate(streamId: string, events: readonly NewEvent[]): JSONEventData[] {
  if (typeof streamId !== 'string' || streamId.length === 0 || streamId.startsWith('$')) {
    throw new InvalidEventError(`Invalid stream name '${String(streamId)}'`);
  }
  const seen = new Set<string>();
  return events.map((event) => {
    if (!UUID.test(event.id)) throw new InvalidEventError(`Event id '${event.id}' is not a UUID`);
    const id = event.id.toLowerCase();
    if (seen.has(id)) throw new InvalidEventError(`Event id ${id} appears twice in one append`);
    seen.add(id);
    if (typeof event.type !== 'string' || event.type.length === 0) {
      throw new InvalidEventError('Event type must be a non-empty string');
    }
    if (event.type.startsWith('$')) {
      throw new InvalidEventError(`Event type '${event.type}' is reserved for system events`);
    }
    const json = JSON.stringify(event.data);
    if (json === undefined) throw new InvalidEventError(`Event ${id} data is not JSON`);
    return {
      id,
      contentType: 'application/json',
      type: event.type,
      // The client serialises `data` with JSON.stringify; any JSON value works on the wire.
      data: JSON.parse(json) as JSONType,
      metadata: JSON.parse(JSON.stringify(event.metadata ?? {})) as JSONType,
    };
  });
}

function toEsdbExpected(expected: ExpectedRevision): AppendExpectedRevision {
  switch (expected) {
    case 'any':
      return ANY;
    case 'no_stream':
      return NO_STREAM;
    case 'stream_exists':
      return STREAM_EXISTS;
    default:
      return expected;
  }
}

function mapAppendError(
  error: unknown,
  streamId: string,
  expected: ExpectedRevision,
  proposed: JSONEventData[],
): unknown {
  if (error instanceof MaxAppendSizeExceededError) {
    return new InvalidEventError(
      `The append to ${streamId} exceeds EventStoreDB's maximum append size of ${error.maxAppendSize} bytes`,
    );
  }
  const unavailable = asStoreUnavailable(error, 'append');
  if (unavailable) return unavailable;
  if (!(error instanceof WrongExpectedVersionError)) return error;
  // With `any` no revision can be wrong: EventStoreDB reports "corrupted
  // idempotency" (some, not all, of the ids are stored there) this way.
  if (expected === 'any') {
    return new EventIdConflictError(
      streamId,
      proposed.map((e) => e.id).join(', '),
      'some, but not all, of these ids are already stored in the stream (EventStoreDB: corrupted idempotency)',
    );
  }
  const actual = error.actualVersion;
  return new WrongExpectedRevisionError(
    streamId,
    expected,
    typeof actual === 'bigint' ? actual : 'no_stream',
  );
}

function esdbPosition(position: bigint): { commit: bigint; prepare: bigint } {
  // Events appended without explicit transactions have commit == prepare.
  return { commit: position, prepare: position };
}

function toRecorded(event: EsdbRecordedEvent<EventType>): RecordedEvent {
  if (!event.position) {
    throw new Error(
      `EventStoreDB returned event ${event.id} without its $all position (needs server 22.6 or later)`,
    );
  }
  return {
    id: event.id,
    type: event.type,
    streamId: event.streamId,
    revision: event.revision,
    position: event.position.commit,
    data: event.data as unknown,
    metadata: isMetadata(event.metadata) ? event.metadata : {},
    recordedAt: event.created,
  };
}

function isMetadata(value: unknown): value is EventMetadata {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    !(value instanceof Uint8Array)
  );
}

async function collect<E>(read: StreamingRead<E>): Promise<E[]> {
  const out: E[] = [];
  for await (const item of read) out.push(item);
  return out;
}

/** gRPC status codes the client may surface unconverted: UNAVAILABLE, DEADLINE_EXCEEDED, ABORTED. */
const UNREACHABLE_GRPC_CODES = new Set([14, 4, 10]);

/**
 * A client error meaning the cluster could not be reached or could not take
 * the call now (no connection, deadline exceeded, the server's own operation
 * timeout — ABORTED, e.g. no quorum —, no leader, discovery failed), as the
 * port's {@link StoreUnavailableError} (503 with Retry-After); null for any
 * other error. An append that ran out of time may have been written: its
 * retry with the same event ids is an idempotent no-op.
 */
export function asStoreUnavailable(
  error: unknown,
  operation: 'read' | 'append',
): StoreUnavailableError | null {
  if (error instanceof StoreUnavailableError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  const unreachable =
    error instanceof UnavailableError ||
    error instanceof DeadlineExceededError ||
    error instanceof TimeoutError ||
    error instanceof NotLeaderError ||
    // what the adapter retries (cancelled, not ready, busy, no leader) is
    // still a store that cannot serve now once the retry budget is spent
    isTransientEsdbError(error) ||
    (typeof code === 'number' && UNREACHABLE_GRPC_CODES.has(code)) ||
    (error instanceof Error && /^Failed to discover after \d+ attempts/.test(error.message));
  if (!unreachable) return null;
  const reason = error instanceof Error ? error.message : String(error);
  const outcome =
    operation === 'append' &&
    (error instanceof DeadlineExceededError ||
      error instanceof TimeoutError ||
      code === 4 ||
      code === 10)
      ? ' (the append may have been written: retry it with the same Idempotency-Key)'
      : '';
  return new StoreUnavailableError(
    'event-store',
    `EventStoreDB could not be reached for a ${operation}: ${reason}${outcome}`,
    5,
    { cause: error },
  );
}

/** EventStoreDB does not compare content on an idempotent re-append; compare what it acknowledged. */
function verifyStored(streamId: string, proposed: JSONEventData[], stored: RecordedEvent[]): void {
  proposed.forEach((event, i) => {
    const found = stored[i];
    if (
      !found ||
      found.id !== event.id ||
      found.type !== event.type ||
      JSON.stringify(found.data) !== JSON.stringify(event.data) ||
      JSON.stringify(found.metadata) !== JSON.stringify(event.metadata)
    ) {
      throw new EventIdConflictError(
        streamId,
        event.id,
        'id already stored with other content (EventStoreDB acknowledged it as an idempotent re-append)',
      );
    }
  });
}
