import {
  EVENT_STORE,
  type EventStore,
  type RecordedEvent,
  type Subscription,
} from '@app/event-store';
import { Inject, Injectable, Logger, type OnModuleDestroy, Optional } from '@nestjs/common';

/** One event of the live feed, shared by every client it goes to. */
export class LiveEvent {
  private readonly rendered = new Map<string, string>();

  constructor(readonly event: RecordedEvent) {}

  /** `render()` once for `key` (a kind of view), however many clients are sent the event. */
  once(key: string, render: () => string): string {
    let text = this.rendered.get(key);
    if (text === undefined) {
      text = render();
      this.rendered.set(key, text);
    }
    return text;
  }
}

export type LiveListener = (event: LiveEvent) => void;

export interface LiveFeedOptions {
  /** Recent events kept in memory, so a client resuming near the head needs no read. */
  ringSize: number;
  /** Events a read while a client catches up from the store. */
  pageSize: number;
}

export const LIVE_FEED_OPTIONS = Symbol('LIVE_FEED_OPTIONS');

const DEFAULTS: LiveFeedOptions = { ringSize: 1_024, pageSize: 500 };

/**
 * The live end of `$all`, shared by every live client: one subscription from
 * the head (opened with the first client), a ring of the latest events, and a
 * push of each new event to every joined listener. A client resuming before
 * the ring reads the store from its position until the ring covers it, then
 * joins: each listener drops what it already had, so the hand-over has
 * neither a gap nor a repeat.
 */
@Injectable()
export class LiveFeed implements OnModuleDestroy {
  private readonly logger = new Logger(LiveFeed.name);
  private readonly options: LiveFeedOptions;
  private readonly ring: LiveEvent[] = [];
  /** The ring holds every event after `base` up to the last one published. */
  private base: bigint | null = null;
  private readonly listeners = new Set<LiveListener>();
  private subscription: Subscription | null = null;
  private starting: Promise<void> | null = null;
  private stopped = false;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Optional() @Inject(LIVE_FEED_OPTIONS) options?: Partial<LiveFeedOptions>,
  ) {
    this.options = { ...DEFAULTS, ...options };
  }

  /** Listeners joined to the live feed (not those still catching up). */
  get listenerCount(): number {
    return this.listeners.size;
  }

  /**
   * Sends `listener` every event after `after` (or after the head now), in
   * order, then every new one. Returns the function that leaves the feed.
   */
  join(
    after: bigint | undefined,
    listener: LiveListener,
    onError: (error: unknown) => void,
  ): () => void {
    let left = false;
    let last: bigint | null = null;
    const deliver: LiveListener = (live) => {
      if (last !== null && live.event.position <= last) return;
      last = live.event.position;
      listener(live);
    };
    const catchUp = async () => {
      await this.start();
      let cursor = after === undefined ? await this.store.headPosition() : after;
      last = cursor;
      while (!left) {
        if (this.covers(cursor)) {
          // Synchronous from here: nothing is published between the ring and joining.
          for (const live of this.ring)
            if (cursor === null || live.event.position > cursor) deliver(live);
          this.listeners.add(deliver);
          return;
        }
        const page = await this.store.readAll({
          fromPosition: cursor === null ? 'start' : cursor + 1n,
          maxCount: this.options.pageSize,
        });
        for (const event of page) {
          if (left) return;
          deliver(new LiveEvent(event));
          cursor = event.position;
        }
      }
    };
    catchUp().catch((error: unknown) => {
      if (!left) onError(error);
    });
    return () => {
      left = true;
      this.listeners.delete(deliver);
    };
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    this.listeners.clear();
    const subscription = this.subscription;
    this.subscription = null;
    await subscription?.stop();
  }

  /** Does the ring hold every event after `cursor`? (The store has none after its head.) */
  private covers(cursor: bigint | null): boolean {
    if (this.base === null) return true;
    return cursor !== null && cursor >= this.base;
  }

  private start(): Promise<void> {
    this.starting ??= this.open().catch((error: unknown) => {
      this.starting = null;
      throw error;
    });
    return this.starting;
  }

  private async open(): Promise<void> {
    const head = await this.store.headPosition();
    if (this.stopped) throw new Error('The live feed has stopped');
    this.base = head;
    this.subscription = this.store.subscribeToAll((event) => this.publish(new LiveEvent(event)), {
      after: head,
      onError: (error, attempt) =>
        this.logger.warn(`Live feed read failed (attempt ${attempt}): ${String(error)}`),
    });
  }

  private publish(live: LiveEvent): void {
    this.ring.push(live);
    if (this.ring.length > this.options.ringSize) this.base = this.ring.shift()!.event.position;
    for (const listener of this.listeners) {
      try {
        listener(live);
      } catch (error) {
        this.logger.error(`A live listener failed: ${String(error)}`);
      }
    }
  }
}
