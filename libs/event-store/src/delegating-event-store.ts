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

/**
 * An EventStore that hands everything to `inner`: the base of the store's
 * decorators (upcasting, encryption, instrumentation), which override only
 * what they change.
 */
export class DelegatingEventStore implements EventStore {
  constructor(readonly inner: EventStore) {}

  appendToStream(
    streamId: string,
    events: readonly NewEvent[],
    options?: AppendOptions,
  ): Promise<AppendResult> {
    return this.inner.appendToStream(streamId, events, options);
  }

  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> {
    return this.inner.readStream(streamId, options);
  }

  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]> {
    return this.inner.readAll(options);
  }

  subscribeToAll(handler: EventHandler, options: SubscribeToAllOptions): Subscription {
    return this.inner.subscribeToAll(handler, options);
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

/** A decorator that rewrites every event it hands out (and nothing else). */
export abstract class MappingEventStore extends DelegatingEventStore {
  protected abstract map(event: RecordedEvent): RecordedEvent;

  override async readStream(
    streamId: string,
    options?: ReadStreamOptions,
  ): Promise<RecordedEvent[]> {
    return (await this.inner.readStream(streamId, options)).map((event) => this.map(event));
  }

  override async readAll(options?: ReadAllOptions): Promise<RecordedEvent[]> {
    return (await this.inner.readAll(options)).map((event) => this.map(event));
  }

  override subscribeToAll(handler: EventHandler, options: SubscribeToAllOptions): Subscription {
    return this.inner.subscribeToAll((event) => handler(this.map(event)), options);
  }
}
