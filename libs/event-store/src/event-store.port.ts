/**
 * The event store port. Semantics follow EventStoreDB so that the embedded
 * SQLite adapter and the EventStoreDB adapter are interchangeable; one
 * contract suite (test/event-store/event-store.contract.ts) holds both to it.
 */

/** `any`, `no_stream`, `stream_exists`, or the exact revision of the stream's last event. */
export type ExpectedRevision = 'any' | 'no_stream' | 'stream_exists' | bigint;

/** Metadata carried by every event the ledger writes. */
export interface EventMetadata {
  commandId?: string;
  correlationId?: string;
  causationId?: string;
  actor?: string;
  schemaVersion?: number;
  [key: string]: unknown;
}

export interface NewEvent<Type extends string = string, Data = unknown> {
  /** A UUID. Re-appending the same ids at the same place is an idempotent no-op. */
  id: string;
  type: Type;
  data: Data;
  metadata?: EventMetadata;
}

export interface RecordedEvent<Type extends string = string, Data = unknown> {
  id: string;
  type: Type;
  streamId: string;
  /** 0-based position of the event in its stream. */
  revision: bigint;
  /** Position in `$all`: strictly increasing in commit order. */
  position: bigint;
  data: Data;
  metadata: EventMetadata;
  /** When the store recorded the event (the ledger's "known at" time). */
  recordedAt: Date;
}

export interface AppendOptions {
  expectedRevision?: ExpectedRevision;
}

export interface AppendResult {
  /** Revision of the stream's last event after the append. */
  nextExpectedRevision: bigint;
  /** `$all` position of the last event appended. */
  position: bigint;
  /**
   * When the store recorded the last event of the append (its `recordedAt`,
   * to the millisecond): a read with `knownAt` at or after it includes the
   * append. An idempotent re-append answers the original time; an empty
   * append the time of the answer.
   */
  recordedAt: Date;
}

export type Direction = 'forwards' | 'backwards';

export interface ReadStreamOptions {
  direction?: Direction;
  /** Inclusive. Defaults to `start` forwards and `end` backwards. */
  fromRevision?: bigint | 'start' | 'end';
  maxCount?: number;
}

export interface ReadAllOptions {
  direction?: Direction;
  /** Inclusive. Defaults to `start` forwards and `end` backwards. */
  fromPosition?: bigint | 'start' | 'end';
  maxCount?: number;
}

export type EventHandler = (event: RecordedEvent) => Promise<void> | void;

export interface SubscribeToAllOptions {
  /** Deliver events after this checkpoint; `null` delivers from the very first event. */
  after: bigint | null;
  /** Called every time the subscription has delivered everything stored and goes live. */
  onCaughtUp?: (checkpoint: bigint | null) => void;
  /** Called on every error; the subscription retries from its last checkpoint after a backoff. */
  onError?: (error: unknown, attempt: number) => void;
  /** Events read per page while catching up. */
  pageSize?: number;
}

export interface Subscription {
  /** Last position handed to the handler successfully, or the starting checkpoint. */
  readonly checkpoint: bigint | null;
  /** Stops delivering; resolves once the handler in progress (if any) has returned. */
  stop(): Promise<void>;
}

export interface EventStore {
  appendToStream(
    streamId: string,
    events: readonly NewEvent[],
    options?: AppendOptions,
  ): Promise<AppendResult>;
  /** Events of one stream; an unknown stream reads as empty. */
  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;
  /**
   * The events at these `$all` positions, each one an event's position as the
   * store reported it, in `$all` order, each once. For a read model that
   * keeps positions (the timeline's index) to fetch a page by them.
   */
  readAllAt(positions: readonly bigint[]): Promise<RecordedEvent[]>;
  /** Catch-up subscription to `$all`: history from the checkpoint, then live, without gap or duplicate. */
  subscribeToAll(handler: EventHandler, options: SubscribeToAllOptions): Subscription;
  /** Position of the last event in `$all`, or `null` when the store is empty. */
  headPosition(): Promise<bigint | null>;
  /** Can the store be reached and written to? For health checks. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Nest injection token for the configured adapter. */
export const EVENT_STORE = Symbol('EVENT_STORE');
