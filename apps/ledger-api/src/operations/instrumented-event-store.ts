import {
  DelegatingEventStore,
  WrongExpectedRevisionError,
  type AppendOptions,
  type AppendResult,
  type EventStore,
  type NewEvent,
} from '@app/event-store';
import type { MetricsService } from './metrics.service.js';

/** Times every append and counts revision conflicts; everything else passes through. */
export class InstrumentedEventStore extends DelegatingEventStore {
  constructor(
    inner: EventStore,
    private readonly metrics: MetricsService,
  ) {
    super(inner);
  }

  override async appendToStream(
    streamId: string,
    events: readonly NewEvent[],
    options?: AppendOptions,
  ): Promise<AppendResult> {
    const stop = this.metrics.appendSeconds.startTimer();
    try {
      const result = await this.inner.appendToStream(streamId, events, options);
      stop({ outcome: 'ok' });
      this.metrics.appendedEvents.inc(events.length);
      return result;
    } catch (error) {
      const conflict = error instanceof WrongExpectedRevisionError;
      stop({ outcome: conflict ? 'conflict' : 'error' });
      if (conflict) this.metrics.conflicts.inc();
      throw error;
    }
  }
}
