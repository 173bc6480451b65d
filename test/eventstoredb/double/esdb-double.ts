/**
 * A wire-level EventStoreDB test double: a gRPC server that speaks the part of
 * EventStoreDB's Streams API that the EventStoreDB adapter (through
 * `@eventstore/db-client`) uses, built from the client package's own generated
 * service definitions and message classes, so every byte on the wire is what
 * the real client sends and expects.
 *
 * It is a test fixture, in memory, never the product's store. Semantics follow
 * EventStoreDB's documentation and server behaviour:
 *  - expected revision checks (`any`, `no_stream`, `stream_exists`, exact) with
 *    WrongExpectedVersion details (current and expected);
 *  - idempotence by event id *at a place in one stream*: re-appending ids that
 *    are stored consecutively where the expected revision points acknowledges
 *    the original write (its revision and position) and writes nothing; with
 *    `any`/`stream_exists` the first id is looked up in the stream. Content is
 *    NOT compared (EventStoreDB does not compare it), and ids are NOT unique
 *    across streams;
 *  - `$all` positions are sparse byte offsets (commit == prepare), so position
 *    arithmetic (`position - 1n`) does not name a record; reading or
 *    subscribing from a position that is not a record boundary fails, as a real
 *    transaction file cannot be read from the middle of a record;
 *  - `$all` read forwards from a position is inclusive, backwards exclusive;
 *    a catch-up subscription from a position starts after it;
 *  - system events (`$`-prefixed streams and types) live in `$all` from the start.
 *
 * Faults on demand: `dropSubscriptions()` ends every live subscription call with
 * UNAVAILABLE; `stop()` / `restart()` take the server down and up on the same
 * port, keeping the data.
 */
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import * as grpc from '@grpc/grpc-js';
import type * as StreamsPb from '@eventstore/db-client/generated/streams_pb.js';
import type * as StreamsGrpcPb from '@eventstore/db-client/generated/streams_grpc_pb.js';
import type * as SharedPb from '@eventstore/db-client/generated/shared_pb.js';
import type * as StatusPb from '@eventstore/db-client/generated/status_pb.js';
import type * as CodePb from '@eventstore/db-client/generated/code_pb.js';
import type * as ServerFeaturesPb from '@eventstore/db-client/generated/serverfeatures_pb.js';
import type * as ServerFeaturesGrpcPb from '@eventstore/db-client/generated/serverfeatures_grpc_pb.js';
import type * as AnyPb from 'google-protobuf/google/protobuf/any_pb.js';
import type * as EmptyPb from 'google-protobuf/google/protobuf/empty_pb.js';

// The generated modules are CommonJS. Resolve them (and google-protobuf) from the
// client package itself so the double uses exactly the modules the client uses.
const requireFromTest = createRequire(import.meta.url);
const requireFromClient = createRequire(
  requireFromTest.resolve('@eventstore/db-client/package.json'),
);
const streamsPb = requireFromClient('./generated/streams_pb.js') as typeof StreamsPb;
const streamsGrpcPb = requireFromClient('./generated/streams_grpc_pb.js') as typeof StreamsGrpcPb;
const sharedPb = requireFromClient('./generated/shared_pb.js') as typeof SharedPb;
const statusPb = requireFromClient('./generated/status_pb.js') as typeof StatusPb;
const codePb = requireFromClient('./generated/code_pb.js') as typeof CodePb;
const serverFeaturesPb = requireFromClient(
  './generated/serverfeatures_pb.js',
) as typeof ServerFeaturesPb;
const serverFeaturesGrpcPb = requireFromClient(
  './generated/serverfeatures_grpc_pb.js',
) as typeof ServerFeaturesGrpcPb;
const anyPb = requireFromClient('google-protobuf/google/protobuf/any_pb.js') as typeof AnyPb;
const emptyPb = requireFromClient('google-protobuf/google/protobuf/empty_pb.js') as typeof EmptyPb;

