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
import { chainAppend, eventHash } from './event-hash.js';

const MAX_ATTEMPTS = 5;
/** Streams whose last appended event's hash is remembered (about 150 bytes each). */
const MAX_KNOWN_HEADS = 10_000;

/** The event at `revision` of a stream, and its hash: a fact that never changes once stored. */
interface KnownHead {
  revision: bigint;
  hash: string;
}

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
 *
 * The hash of the last event this instance appended to a stream is kept
 * (the events at a revision never change), so an append expecting exactly
 * that revision chains to it without reading it back; the store's revision
 * check still refuses the append if another writer got there first.
 */
export class HashChainingEventStore extends DelegatingEventStore {
  private readonly streams = new KeyedMutex();
  /** Stream → its last event appended here, least recently appended first. */
  private readonly heads = new Map<string, KnownHead>();

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
      const known = this.heads.get(streamId);
      const at =
        typeof expected === 'bigint' && known?.revision === expected
          ? { previous: known, appendAt: expected }
          : await this.predecessorFor(streamId, expected);
      const chained = chainAppend(streamId, at.previous, events);
      try {
        const result = await this.inner.appendToStream(streamId, chained, {
          expectedRevision: at.appendAt,
        });
        this.remember(streamId, at.previous, chained, result);
        return result;
      } catch (error) {
        this.heads.delete(streamId);
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

  /** Keeps the hash of the append's last event, when the store wrote these events where chained. */
  private remember(
    streamId: string,
    previous: { revision: bigint } | null,
    chained: readonly NewEvent[],
    result: AppendResult,
  ): void {
    const revision = (previous ? previous.revision : -1n) + BigInt(chained.length);
    this.heads.delete(streamId);
    if (result.nextExpectedRevision !== revision) return;
    const hash = eventHash({ ...chained[chained.length - 1]!, streamId, revision });
    this.heads.set(streamId, { revision, hash });
    if (this.heads.size > MAX_KNOWN_HEADS) this.heads.delete(this.heads.keys().next().value!);
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
