import type {
  AppendOptions,
  AppendResult,
  EventHandler,
  EventStore,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeToAllOptions,
  Subscription,
} from './event-store.port.js';

/** Maps a stored event to its current shape (schema upcasting). */
export type EventUpcast = (event: RecordedEvent) => RecordedEvent;

/**
 * An EventStore whose reads and subscriptions hand out events in their
 * current shape: every consumer (deciders, projections, sagas) sees one
 * schema, and stored events are never rewritten.
 */
export class UpcastingEventStore implements EventStore {
  constructor(
    private readonly inner: EventStore,
    private readonly upcast: EventUpcast,
  ) {}

  appendToStream(
    streamId: string,
    events: readonly NewEvent[],
    options?: AppendOptions,
  ): Promise<AppendResult> {
    return this.inner.appendToStream(streamId, events, options);
  }

  async readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> {
    return (await this.inner.readStream(streamId, options)).map(this.upcast);
  }

  async readAll(options?: ReadAllOptions): Promise<RecordedEvent[]> {
    return (await this.inner.readAll(options)).map(this.upcast);
  }

  subscribeToAll(handler: EventHandler, options: SubscribeToAllOptions): Subscription {
    return this.inner.subscribeToAll((event) => handler(this.upcast(event)), options);
  }

  headPosition(): Promise<bigint | null> {
    return this.inner.headPosition();
  }

  ping(): Promise<void> {
    return this.inner.ping();
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