type ReadReq = StreamsPb.ReadReq;
type ReadResp = StreamsPb.ReadResp;
type AppendReq = StreamsPb.AppendReq;
type AppendResp = StreamsPb.AppendResp;
type BatchAppendReq = StreamsPb.BatchAppendReq;
type BatchAppendResp = StreamsPb.BatchAppendResp;

/** An event as the double stores it. */
export interface DoubleEvent {
  streamId: string;
  revision: bigint;
  /** Commit and prepare position in `$all` (equal: no explicit transactions). */
  position: bigint;
  id: string;
  type: string;
  contentType: string;
  data: Uint8Array;
  customMetadata: Uint8Array;
  /** .NET ticks (100 ns) since the Unix epoch, as the server reports `created`. */
  created: bigint;
}

export interface EsdbDoubleOptions {
  /**
   * Advertise BatchAppend through ServerFeatures (as servers since 21.10 do),
   * so the client appends through the BatchAppend stream. When false,
   * ServerFeatures answers UNIMPLEMENTED (a 20.x server) and the client falls
   * back to the unary-per-append `Append` call.
   */
  batchAppend?: boolean;
  /** Send CaughtUp when a subscription goes live (servers since 23.10). */
  caughtUp?: boolean;
  /** Events written to a subscription call before yielding the event loop while catching up. */
  catchUpChunk?: number;
}

type ExpectedRevision = 'any' | 'no_stream' | 'stream_exists' | bigint;

type AppendOutcome =
  | { kind: 'success'; revision: bigint; position: bigint }
  | { kind: 'wrong_expected_version'; current: bigint | null; expected: ExpectedRevision };

interface ProposedEvent {
  id: string;
  type: string;
  contentType: string;
  data: Uint8Array;
  customMetadata: Uint8Array;
}

interface Filter {
  on: 'stream' | 'type';
  matches(value: string): boolean;
}

interface LiveSubscription {
  call: grpc.ServerWritableStream<ReadReq, ReadResp>;
  /** Index into the log of the next event to send. */
  cursor: number;
  filter: Filter | null;
  caughtUp: boolean;
  pumping: boolean;
  closed: boolean;
}

const RECORD_OVERHEAD = 97n;
const FIRST_POSITION = 256n;
const TICKS_PER_MS = 10_000n;

export class EsdbDouble {
  private server: grpc.Server | null = null;
  private boundPort = 0;
  private readonly log: DoubleEvent[] = [];
  private readonly streams = new Map<string, DoubleEvent[]>();
  private nextPosition = FIRST_POSITION;
  private readonly subscriptions = new Set<LiveSubscription>();
  private subscriptionWaiters: Array<() => void> = [];
  private readonly options: Required<EsdbDoubleOptions>;
  /** Counters a test may assert on. */
  readonly stats = { appends: 0, batchAppends: 0, reads: 0, subscriptions: 0, drops: 0 };

  constructor(options: EsdbDoubleOptions = {}) {
    this.options = {
      batchAppend: options.batchAppend ?? true,
      caughtUp: options.caughtUp ?? true,
      catchUpChunk: options.catchUpChunk ?? 16,
    };
    // A fresh EventStoreDB writes system events before any user event.
    this.appendSystemEvent('$users', '$UserCreated', { LoginName: 'admin' });
    this.appendSystemEvent('$settings', '$settings', { $userStreamAcl: {}, $systemStreamAcl: {} });
  }

  static async start(options: EsdbDoubleOptions = {}): Promise<EsdbDouble> {
    const double = new EsdbDouble(options);
    await double.listen(0);
    return double;
  }

  get port(): number {
    return this.boundPort;
  }

  /** Single node, insecure: the client connects directly, without gossip. */
  get connectionString(): string {
    return `esdb://127.0.0.1:${this.boundPort}?tls=false`;
  }

  /** Every event in `$all` order, system events included. */
  get events(): readonly DoubleEvent[] {
    return this.log;
  }

