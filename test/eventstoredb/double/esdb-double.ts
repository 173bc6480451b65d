/**
 * A wire-level EventStoreDB test double: a gRPC server that speaks the part of
 * EventStoreDB's API that the EventStoreDB adapter and peer libraries (through
 * `@eventstore/db-client`) use, built from the client package's own generated
 * service definitions and message classes, so every byte on the wire is what
 * the real client sends and expects.
 *
 * It is a test fixture, in memory, never the product's store. One `EsdbDouble`
 * is one node; it serves an {@link EsdbLog} (the write and visibility rules:
 * expected revisions, idempotence, soft delete, tombstones, `$maxCount` /
 * `$tb` / `$maxAge`), which the nodes of an {@link EsdbCluster} share. The node
 * adds what is about the wire and the cluster:
 *  - `Streams.Read` (stream and `$all`, filters), catch-up subscriptions to
 *    `$all` and to a stream (confirmation first, history, `CaughtUp`, live;
 *    filtered `$all` subscriptions send checkpoints every `max window ×
 *    checkpointIntervalMultiplier` records scanned), `Append`, `BatchAppend`,
 *    `Delete`, `Tombstone`, `ServerFeatures`, `Gossip.Read`;
 *  - errors as the server sends them (trailers `exception`, `stream-name`,
 *    `leader-endpoint-host/port`, `maximum-append-size`…), which the client
 *    turns into its typed errors;
 *  - `MaxAppendSize` (1 MiB by default): a larger append is refused;
 *  - a follower serves reads, forwards writes to the leader (the shared log),
 *    and answers any call made with `requires-leader: true` with NotLeader
 *    (NOT_FOUND, `exception: not-leader`, the leader's endpoint), on which the
 *    client reconnects to that endpoint.
 *
 * `$all` positions are sparse byte offsets (commit == prepare), so position
 * arithmetic (`position - 1n`) does not name a record; reading or subscribing
 * from a position that is not a record boundary fails, as a real transaction
 * file cannot be read from the middle of a record. `$all` read forwards from a
 * position is inclusive, backwards exclusive; a catch-up subscription from a
 * position starts after it.
 *
 * Faults on demand: `dropSubscriptions()` ends every live subscription call with
 * UNAVAILABLE; `stop()` / `restart()` take the server down and up on the same
 * port, keeping the data; `crashAfterNextCommit()` commits the next append
 * and dies before answering it (the outcome is unknown to the client).
 */
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import * as grpc from '@grpc/grpc-js';
import type * as StreamsPb from '@eventstore/db-client/generated/streams_pb.js';
import type * as StreamsGrpcPb from '@eventstore/db-client/generated/streams_grpc_pb.js';
import type * as SharedPb from '@eventstore/db-client/generated/shared_pb.js';
import type * as StatusPb from '@eventstore/db-client/generated/status_pb.js';
import type * as CodePb from '@eventstore/db-client/generated/code_pb.js';
import type * as GossipPb from '@eventstore/db-client/generated/gossip_pb.js';
import type * as GossipGrpcPb from '@eventstore/db-client/generated/gossip_grpc_pb.js';
import type * as ServerFeaturesPb from '@eventstore/db-client/generated/serverfeatures_pb.js';
import type * as ServerFeaturesGrpcPb from '@eventstore/db-client/generated/serverfeatures_grpc_pb.js';
import type * as AnyPb from 'google-protobuf/google/protobuf/any_pb.js';
import type * as EmptyPb from 'google-protobuf/google/protobuf/empty_pb.js';
import {
  DELETED_STREAM_REVISION,
  EsdbLog,
  type DoubleEvent,
  type ExpectedRevision,
  type ProposedEvent,
  type WriteOutcome,
} from './esdb-log.js';

export { EsdbLog, DELETED_STREAM_REVISION, type DoubleEvent } from './esdb-log.js';

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
const gossipPb = requireFromClient('./generated/gossip_pb.js') as typeof GossipPb;
const gossipGrpcPb = requireFromClient('./generated/gossip_grpc_pb.js') as typeof GossipGrpcPb;
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
type ServiceError = Partial<grpc.StatusObject>;

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
  /** The server's `MaxAppendSize`: bytes of data, metadata and type an append may carry (1 MiB). */
  maxAppendSize?: number;
}

