import type { ExpectedRevision } from './event-store.port.js';

export abstract class EventStoreError extends Error {
  abstract readonly code: string;
}

/** The stream was not at the revision the writer expected. */
export class WrongExpectedRevisionError extends EventStoreError {
  readonly code = 'wrong_expected_revision';
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    /** Revision of the stream's last event, or `no_stream`. */
    readonly actual: bigint | 'no_stream',
  ) {
    super(`Stream ${streamId} expected at ${String(expected)} but is at ${String(actual)}`);
    this.name = 'WrongExpectedRevisionError';
  }
}

/** An event id that is already stored with other content or at another place. */
export class EventIdConflictError extends EventStoreError {
  readonly code = 'event_id_conflict';
  constructor(
    readonly streamId: string,
    readonly eventId: string,
    reason: string,
  ) {
    super(`Event ${eventId} appended to ${streamId}: ${reason}`);
    this.name = 'EventIdConflictError';
  }
}

/** An event the store will not accept (id not a UUID, empty type, data not JSON). */
export class InvalidEventError extends EventStoreError {
  readonly code = 'invalid_event';
  constructor(message: string) {
    super(message);
    this.name = 'InvalidEventError';
  }
}

/** The store is configured so that an acknowledged append could be lost; refuse to run. */
export class UnsafeStoreConfigurationError extends EventStoreError {
  readonly code = 'unsafe_store_configuration';
  constructor(message: string) {
    super(message);
    this.name = 'UnsafeStoreConfigurationError';
  }
}

/**
 * A store the ledger depends on (the event store, or the shared PostgreSQL
 * of a cluster) cannot be reached. Nothing was written; the client may retry
 * after `retryAfterSeconds`. Answered as 503 `store_unavailable`.
 */
export class StoreUnavailableError extends EventStoreError {
  readonly code = 'store_unavailable';
  constructor(
    /** Which store: `event-store` or `postgres`. */
    readonly store: string,
    message: string,
    readonly retryAfterSeconds = 5,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'StoreUnavailableError';
  }
}