  /** How many subscription calls are open right now. */
  get liveSubscriptions(): number {
    return this.subscriptions.size;
  }

  /** Resolves when a subscription call is open: at once if one is, else when the next one opens. */
  subscribed(): Promise<void> {
    if (this.subscriptions.size > 0) return Promise.resolve();
    return new Promise((resolve) => this.subscriptionWaiters.push(resolve));
  }

  /** Writes a system event (as the server does with `$statsCollected`, `$metadata`...). */
  appendSystemEvent(streamId: string, type: string, data: unknown): DoubleEvent {
    const outcome = this.append(streamId, 'any', [
      {
        id: randomUUID(),
        type,
        contentType: 'application/json',
        data: Buffer.from(JSON.stringify(data)),
        customMetadata: new Uint8Array(),
      },
    ]);
    if (outcome.kind !== 'success') throw new Error('unreachable');
    return this.log[this.log.length - 1]!;
  }

  /** Ends every open subscription call with UNAVAILABLE, as a server dropping its subscriptions. */
  dropSubscriptions(): number {
    const open = [...this.subscriptions];
    for (const subscription of open) {
      this.closeSubscription(subscription, {
        code: grpc.status.UNAVAILABLE,
        details: 'Subscription dropped by the test double',
      });
    }
    this.stats.drops += open.length;
    return open.length;
  }

