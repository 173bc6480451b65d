import {
  PullingSubscription,
  WrongExpectedRevisionError,
  type AppendOptions,
  type AppendResult,
  type EventHandler,
  type EventStore,
  type NewEvent,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type SubscribeToAllOptions,
  type Subscription,
} from '@app/event-store';

/**
 * A test double of the store for property tests that build hundreds of
 * ledgers: the port's semantics for the operations projections use, with
 * the `recordedAt` of each append chosen by the test (to model late entry).
 */
export class InMemoryEventStore implements EventStore {
  private readonly events: RecordedEvent[] = [];
  private readonly waiters = new Set<() => void>();

  async appendToStream(
    streamId: string,
    events: readonly NewEvent[],
    options: AppendOptions = {},
  ): Promise<AppendResult> {
    return this.append(streamId, events, new Date(), options);
  }

  /** Appends as if recorded at `recordedAt`. */
  append(
    streamId: string,
    events: readonly NewEvent[],
    recordedAt: Date,
    options: AppendOptions = {},
  ): AppendResult {
    const current = this.events.filter((e) => e.streamId === streamId).at(-1)?.revision ?? null;
    const expected = options.expectedRevision ?? 'any';
    const ok =
      expected === 'any' ||
      (expected === 'no_stream' && current === null) ||
      (expected === 'stream_exists' && current !== null) ||
      expected === current;
    if (!ok) throw new WrongExpectedRevisionError(streamId, expected, current ?? 'no_stream');
    let revision = current ?? -1n;
    for (const event of events) {
      revision += 1n;
      this.events.push({
        id: event.id,
        type: event.type,
        streamId,
        revision,
        position: BigInt(this.events.length + 1),
        data: JSON.parse(JSON.stringify(event.data)) as unknown,
        metadata: event.metadata ?? {},
        recordedAt,
      });
    }
    for (const wake of [...this.waiters]) wake();
    return { nextExpectedRevision: revision, position: BigInt(this.events.length), recordedAt };
  }

  all(): readonly RecordedEvent[] {
    return this.events;
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const backwards = options.direction === 'backwards';
    const from = options.fromRevision ?? (backwards ? 'end' : 'start');
    const events = this.events.filter(
      (e) =>
        e.streamId === streamId &&
        (typeof from !== 'bigint' || (backwards ? e.revision <= from : e.revision >= from)),
    );
    if (backwards) events.reverse();
    return options.maxCount === undefined ? events : events.slice(0, options.maxCount);
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const from = options.fromPosition ?? 'start';
    const start = from === 'start' ? 0 : from === 'end' ? this.events.length : Number(from) - 1;
    return this.events.slice(
      Math.max(0, start),
      options.maxCount ? start + options.maxCount : undefined,
    );
  }

  async readAllAt(positions: readonly bigint[]): Promise<RecordedEvent[]> {
    const wanted = new Set(positions);
    return this.events.filter((event) => wanted.has(event.position));
  }

  subscribeToAll(handler: EventHandler, options: SubscribeToAllOptions): Subscription {
    return new PullingSubscription(
      {
        readAfter: async (after, limit) =>
          this.events.slice(
            after === null ? 0 : Number(after),
            (after === null ? 0 : Number(after)) + limit,
          ),
        waitForAppend: (after, signal) =>
          new Promise<void>((resolve) => {
            if (this.events.length > Number(after ?? 0n) || signal.aborted) return resolve();
            const wake = () => {
              this.waiters.delete(wake);
              resolve();
            };
            this.waiters.add(wake);
            signal.addEventListener('abort', wake, { once: true });
          }),
      },
      handler,
      options,
    );
  }

  async headPosition(): Promise<bigint | null> {
    return this.events.length === 0 ? null : BigInt(this.events.length);
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {
    for (const wake of [...this.waiters]) wake();
  }
}
