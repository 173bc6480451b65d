import { EventIdConflictError, WrongExpectedRevisionError } from '../errors.js';
import type {
  AppendOptions,
  AppendResult,
  EventStore,
  ExpectedRevision,
  NewEvent,
  RecordedEvent,
} from '../event-store.port.js';
import { DelegatingEventStore } from '../delegating-event-store.js';
import { KeyedMutex } from '../keyed-mutex.js';
import { chainAppend } from './event-hash.js';

const MAX_ATTEMPTS = 5;

/**
 * Writes the hash chain: every appended event gets `metadata.prevHash`, the
 * hash of the previous event of its stream as stored (`null` at revision 0;
 * see `eventHash`). It must sit directly on the adapter, below anything that
 * rewrites events on their way in (encryption), so that it hashes the bytes
 * the store keeps. Reads pass through unchanged.
 *
 * The predecessor is read from the store and the append is made at exactly
 * its revision, so a concurrent writer can never slip an event in between:
 *   - an exact expected revision `r` chains to the event at `r`;
 *   - `no_stream` chains to nothing;
 *   - `any` / `stream_exists` chain to the last event and append at its
 *     revision, retrying on a concurrent write (the caller accepted any).
 * Appends to one stream are serialised in this instance, so an append
 * issued before an earlier one to the same stream committed still finds its
 * predecessor. A retried append (same ids) is chained exactly as the first
 * time, so the store's idempotent re-append still acknowledges it.
 */
export class HashChainingEventStore extends DelegatingEventStore {
  private readonly streams = new KeyedMutex();

  override appendToStream(
    streamId: string,
    events: readonly NewEvent[],
    options: AppendOptions = {},
  ): Promise<AppendResult> {
    if (events.length === 0) return this.inner.appendToStream(streamId, events, options);
    return this.streams.run(streamId, () => this.chainAndAppend(streamId, events, options));
  }

  private async chainAndAppend(
    streamId: string,
    events: readonly NewEvent[],
    options: AppendOptions,
  ): Promise<AppendResult> {
    const expected: ExpectedRevision = options.expectedRevision ?? 'any';
    for (let attempt = 1; ; attempt++) {
      const at = await this.predecessorFor(streamId, expected);
      try {
        return await this.inner.appendToStream(
          streamId,
          chainAppend(streamId, at.previous, events),
          {
            expectedRevision: at.appendAt,
          },
        );
      } catch (error) {
        if (error instanceof EventIdConflictError) {
          const replay = await this.replayed(streamId, events, options);
          if (replay) return replay;
        }
        const retry =
          error instanceof WrongExpectedRevisionError &&
          typeof expected !== 'bigint' &&
          expected !== 'no_stream' &&
          attempt < MAX_ATTEMPTS;
        if (!retry) throw error;
      }
    }
  }

  /** The event to chain to and the exact revision to append at. */
  private async predecessorFor(
    streamId: string,
    expected: ExpectedRevision,
  ): Promise<{ previous: RecordedEvent | null; appendAt: ExpectedRevision }> {
    if (expected === 'no_stream') return { previous: null, appendAt: 'no_stream' };
    if (typeof expected === 'bigint') {
      const [found] =
        expected < 0n
          ? []
          : await this.inner.readStream(streamId, {
              direction: 'backwards',
              fromRevision: expected,
              maxCount: 1,
            });
      if (found?.revision !== expected) {
        throw new WrongExpectedRevisionError(streamId, expected, found?.revision ?? 'no_stream');
      }
      return { previous: found, appendAt: expected };
    }
    const [last] = await this.inner.readStream(streamId, { direction: 'backwards', maxCount: 1 });
    if (!last) {
      if (expected === 'stream_exists') {
        throw new WrongExpectedRevisionError(streamId, expected, 'no_stream');
      }
      return { previous: null, appendAt: 'no_stream' };
    }
    return { previous: last, appendAt: last.revision };
  }

  /**
   * A re-append of ids already stored in this stream: chain them as they were
   * chained the first time (to the event before the first of them) and let
   * the store compare content and acknowledge, or refuse.
   */
  private async replayed(
    streamId: string,
    events: readonly NewEvent[],
    options: AppendOptions,
  ): Promise<AppendResult | null> {
    const firstId = events[0]!.id.toLowerCase();
    const stream = await this.inner.readStream(streamId);
    const index = stream.findIndex((event) => event.id.toLowerCase() === firstId);
    if (index < 0) return null;
    const previous = index === 0 ? null : stream[index - 1]!;
    return this.inner.appendToStream(streamId, chainAppend(streamId, previous, events), options);
  }
}

/** `store` with the hash chain written on every append (once: an already chaining store is returned as is). */
export function withHashChain(store: EventStore): EventStore {
  return store instanceof HashChainingEventStore ? store : new HashChainingEventStore(store);
}