  /** Takes the server down: every call is cut, new connections are refused. Data is kept. */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    for (const subscription of [...this.subscriptions]) this.forget(subscription);
    server.forceShutdown();
  }

  /** Brings the server back on the same port, with the same data. */
  async restart(): Promise<void> {
    if (this.server) return;
    await this.listen(this.boundPort);
  }

  async close(): Promise<void> {
    await this.stop();
  }

  // ---------------------------------------------------------------- server

  private async listen(port: number): Promise<void> {
    const server = new grpc.Server();
    server.addService(streamsGrpcPb.StreamsService, {
      read: (call: grpc.ServerWritableStream<ReadReq, ReadResp>) => this.onRead(call),
      append: (
        call: grpc.ServerReadableStream<AppendReq, AppendResp>,
        callback: grpc.sendUnaryData<AppendResp>,
      ) => this.onAppend(call, callback),
      batchAppend: (call: grpc.ServerDuplexStream<BatchAppendReq, BatchAppendResp>) =>
        this.onBatchAppend(call),
      delete: unimplemented,
      tombstone: unimplemented,
    });
    server.addService(serverFeaturesGrpcPb.ServerFeaturesService, {
      getSupportedMethods: (
        _call: grpc.ServerUnaryCall<SharedPb.Empty, ServerFeaturesPb.SupportedMethods>,
        callback: grpc.sendUnaryData<ServerFeaturesPb.SupportedMethods>,
      ) => this.onGetSupportedMethods(callback),
    });
    this.boundPort = await new Promise<number>((resolve, reject) =>
      server.bindAsync(
        `127.0.0.1:${port}`,
        grpc.ServerCredentials.createInsecure(),
        (error, bound) => (error ? reject(error) : resolve(bound)),
      ),
    );
    this.server = server;
  }

  private onGetSupportedMethods(callback: grpc.sendUnaryData<ServerFeaturesPb.SupportedMethods>) {
    if (!this.options.batchAppend) {
      callback({ code: grpc.status.UNIMPLEMENTED, details: 'Method not found' }, null);
      return;
    }
    const supported = new serverFeaturesPb.SupportedMethods();
    supported.setEventStoreServerVersion('23.10.0-test-double');
    const streamsService = 'event_store.client.streams.Streams';
    for (const name of ['Read', 'Append', 'BatchAppend']) {
      const method = new serverFeaturesPb.SupportedMethod();
      method.setServiceName(streamsService);
      method.setMethodName(name);
      supported.addMethods(method);
    }
    callback(null, supported);
  }

  // ---------------------------------------------------------------- append

  private onAppend(
    call: grpc.ServerReadableStream<AppendReq, AppendResp>,
    callback: grpc.sendUnaryData<AppendResp>,
  ): void {
    this.stats.appends += 1;
    let options: StreamsPb.AppendReq.Options | undefined;
    const proposed: ProposedEvent[] = [];
    let failed = false;
    call.on('data', (req: AppendReq) => {
      if (req.hasOptions()) options = req.getOptions();
      else if (req.hasProposedMessage()) proposed.push(toProposed(req.getProposedMessage()!));
    });
    call.on('error', () => (failed = true));
    call.on('end', () => {
      if (failed) return;
      if (!options) {
        callback({ code: grpc.status.INVALID_ARGUMENT, details: 'Options expected first' }, null);
        return;
      }
      const streamId = streamName(options.getStreamIdentifier());
      const expected = expectedFromAppend(options);
      const outcome = this.append(streamId, expected, proposed);
      const resp = new streamsPb.AppendResp();
      if (outcome.kind === 'success') {
        const success = new streamsPb.AppendResp.Success();
        success.setCurrentRevision(outcome.revision.toString());
        const position = new streamsPb.AppendResp.Position();
        position.setCommitPosition(outcome.position.toString());
        position.setPreparePosition(outcome.position.toString());
        success.setPosition(position);
        resp.setSuccess(success);
      } else {
        const wrong = new streamsPb.AppendResp.WrongExpectedVersion();
        if (outcome.current === null) wrong.setCurrentNoStream(new sharedPb.Empty());
        else wrong.setCurrentRevision(outcome.current.toString());
        const e = outcome.expected;
        if (e === 'any') wrong.setExpectedAny(new sharedPb.Empty());
        else if (e === 'no_stream') wrong.setExpectedNoStream(new sharedPb.Empty());
        else if (e === 'stream_exists') wrong.setExpectedStreamExists(new sharedPb.Empty());
        else wrong.setExpectedRevision(e.toString());
        resp.setWrongExpectedVersion(wrong);
      }
      callback(null, resp);
    });
  }

  private onBatchAppend(call: grpc.ServerDuplexStream<BatchAppendReq, BatchAppendResp>): void {
    const pending = new Map<
      string,
      { options: StreamsPb.BatchAppendReq.Options; events: ProposedEvent[] }
    >();
    call.on('data', (req: BatchAppendReq) => {
      const correlation = req.getCorrelationId();
      const key = correlation ? uuidString(correlation) : '';
      let entry = pending.get(key);
      if (!entry) {
        const options = req.getOptions();
        if (!options) {
          call.emit('error', {
            code: grpc.status.INVALID_ARGUMENT,
            details: 'BatchAppend: options expected on the first request of a correlation id',
          });
          return;
        }
        entry = { options, events: [] };
        pending.set(key, entry);
      }
      for (const message of req.getProposedMessagesList()) entry.events.push(toProposed(message));
      if (!req.getIsFinal()) return;
      pending.delete(key);
      this.stats.batchAppends += 1;

      const streamId = streamName(entry.options.getStreamIdentifier());
      const expected = expectedFromBatch(entry.options);
      const outcome = this.append(streamId, expected, entry.events);
      const resp = new streamsPb.BatchAppendResp();
      if (correlation) resp.setCorrelationId(correlation);
      resp.setStreamIdentifier(entry.options.getStreamIdentifier());
      if (expected === 'any') resp.setAny(new emptyPb.Empty());
      else if (expected === 'no_stream') resp.setNoStream(new emptyPb.Empty());
      else if (expected === 'stream_exists') resp.setStreamExists(new emptyPb.Empty());
      else resp.setStreamPosition(expected.toString());
      if (outcome.kind === 'success') {
        const success = new streamsPb.BatchAppendResp.Success();
        success.setCurrentRevision(outcome.revision.toString());
        const position = new sharedPb.AllStreamPosition();
        position.setCommitPosition(outcome.position.toString());
        position.setPreparePosition(outcome.position.toString());
        success.setPosition(position);
        resp.setSuccess(success);
      } else {
        const details = new sharedPb.WrongExpectedVersion();
        if (outcome.current === null) details.setCurrentNoStream(new emptyPb.Empty());
        else details.setCurrentStreamRevision(outcome.current.toString());
        const e = outcome.expected;
        if (e === 'any') details.setExpectedAny(new emptyPb.Empty());
        else if (e === 'no_stream') details.setExpectedNoStream(new emptyPb.Empty());
        else if (e === 'stream_exists') details.setExpectedStreamExists(new emptyPb.Empty());
        else details.setExpectedStreamPosition(e.toString());
        const any = new anyPb.Any();
        any.pack(details.serializeBinary(), 'event_store.client.WrongExpectedVersion');
        const status = new statusPb.Status();
        status.setCode(codePb.Code.FAILED_PRECONDITION);
        status.setMessage('WrongExpectedVersion');
        status.setDetails(any);
        resp.setError(status);
      }
      call.write(resp);
    });
    call.on('end', () => call.end());
    call.on('error', () => undefined);
  }

  /** The server's commit check and write: atomic, with EventStoreDB's idempotence. */
  private append(
    streamId: string,
    expected: ExpectedRevision,
    proposed: ProposedEvent[],
  ): AppendOutcome {
    const stream = this.streams.get(streamId) ?? [];
    const current = stream.length === 0 ? null : BigInt(stream.length - 1);

    const idempotent = this.idempotentAt(stream, expected, proposed);
    if (idempotent === 'corrupted') return { kind: 'wrong_expected_version', current, expected };
    if (idempotent)
      return { kind: 'success', revision: idempotent.revision, position: idempotent.position };

    const matches =
      expected === 'any' ||
      (expected === 'no_stream' && current === null) ||
      (expected === 'stream_exists' && current !== null) ||
      (typeof expected === 'bigint' && expected === current);
    if (!matches) return { kind: 'wrong_expected_version', current, expected };
    if (proposed.length === 0) {
      return { kind: 'success', revision: current ?? -1n, position: this.lastPosition() };
    }

    const created = BigInt(Date.now()) * TICKS_PER_MS;
    let revision = current === null ? 0n : current + 1n;
    for (const event of proposed) {
      const stored: DoubleEvent = {
        streamId,
        revision,
        position: this.nextPosition,
        ...event,
        created,
      };
      this.nextPosition +=
        RECORD_OVERHEAD + BigInt(event.data.length + event.customMetadata.length + streamId.length);
      stream.push(stored);
      this.log.push(stored);
      revision += 1n;
    }
    this.streams.set(streamId, stream);
    this.wakeSubscriptions();
    const last = stream[stream.length - 1]!;
    return { kind: 'success', revision: last.revision, position: last.position };
  }

  /**
   * EventStoreDB's idempotence: with an exact expected revision (or no_stream,
   * i.e. -1) behind the stream's end, the proposed ids must be exactly the
   * events that follow that revision; with any/stream_exists, the first id is
   * looked up in the stream and the rest must follow it. A partial match is
   * "corrupted idempotency", reported as a wrong expected version.
   */
  private idempotentAt(
    stream: DoubleEvent[],
    expected: ExpectedRevision,
    proposed: ProposedEvent[],
  ): DoubleEvent | 'corrupted' | null {
    if (proposed.length === 0) return null;
    let start: number;
    if (expected === 'any' || expected === 'stream_exists') {
      start = stream.findIndex((e) => e.id === proposed[0]!.id);
      if (start < 0) return null;
    } else {
      start = expected === 'no_stream' ? 0 : Number(expected) + 1;
      if (start >= stream.length) return null;
      if (stream[start]!.id !== proposed[0]!.id) return null;
    }
    for (let i = 0; i < proposed.length; i++) {
      if (stream[start + i]?.id !== proposed[i]!.id) return 'corrupted';
    }
    return stream[start + proposed.length - 1]!;
  }

  private lastPosition(): bigint {
    return this.log[this.log.length - 1]?.position ?? 0n;
  }

  // ---------------------------------------------------------------- read

  private onRead(call: grpc.ServerWritableStream<ReadReq, ReadResp>): void {
    const options = call.request.getOptions();
    if (!options) {
      call.emit('error', { code: grpc.status.INVALID_ARGUMENT, details: 'Options expected' });
      return;
    }
    if (options.hasSubscription()) {
      if (!options.hasAll()) {
        call.emit('error', {
          code: grpc.status.UNIMPLEMENTED,
          details: 'The test double subscribes to $all only',
        });
        return;
      }
      this.subscribeToAll(call, options);
      return;
    }
    this.stats.reads += 1;
    const count = Number(BigInt(options.getCount() || '0'));
    const backwards =
      options.getReadDirection() === streamsPb.ReadReq.Options.ReadDirection.BACKWARDS;
    let events: DoubleEvent[];
    if (options.hasStream()) {
      const streamOptions = options.getStream()!;
      const name = streamName(streamOptions.getStreamIdentifier());
      const stream = this.streams.get(name);
      if (!stream) {
        const resp = new streamsPb.ReadResp();
        const notFound = new streamsPb.ReadResp.StreamNotFound();
        notFound.setStreamIdentifier(streamOptions.getStreamIdentifier());
        resp.setStreamNotFound(notFound);
        call.write(resp);
        call.end();
        return;
      }
      events = readStreamSlice(stream, streamOptions, backwards, count);
    } else if (options.hasAll()) {
      const start = this.startIndex(options.getAll()!, backwards);
      if (start === 'invalid') {
        invalidPosition(call);
        return;
      }
      const filter = toFilter(options);
      events = [];
      const step = backwards ? -1 : 1;
      for (let i = start; i >= 0 && i < this.log.length && events.length < count; i += step) {
        const event = this.log[i]!;
        if (!filter || passes(filter, event)) events.push(event);
      }
    } else {
      call.emit('error', {
        code: grpc.status.INVALID_ARGUMENT,
        details: 'Stream or $all expected',
      });
      return;
    }
    for (const event of events) call.write(readEventResp(event, options.hasAll()));
    call.end();
  }

  /**
   * Index of the first `$all` record to read. Forwards from a position is
   * inclusive, backwards exclusive (the records before that position).
   */
  private startIndex(
    all: StreamsPb.ReadReq.Options.AllOptions,
    backwards: boolean,
  ): number | 'invalid' {
    if (all.hasStart()) return backwards ? -1 : 0;
    if (all.hasEnd()) return backwards ? this.log.length - 1 : this.log.length;
    const position = all.getPosition()!;
    const commit = BigInt(position.getCommitPosition());
    const prepare = BigInt(position.getPreparePosition());
    if (commit !== prepare) return 'invalid';
    const index = this.indexOfPosition(commit);
    if (index === null) return 'invalid';
    return backwards ? index - 1 : index;
  }

  /** Index of the record at `position`, the log's length at its end, null when no record starts there. */
  private indexOfPosition(position: bigint): number | null {
    if (position === this.nextPosition) return this.log.length;
    if (position === 0n) return 0;
    let lo = 0;
    let hi = this.log.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const at = this.log[mid]!.position;
      if (at === position) return mid;
      if (at < position) lo = mid + 1;
      else hi = mid - 1;
    }
    return null;
  }

  // ---------------------------------------------------------------- subscriptions

  private subscribeToAll(
    call: grpc.ServerWritableStream<ReadReq, ReadResp>,
    options: StreamsPb.ReadReq.Options,
  ): void {
    const all = options.getAll()!;
    let cursor: number;
    if (all.hasStart()) cursor = 0;
    else if (all.hasEnd()) cursor = this.log.length;
    else {
      const start = this.startIndex(all, false);
      if (start === 'invalid') {
        invalidPosition(call);
        return;
      }
      // A subscription from a position delivers what comes after it.
      cursor = Math.min(start + 1, this.log.length);
    }
    this.stats.subscriptions += 1;
    const subscription: LiveSubscription = {
      call,
      cursor,
      filter: toFilter(options),
      caughtUp: false,
      pumping: false,
      closed: false,
    };
    this.subscriptions.add(subscription);
    call.on('cancelled', () => this.forget(subscription));
    call.on('error', () => this.forget(subscription));
    call.on('close', () => this.forget(subscription));

    const confirmation = new streamsPb.ReadResp();
    const confirmed = new streamsPb.ReadResp.SubscriptionConfirmation();
    confirmed.setSubscriptionId(randomUUID());
    confirmation.setConfirmation(confirmed);
    call.write(confirmation);
    for (const wake of this.subscriptionWaiters.splice(0)) wake();
    this.pump(subscription);
  }

  private wakeSubscriptions(): void {
    for (const subscription of this.subscriptions) this.pump(subscription);
  }

  /**
   * Sends what the subscription has not seen, in `$all` order, in chunks that
   * yield to the event loop while catching up (so appends interleave with the
   * catch-up, as on a real server), respecting the call's backpressure.
   */
  private pump(subscription: LiveSubscription): void {
    if (subscription.pumping || subscription.closed) return;
    subscription.pumping = true;
    const { call } = subscription;
    let sent = 0;
    while (subscription.cursor < this.log.length) {
      if (sent >= this.options.catchUpChunk && !subscription.caughtUp) {
        setImmediate(() => this.resume(subscription));
        return;
      }
      const event = this.log[subscription.cursor]!;
      subscription.cursor += 1;
      if (subscription.filter && !passes(subscription.filter, event)) continue;
      sent += 1;
      if (!call.write(readEventResp(event, true))) {
        call.once('drain', () => this.resume(subscription));
        return;
      }
    }
    if (!subscription.caughtUp) {
      subscription.caughtUp = true;
      if (this.options.caughtUp) {
        const resp = new streamsPb.ReadResp();
        resp.setCaughtUp(new streamsPb.ReadResp.CaughtUp());
        call.write(resp);
      }
    }
    subscription.pumping = false;
  }

  private resume(subscription: LiveSubscription): void {
    subscription.pumping = false;
    this.pump(subscription);
  }

  private closeSubscription(
    subscription: LiveSubscription,
    status: grpc.StatusObject | Partial<grpc.StatusObject>,
  ) {
    if (subscription.closed) return;
    this.forget(subscription);
    subscription.call.emit('error', status);
  }

  private forget(subscription: LiveSubscription): void {
    subscription.closed = true;
    this.subscriptions.delete(subscription);
  }
}

