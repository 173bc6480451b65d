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

  readAllAt(positions: readonly bigint[]): Promise<RecordedEvent[]> {
    return this.inner.readAllAt(positions);
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

/**
 * A decorator that rewrites every event it hands out (and nothing else).
 * `map` is synchronous; what it needs from elsewhere (a person's key from a
 * shared database) is loaded first by `prepare`, once per batch.
 */
export abstract class MappingEventStore extends DelegatingEventStore {
  protected abstract map(event: RecordedEvent): RecordedEvent;

  /** Loads what `map` will need for these events; undefined when there is nothing to wait for. */
  protected prepare(_events: readonly RecordedEvent[]): Promise<void> | undefined {
    return undefined;
  }

  private async mapAll(events: RecordedEvent[]): Promise<RecordedEvent[]> {
    const pending = this.prepare(events);
    if (pending) await pending;
    return events.map((event) => this.map(event));
  }

  override async readStream(
    streamId: string,
    options?: ReadStreamOptions,
  ): Promise<RecordedEvent[]> {
    return this.mapAll(await this.inner.readStream(streamId, options));
  }

  override async readAll(options?: ReadAllOptions): Promise<RecordedEvent[]> {
    return this.mapAll(await this.inner.readAll(options));
  }

  override async readAllAt(positions: readonly bigint[]): Promise<RecordedEvent[]> {
    return this.mapAll(await this.inner.readAllAt(positions));
  }

  override subscribeToAll(handler: EventHandler, options: SubscribeToAllOptions): Subscription {
    return this.inner.subscribeToAll((event) => {
      const pending = this.prepare([event]);
      return pending ? pending.then(() => handler(this.map(event))) : handler(this.map(event));
    }, options);
  }
}