/** What a node needs to know of its cluster (a lone node is its own cluster, and leader). */
export interface ClusterView {
  isLeader(node: EsdbDouble): boolean;
  leader(): EsdbDouble | null;
  members(): readonly EsdbDouble[];
  nodeStopped(node: EsdbDouble): void;
  /** Told each time a node answers NotReady (no leader: an election is on). */
  answeredNotReady?(node: EsdbDouble): void;
}

interface Filter {
  on: 'stream' | 'type';
  matches(value: string): boolean;
}

interface LiveSubscription {
  call: grpc.ServerWritableStream<ReadReq, ReadResp>;
  /** Index into the log of the next record to look at. */
  cursor: number;
  /** `$all` (with an optional filter) or one stream, after a revision. */
  stream: { name: string; after: bigint | null } | null;
  filter: Filter | null;
  /** Records scanned between two checkpoints (filtered `$all` only), 0 for none. */
  checkpointInterval: number;
  scanned: number;
  caughtUp: boolean;
  pumping: boolean;
  closed: boolean;
}

export const DEFAULT_MAX_APPEND_SIZE = 1_048_576;
/** The window of a filtered read when the client asks for `count` (EventStoreDB's gRPC default). */
const DEFAULT_MAX_SEARCH_WINDOW = 32;
const EXPECTED_ANY = -2n;
const EXPECTED_NO_STREAM = -1n;
const EXPECTED_STREAM_EXISTS = -4n;
const VNodeState = () => gossipPb.MemberInfo.VNodeState;

export class EsdbDouble {
  private server: grpc.Server | null = null;
  private boundPort = 0;
  private readonly subscriptions = new Set<LiveSubscription>();
  private subscriptionWaiters: Array<() => void> = [];
  private readonly options: Required<EsdbDoubleOptions>;
  private readonly cluster: ClusterView;
  private crashWaiter: (() => void) | null = null;
  /** Fails a streaming call in progress when the node goes away. */
  private readonly openCalls = new Set<(status: ServiceError) => void>();
  /** This node's id in gossip. */
  readonly instanceId = randomUUID();
  /** Counters a test may assert on. */
  readonly stats = {
    appends: 0,
    batchAppends: 0,
    reads: 0,
    subscriptions: 0,
    drops: 0,
    deletes: 0,
    tombstones: 0,
    gossip: 0,
    notLeader: 0,
    notReady: 0,
    oversized: 0,
  };

  constructor(
    options: EsdbDoubleOptions = {},
    readonly log: EsdbLog = new EsdbLog(),
    cluster?: ClusterView,
  ) {
    this.options = {
      batchAppend: options.batchAppend ?? true,
      caughtUp: options.caughtUp ?? true,
      catchUpChunk: options.catchUpChunk ?? 16,
      maxAppendSize: options.maxAppendSize ?? DEFAULT_MAX_APPEND_SIZE,
    };
    this.cluster = cluster ?? {
      isLeader: () => true,
      leader: () => this,
      members: () => [this],
      nodeStopped: () => undefined,
    };
    log.onWritten(() => this.wakeSubscriptions());
  }

  static async start(options: EsdbDoubleOptions = {}): Promise<EsdbDouble> {
    const double = new EsdbDouble(options);
    await double.listen(0);
    return double;
  }

  get port(): number {
    return this.boundPort;
  }

  /** Whether the server is up. */
  get running(): boolean {
    return this.server !== null;
  }

  get isLeader(): boolean {
    return this.cluster.isLeader(this);
  }

  /** Single node, insecure: the client connects directly, without gossip. */
  get connectionString(): string {
    return `esdb://127.0.0.1:${this.boundPort}?tls=false`;
  }

  /** Every record in `$all` order, system events included. */
  get events(): readonly DoubleEvent[] {
    return this.log.events;
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
    return this.log.appendSystemEvent(streamId, type, data);
  }

  /** Ends every open subscription call with UNAVAILABLE, as a server dropping its subscriptions. */
  dropSubscriptions(details = 'Subscription dropped by the test double'): number {
    const open = [...this.subscriptions];
    for (const subscription of open) {
      this.closeSubscription(subscription, { code: grpc.status.UNAVAILABLE, details });
    }
    this.stats.drops += open.length;
    return open.length;
  }