// ---------------------------------------------------------------- helpers

function unimplemented(_call: unknown, callback: grpc.sendUnaryData<never>): void {
  callback(
    { code: grpc.status.UNIMPLEMENTED, details: 'Not implemented by the test double' },
    null,
  );
}

function invalidPosition(call: grpc.ServerWritableStream<ReadReq, ReadResp>): void {
  call.emit('error', {
    code: grpc.status.INVALID_ARGUMENT,
    details: 'Invalid position: no record starts at the requested $all position',
  });
}

function streamName(identifier: SharedPb.StreamIdentifier | undefined): string {
  return Buffer.from(identifier?.getStreamName_asU8() ?? new Uint8Array()).toString('utf8');
}

function uuidString(uuid: SharedPb.UUID): string {
  if (uuid.hasStructured()) {
    const structured = uuid.getStructured()!;
    const bytes = Buffer.alloc(16);
    bytes.writeBigUInt64BE(BigInt.asUintN(64, BigInt(structured.getMostSignificantBits())), 0);
    bytes.writeBigUInt64BE(BigInt.asUintN(64, BigInt(structured.getLeastSignificantBits())), 8);
    const hex = bytes.toString('hex');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }
  return uuid.getString().toLowerCase();
}

function toProposed(
  message: StreamsPb.AppendReq.ProposedMessage | StreamsPb.BatchAppendReq.ProposedMessage,
): ProposedEvent {
  const metadata = message.getMetadataMap();
  const id = message.getId();
  return {
    id: id ? uuidString(id) : randomUUID(),
    type: metadata.get('type') ?? '',
    contentType: metadata.get('content-type') ?? 'application/octet-stream',
    data: message.getData_asU8(),
    customMetadata: message.getCustomMetadata_asU8(),
  };
}

