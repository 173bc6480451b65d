import { DelegatingEventStore } from '../delegating-event-store.js';
import { WrongExpectedRevisionError } from '../errors.js';
import type { AppendOptions, AppendResult, EventStore, NewEvent } from '../event-store.port.js';

/** How an append ended: acknowledged, refused for a revision conflict, or failed otherwise. */
export type AppendOutcome = 'ok' | 'conflict' | 'error';

/**
 * What the store tells an observer (the API's metrics) about its appends.
 * `appendStarted` is called as an append is handed to the adapter; the
 * callback it returns is called once, when the append ends.
 */
export interface EventStoreObserver {
  appendStarted(): (outcome: AppendOutcome, events: number) => void;
}

/** Reports every append to an observer; everything else passes through. */
export class ObservedEventStore extends DelegatingEventStore {
  constructor(
    inner: EventStore,
    private readonly observer: EventStoreObserver,
  ) {
    super(inner);
  }

  override async appendToStream(
    streamId: string,
    events: readonly NewEvent[],
    options?: AppendOptions,
  ): Promise<AppendResult> {
    const ended = this.observer.appendStarted();
    try {
      const result = await this.inner.appendToStream(streamId, events, options);
      ended('ok', events.length);
      return result;
    } catch (error) {
      ended(error instanceof WrongExpectedRevisionError ? 'conflict' : 'error', events.length);
      throw error;
    }
  }
}