  /**
   * The next append this node commits is written to the log, and the node dies
   * before answering it: the client sees the connection go, not the outcome.
   * Resolves once the node is down.
   */
  crashAfterNextCommit(): Promise<void> {
    return new Promise((resolve) => (this.crashWaiter = resolve));
  }

  /**
   * Takes the server down as a dying process would: calls in progress fail
   * with UNAVAILABLE (a connection reset, to the client), new connections are
   * refused. Data is kept.
   */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    this.cluster.nodeStopped(this);
    const dropped: ServiceError = { code: grpc.status.UNAVAILABLE, details: 'Connection dropped' };
    for (const subscription of [...this.subscriptions])
      this.closeSubscription(subscription, dropped);
    for (const fail of [...this.openCalls]) fail(dropped);
    this.openCalls.clear();
    // Those statuses must reach the wire before the connections go: close
    // gracefully (nothing is in flight any more), and force it if a client lingers.
    await new Promise<void>((resolve) => {
      const force = setTimeout(() => {
        server.forceShutdown();
        resolve();
      }, 250);
      server.tryShutdown(() => {
        clearTimeout(force);
        resolve();
      });
    });
  }

  /** Brings the server back on the same port (a new one the first time), with the same data. */
  async restart(): Promise<void> {
    if (this.server) return;
    await this.listen(this.boundPort);
  }

  async close(): Promise<void> {
    await this.stop();
  }

  // ---------------------------------------------------------------- server

  private async listen(port: number): Promise<void> {
    const server = new grpc.Server({
      // Let the append-size rule, not the transport's 4 MiB default, answer large appends.
      'grpc.max_receive_message_length': 64 * 1024 * 1024,
    });
    server.addService(streamsGrpcPb.StreamsService, {
      read: (call: grpc.ServerWritableStream<ReadReq, ReadResp>) => this.onRead(call),
      append: (
        call: grpc.ServerReadableStream<AppendReq, AppendResp>,
        callback: grpc.sendUnaryData<AppendResp>,
      ) => this.onAppend(call, callback),
      batchAppend: (call: grpc.ServerDuplexStream<BatchAppendReq, BatchAppendResp>) =>
        this.onBatchAppend(call),
      delete: (
        call: grpc.ServerUnaryCall<StreamsPb.DeleteReq, StreamsPb.DeleteResp>,
        callback: grpc.sendUnaryData<StreamsPb.DeleteResp>,
      ) => this.onDelete(call, callback),
      tombstone: (
        call: grpc.ServerUnaryCall<StreamsPb.TombstoneReq, StreamsPb.TombstoneResp>,
        callback: grpc.sendUnaryData<StreamsPb.TombstoneResp>,
      ) => this.onTombstone(call, callback),
    });
    server.addService(serverFeaturesGrpcPb.ServerFeaturesService, {
      getSupportedMethods: (
        _call: grpc.ServerUnaryCall<SharedPb.Empty, ServerFeaturesPb.SupportedMethods>,
        callback: grpc.sendUnaryData<ServerFeaturesPb.SupportedMethods>,
      ) => this.onGetSupportedMethods(callback),
    });
    server.addService(gossipGrpcPb.GossipService, {
      read: (
        _call: grpc.ServerUnaryCall<SharedPb.Empty, GossipPb.ClusterInfo>,
        callback: grpc.sendUnaryData<GossipPb.ClusterInfo>,
      ) => this.onGossip(callback),
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
    for (const name of ['Read', 'Append', 'BatchAppend', 'Delete', 'Tombstone']) {
      const method = new serverFeaturesPb.SupportedMethod();
      method.setServiceName(streamsService);
      method.setMethodName(name);
      supported.addMethods(method);
    }
    callback(null, supported);
  }

  /** The members as this node sees them: itself and its peers, alive or not, leader or follower. */
  private onGossip(callback: grpc.sendUnaryData<GossipPb.ClusterInfo>): void {
    this.stats.gossip += 1;
    const info = new gossipPb.ClusterInfo();
    const now = (BigInt(Date.now()) * 10_000n).toString();
    for (const node of this.cluster.members()) {
      const member = new gossipPb.MemberInfo();
      const id = new sharedPb.UUID();
      id.setString(node.instanceId);
      member.setInstanceId(id);
      member.setTimeStamp(now);
      member.setIsAlive(node.running);
      member.setState(
        !node.running
          ? VNodeState().SHUTDOWN
          : node.isLeader
            ? VNodeState().LEADER
            : this.cluster.leader()
              ? VNodeState().FOLLOWER
              : VNodeState().UNKNOWN, // electing: no node a client may use
      );
      const endpoint = new gossipPb.EndPoint();
      endpoint.setAddress('127.0.0.1');
      endpoint.setPort(node.port);
      member.setHttpEndPoint(endpoint);
      info.addMembers(member);
    }
    callback(null, info);
  }

  /**
   * Why this node will not serve a call now, as the server says it: NotReady
   * (UNAVAILABLE "Server Is Not Ready") while the cluster has no leader, and
   * NotLeader for a call that requires the leader when this node is not it.
   */
  private leaderRequired(metadata: grpc.Metadata): ServiceError | null {
    if (this.electing()) return { code: grpc.status.UNAVAILABLE, details: 'Server Is Not Ready' };
    if (metadata.get('requires-leader')[0] !== 'true' || this.isLeader) return null;
    this.stats.notLeader += 1;
    const leader = this.cluster.leader()!;
    const trailers = new grpc.Metadata();
    trailers.set('exception', 'not-leader');
    trailers.set('leader-endpoint-host', '127.0.0.1');
    trailers.set('leader-endpoint-port', String(leader.port));
    return { code: grpc.status.NOT_FOUND, details: 'Leader info available', metadata: trailers };
  }

  /** Whether the cluster has no leader (an election is on): counts a NotReady answer. */
  private electing(): boolean {
    if (this.cluster.leader()) return false;
    this.stats.notReady += 1;
    this.cluster.answeredNotReady?.(this);
    return true;
  }

  // ---------------------------------------------------------------- append

  private onAppend(
    call: grpc.ServerReadableStream<AppendReq, AppendResp>,
    callback: grpc.sendUnaryData<AppendResp>,
  ): void {
    this.stats.appends += 1;
    let options: StreamsPb.AppendReq.Options | undefined;
    const proposed: ProposedEvent[] = [];
    let size = 0;
    let failed = false;
    call.on('data', (req: AppendReq) => {
      if (failed) return;
      if (req.hasOptions()) options = req.getOptions();
      else if (req.hasProposedMessage()) {
        const event = toProposed(req.getProposedMessage()!);
        proposed.push(event);
        size += sizeOnDisk(event);
        if (size > this.options.maxAppendSize) {
          failed = true;
          this.stats.oversized += 1;
          callback(maxAppendSizeExceeded(this.options.maxAppendSize), null);
        }
      }
    });
    call.on('error', () => (failed = true));
    call.on('end', () => {
      if (failed) return;
      if (!options) {
        callback({ code: grpc.status.INVALID_ARGUMENT, details: 'Options expected first' }, null);
        return;
      }
      const notLeader = this.leaderRequired(call.metadata);
      if (notLeader) {
        callback(notLeader, null);
        return;
      }
      const streamId = streamName(options.getStreamIdentifier());
      const expected = expectedFromAppend(options);
      const outcome = this.log.append(streamId, expected, proposed);
      if (this.crashIfAsked(outcome)) {
        callback({ code: grpc.status.UNAVAILABLE, details: 'Connection dropped' }, null);
        return;
      }
      if (outcome.kind === 'stream_deleted') {
        callback(streamDeleted(streamId), null);
        return;
      }
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
      { options: StreamsPb.BatchAppendReq.Options; events: ProposedEvent[]; size: number }
    >();
    /** Correlations refused for their size: later chunks of theirs are ignored, as the server does. */
    const refused = new Set<string>();
    let ended = false;
    const fail = (status: ServiceError) => {
      if (ended) return;
      ended = true;
      call.emit('error', status);
    };
    this.openCalls.add(fail);
    call.on('close', () => this.openCalls.delete(fail));
    call.on('data', (req: BatchAppendReq) => {
      if (ended) return;
      const correlation = req.getCorrelationId();
      const key = correlation ? uuidString(correlation) : '';
      if (refused.has(key)) {
        if (req.getIsFinal()) refused.delete(key);
        return;
      }
      let entry = pending.get(key);
      if (!entry) {
        const options = req.getOptions();
        if (!options) {
          ended = true;
          call.emit('error', {
            code: grpc.status.INVALID_ARGUMENT,
            details: 'BatchAppend: options expected on the first request of a correlation id',
          });
          return;
        }
        entry = { options, events: [], size: 0 };
        pending.set(key, entry);
      }
      for (const message of req.getProposedMessagesList()) {
        const event = toProposed(message);
        entry.events.push(event);
        entry.size += sizeOnDisk(event);
      }
      const resp = new streamsPb.BatchAppendResp();
      if (correlation) resp.setCorrelationId(correlation);
      resp.setStreamIdentifier(entry.options.getStreamIdentifier());
      if (entry.size > this.options.maxAppendSize) {
        pending.delete(key);
        if (!req.getIsFinal()) refused.add(key);
        this.stats.oversized += 1;
        const details = new sharedPb.MaximumAppendSizeExceeded();
        details.setMaxappendsize(this.options.maxAppendSize);
        resp.setError(
          rpcStatus(
            codePb.Code.INVALID_ARGUMENT,
            `Maximum Append Size of ${this.options.maxAppendSize} Exceeded.`,
            details.serializeBinary(),
            'event_store.client.MaximumAppendSizeExceeded',
          ),
        );
        call.write(resp);
        return;
      }
      if (!req.getIsFinal()) return;
      pending.delete(key);
      this.stats.batchAppends += 1;

      // Not ready: the server answers this append with a status whose details are
      // an Empty (the client reports "Could not recognize Server Is Not Ready").
      if (this.electing()) {
        resp.setError(
          rpcStatus(
            0,
            'Server Is Not Ready',
            new emptyPb.Empty().serializeBinary(),
            'google.protobuf.Empty',
          ),
        );
        call.write(resp);
        return;
      }
      // The server fails the whole call with NotLeader (its trailers name the leader).
      const notLeader = this.leaderRequired(call.metadata);
      if (notLeader) {
        ended = true;
        call.emit('error', notLeader);
        return;
      }
      const streamId = streamName(entry.options.getStreamIdentifier());
      const expected = expectedFromBatch(entry.options);
      const outcome = this.log.append(streamId, expected, entry.events);
      if (this.crashIfAsked(outcome)) return;
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
      } else if (outcome.kind === 'stream_deleted') {
        const details = new sharedPb.StreamDeleted();
        details.setStreamIdentifier(entry.options.getStreamIdentifier());
        resp.setError(
          rpcStatus(
            codePb.Code.FAILED_PRECONDITION,
            `Event stream '${streamId}' is deleted.`,
            details.serializeBinary(),
            'event_store.client.StreamDeleted',
          ),
        );
      } else {
        const details = new sharedPb.WrongExpectedVersion();
        if (outcome.current === null) details.setCurrentNoStream(new emptyPb.Empty());
        else details.setCurrentStreamRevision(outcome.current.toString());
        const e = outcome.expected;
        if (e === 'any') details.setExpectedAny(new emptyPb.Empty());
        else if (e === 'no_stream') details.setExpectedNoStream(new emptyPb.Empty());
        else if (e === 'stream_exists') details.setExpectedStreamExists(new emptyPb.Empty());
        else details.setExpectedStreamPosition(e.toString());
        resp.setError(
          rpcStatus(
            codePb.Code.FAILED_PRECONDITION,
            'WrongExpectedVersion',
            details.serializeBinary(),
            'event_store.client.WrongExpectedVersion',
          ),
        );
      }
      call.write(resp);
    });
    call.on('end', () => {
      if (!ended) call.end();
    });
    call.on('error', () => undefined);
  }

  /** After a commit, dies without answering when a test asked for it. */
  private crashIfAsked(outcome: WriteOutcome): boolean {
    const waiter = this.crashWaiter;
    if (!waiter || outcome.kind !== 'success') return false;
    this.crashWaiter = null;
    void this.stop().then(waiter);
    return true;
  }

  // ---------------------------------------------------------------- delete

  private onDelete(
    call: grpc.ServerUnaryCall<StreamsPb.DeleteReq, StreamsPb.DeleteResp>,
    callback: grpc.sendUnaryData<StreamsPb.DeleteResp>,
  ): void {
    this.stats.deletes += 1;
    this.removeStream('Delete', call.request.getOptions(), call.metadata, callback, (position) => {
      const resp = new streamsPb.DeleteResp();
      resp.setPosition(commitPosition(new streamsPb.DeleteResp.Position(), position));
      return resp;
    });
  }

  private onTombstone(
    call: grpc.ServerUnaryCall<StreamsPb.TombstoneReq, StreamsPb.TombstoneResp>,
    callback: grpc.sendUnaryData<StreamsPb.TombstoneResp>,
  ): void {
    this.stats.tombstones += 1;
    this.removeStream(
      'Tombstone',
      call.request.getOptions(),
      call.metadata,
      callback,
      (position) => {
        const resp = new streamsPb.TombstoneResp();
        resp.setPosition(commitPosition(new streamsPb.TombstoneResp.Position(), position));
        return resp;
      },
    );
  }

  /** Delete (soft) or Tombstone (hard): on the leader only, at the expected revision. */
  private removeStream<R>(
    kind: 'Delete' | 'Tombstone',
    options: StreamsPb.DeleteReq.Options | StreamsPb.TombstoneReq.Options | undefined,
    metadata: grpc.Metadata,
    callback: grpc.sendUnaryData<R>,
    answer: (position: bigint) => R,
  ): void {
    const notLeader = this.leaderRequired(metadata);
    if (notLeader || !options) {
      callback(notLeader ?? { code: grpc.status.INVALID_ARGUMENT, details: 'Options expected' });
      return;
    }
    const streamId = streamName(options.getStreamIdentifier());
    const expected = expectedFromDelete(options);
    const outcome =
      kind === 'Delete'
        ? this.log.deleteStream(streamId, expected)
        : this.log.tombstone(streamId, expected);
    if (outcome.kind !== 'success') {
      callback(writeFailure(kind, streamId, outcome));
      return;
    }
    callback(null, answer(outcome.position));
  }

  // ---------------------------------------------------------------- read

  private onRead(call: grpc.ServerWritableStream<ReadReq, ReadResp>): void {
    const options = call.request.getOptions();
    if (!options) {
      call.emit('error', { code: grpc.status.INVALID_ARGUMENT, details: 'Options expected' });
      return;
    }
    const notLeader = this.leaderRequired(call.metadata);
    if (notLeader) {
      call.emit('error', notLeader);
      return;
    }
    if (options.hasSubscription()) {
      if (options.hasAll()) this.subscribeToAll(call, options);
      else if (options.hasStream()) this.subscribeToStream(call, options.getStream()!);
      else call.emit('error', { code: grpc.status.INVALID_ARGUMENT, details: 'Stream or $all' });
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
      if (this.log.isTombstoned(name)) {
        call.emit('error', streamDeleted(name));
        return;
      }
      const stream = this.log.readable(name);
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
      const log = this.log.events;
      for (let i = start; i >= 0 && i < log.length && events.length < count; i += step) {
        const event = log[i]!;
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
    const length = this.log.events.length;
    if (all.hasStart()) return backwards ? -1 : 0;
    if (all.hasEnd()) return backwards ? length - 1 : length;
    const position = all.getPosition()!;
    const commit = BigInt(position.getCommitPosition());
    const prepare = BigInt(position.getPreparePosition());
    if (commit !== prepare) return 'invalid';
    const index = this.log.indexOfPosition(commit);
    if (index === null) return 'invalid';
    return backwards ? index - 1 : index;
  }

  // ---------------------------------------------------------------- subscriptions

  private subscribeToAll(
    call: grpc.ServerWritableStream<ReadReq, ReadResp>,
    options: StreamsPb.ReadReq.Options,
  ): void {
    const all = options.getAll()!;
    let cursor: number;
    if (all.hasStart()) cursor = 0;
    else if (all.hasEnd()) cursor = this.log.events.length;
    else {
      const start = this.startIndex(all, false);
      if (start === 'invalid') {
        invalidPosition(call);
        return;
      }
      // A subscription from a position delivers what comes after it.
      cursor = Math.min(start + 1, this.log.events.length);
    }
    const filter = toFilter(options);
    let checkpointInterval = 0;
    if (filter) {
      const filterOptions = options.getFilter()!;
      const window = filterOptions.hasMax() ? filterOptions.getMax() : DEFAULT_MAX_SEARCH_WINDOW;
      checkpointInterval = Math.max(
        1,
        window * (filterOptions.getCheckpointintervalmultiplier() || 1),
      );
    }
    this.open(call, { cursor, stream: null, filter, checkpointInterval });
  }

  private subscribeToStream(
    call: grpc.ServerWritableStream<ReadReq, ReadResp>,
    options: StreamsPb.ReadReq.Options.StreamOptions,
  ): void {
    const name = streamName(options.getStreamIdentifier());
    if (this.log.isTombstoned(name)) {
      call.emit('error', streamDeleted(name));
      return;
    }
    // From the start: every readable event; from the end: what is written next;
    // from a revision: the events after it.
    const cursor = options.hasEnd() ? this.log.events.length : 0;
    const after = options.hasRevision() ? BigInt(options.getRevision()) : null;
    this.open(call, { cursor, stream: { name, after }, filter: null, checkpointInterval: 0 });
  }

  private open(
    call: grpc.ServerWritableStream<ReadReq, ReadResp>,
    start: Pick<LiveSubscription, 'cursor' | 'stream' | 'filter' | 'checkpointInterval'>,
  ): void {
    this.stats.subscriptions += 1;
    const subscription: LiveSubscription = {
      call,
      ...start,
      scanned: 0,
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
    const log = this.log.events;
    let sent = 0;
    while (subscription.cursor < log.length) {
      if (sent >= this.options.catchUpChunk && !subscription.caughtUp) {
        setImmediate(() => this.resume(subscription));
        return;
      }
      const event = log[subscription.cursor]!;
      subscription.cursor += 1;
      if (!this.delivers(subscription, event)) {
        if (subscription.closed) return;
        if (!this.checkpoint(subscription, event)) return;
        continue;
      }
      sent += 1;
      if (!call.write(readEventResp(event, subscription.stream === null))) {
        this.checkpoint(subscription, event);
        call.once('drain', () => this.resume(subscription));
        return;
      }
      if (!this.checkpoint(subscription, event)) return;
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

  /** Whether the subscription gets this record; ends a stream subscription at its tombstone. */
  private delivers(subscription: LiveSubscription, event: DoubleEvent): boolean {
    const { stream, filter } = subscription;
    if (!stream) return !filter || passes(filter, event);
    if (event.streamId !== stream.name) return false;
    if (event.revision === DELETED_STREAM_REVISION && event.type === '$streamDeleted') {
      this.closeSubscription(subscription, streamDeleted(stream.name));
      return false;
    }
    if (stream.after !== null && event.revision <= stream.after) return false;
    return this.log.isReadable(event);
  }

  /**
   * Counts a scanned record of a filtered `$all` subscription and sends a
   * checkpoint (its position) every `checkpointInterval` records. Returns
   * false when the call's buffer is full (the pump resumes on drain).
   */
  private checkpoint(subscription: LiveSubscription, event: DoubleEvent): boolean {
    if (subscription.checkpointInterval === 0) return true;
    subscription.scanned += 1;
    if (subscription.scanned < subscription.checkpointInterval) return true;
    subscription.scanned = 0;
    const resp = new streamsPb.ReadResp();
    const checkpoint = new streamsPb.ReadResp.Checkpoint();
    checkpoint.setCommitPosition(event.position.toString());
    checkpoint.setPreparePosition(event.position.toString());
    resp.setCheckpoint(checkpoint);
    if (subscription.call.write(resp)) return true;
    subscription.call.once('drain', () => this.resume(subscription));
    return false;
  }

  private resume(subscription: LiveSubscription): void {
    subscription.pumping = false;
    this.pump(subscription);
  }

  private closeSubscription(subscription: LiveSubscription, status: ServiceError) {
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

function invalidPosition(call: grpc.ServerWritableStream<ReadReq, ReadResp>): void {
  call.emit('error', {
    code: grpc.status.INVALID_ARGUMENT,
    details: 'Invalid position: no record starts at the requested $all position',
  });
}

/** The server's RpcException for a stream that was tombstoned (client: StreamDeletedError). */
function streamDeleted(streamId: string): ServiceError {
  const trailers = new grpc.Metadata();
  trailers.set('exception', 'stream-deleted');
  trailers.set('stream-name', streamId);
  return {
    code: grpc.status.FAILED_PRECONDITION,
    details: `Event stream '${streamId}' is deleted.`,
    metadata: trailers,
  };
}

/** The server's RpcException for an append over `MaxAppendSize` (client: MaxAppendSizeExceededError). */
function maxAppendSizeExceeded(maxAppendSize: number): ServiceError {
  const trailers = new grpc.Metadata();
  trailers.set('exception', 'maximum-append-size-exceeded');
  trailers.set('maximum-append-size', String(maxAppendSize));
  return {
    code: grpc.status.INVALID_ARGUMENT,
    details: `Maximum Append Size of ${maxAppendSize} Exceeded.`,
    metadata: trailers,
  };
}

/** A delete or tombstone that failed, as the server's RpcException. */
function writeFailure(
  operation: string,
  streamId: string,
  outcome: Exclude<WriteOutcome, { kind: 'success' }>,
): ServiceError {
  if (outcome.kind === 'stream_deleted') return streamDeleted(streamId);
  const e = outcome.expected;
  const expected =
    e === 'any'
      ? EXPECTED_ANY
      : e === 'no_stream'
        ? EXPECTED_NO_STREAM
        : e === 'stream_exists'
          ? EXPECTED_STREAM_EXISTS
          : e;
  const trailers = new grpc.Metadata();
  trailers.set('exception', 'wrong-expected-version');
  trailers.set('stream-name', streamId);
  trailers.set('expected-version', expected.toString());
  trailers.set('actual-version', outcome.current === null ? '' : outcome.current.toString());
  return {
    code: grpc.status.FAILED_PRECONDITION,
    details:
      `${operation} failed due to WrongExpectedVersion. Stream: ${streamId}, ` +
      `Expected version: ${expected}, Actual version: ${outcome.current ?? ''}`,
    metadata: trailers,
  };
}

/** A `google.rpc.Status` whose details pack one EventStoreDB message (BatchAppend errors). */
function rpcStatus(
  code: number,
  message: string,
  details: Uint8Array,
  typeName: string,
): StatusPb.Status {
  const any = new anyPb.Any();
  any.pack(details, typeName);
  const status = new statusPb.Status();
  status.setCode(code);
  status.setMessage(message);
  status.setDetails(any);
  return status;
}

/** What an event weighs against `MaxAppendSize`: its data, metadata and type, in bytes. */
function sizeOnDisk(event: ProposedEvent): number {
  return event.data.length + event.customMetadata.length + Buffer.byteLength(event.type, 'utf8');
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

/** The commit and prepare position of a Delete or Tombstone answer (the double uses one for both). */
function commitPosition<
  P extends { setCommitPosition(value: string): P; setPreparePosition(value: string): P },
>(position: P, at: bigint): P {
  return position.setCommitPosition(at.toString()).setPreparePosition(at.toString());
}

function expectedFromDelete(
  options: StreamsPb.DeleteReq.Options | StreamsPb.TombstoneReq.Options,
): ExpectedRevision {
  if (options.hasNoStream()) return 'no_stream';
  if (options.hasStreamExists()) return 'stream_exists';
  if (options.hasRevision()) return BigInt(options.getRevision());
  return 'any';
}

/** A stream read over the readable events (revisions may start past 0 once truncated). */
function readStreamSlice(
  stream: DoubleEvent[],
  options: StreamsPb.ReadReq.Options.StreamOptions,
  backwards: boolean,
  count: number,
): DoubleEvent[] {
  let from: bigint | 'start' | 'end';
  if (options.hasStart()) from = 'start';
  else if (options.hasEnd()) from = 'end';
  else from = BigInt(options.getRevision());
  const ordered = backwards ? [...stream].reverse() : stream;
  const out: DoubleEvent[] = [];
  for (const event of ordered) {
    if (out.length >= count) break;
    if (from === 'end' && !backwards) break;
    if (from === 'start' && backwards) break;
    if (typeof from === 'bigint' && (backwards ? event.revision > from : event.revision < from)) {
      continue;
    }
    out.push(event);
  }
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