function expectedFromAppend(options: StreamsPb.AppendReq.Options): ExpectedRevision {
  if (options.hasNoStream()) return 'no_stream';
  if (options.hasStreamExists()) return 'stream_exists';
  if (options.hasRevision()) return BigInt(options.getRevision());
  return 'any';
}

function expectedFromBatch(options: StreamsPb.BatchAppendReq.Options): ExpectedRevision {
  if (options.hasNoStream()) return 'no_stream';
  if (options.hasStreamExists()) return 'stream_exists';
  if (options.hasStreamPosition()) return BigInt(options.getStreamPosition());
  return 'any';
}

function readStreamSlice(
  stream: DoubleEvent[],
  options: StreamsPb.ReadReq.Options.StreamOptions,
  backwards: boolean,
  count: number,
): DoubleEvent[] {
  const last = stream.length - 1;
  let from: number;
  if (options.hasStart()) from = backwards ? -1 : 0;
  else if (options.hasEnd()) from = backwards ? last : stream.length;
  else {
    const revision = BigInt(options.getRevision());
    from = backwards ? Number(revision > BigInt(last) ? BigInt(last) : revision) : Number(revision);
  }
  const out: DoubleEvent[] = [];
  const step = backwards ? -1 : 1;
  for (let i = from; i >= 0 && i <= last && out.length < count; i += step) out.push(stream[i]!);
  return out;
}

function toFilter(options: StreamsPb.ReadReq.Options): Filter | null {
  if (!options.hasFilter()) return null;
  const filter = options.getFilter()!;
  const on = filter.hasStreamIdentifier() ? 'stream' : 'type';
  const expression = filter.hasStreamIdentifier()
    ? filter.getStreamIdentifier()!
    : filter.getEventType()!;
  const regex = expression.getRegex();
  const prefixes = expression.getPrefixList();
  if (regex) {
    const pattern = new RegExp(regex);
    return { on, matches: (value) => pattern.test(value) };
  }
  return { on, matches: (value) => prefixes.some((prefix) => value.startsWith(prefix)) };
}

function passes(filter: Filter, event: DoubleEvent): boolean {
  return filter.matches(filter.on === 'stream' ? event.streamId : event.type);
}

function readEventResp(event: DoubleEvent, fromAll: boolean): ReadResp {
  const recorded = new streamsPb.ReadResp.ReadEvent.RecordedEvent();
  const id = new sharedPb.UUID();
  id.setString(event.id);
  recorded.setId(id);
  const identifier = new sharedPb.StreamIdentifier();
  identifier.setStreamName(Buffer.from(event.streamId, 'utf8'));
  recorded.setStreamIdentifier(identifier);
  recorded.setStreamRevision(event.revision.toString());
  recorded.setCommitPosition(event.position.toString());
  recorded.setPreparePosition(event.position.toString());
  const metadata = recorded.getMetadataMap();
  metadata.set('type', event.type);
  metadata.set('content-type', event.contentType);
  metadata.set('created', event.created.toString());
  recorded.setCustomMetadata(event.customMetadata);
  recorded.setData(event.data);

  const readEvent = new streamsPb.ReadResp.ReadEvent();
  readEvent.setEvent(recorded);
  if (fromAll) readEvent.setCommitPosition(event.position.toString());
  else readEvent.setNoPosition(new sharedPb.Empty());
  const resp = new streamsPb.ReadResp();
  resp.setEvent(readEvent);
  return resp;
}
