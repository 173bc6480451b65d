import type {
  EventHandler,
  RecordedEvent,
  SubscribeToAllOptions,
  Subscription,
} from './event-store.port.js';

/** What a store offers a pull-based catch-up subscription. */
export interface PullSource {
  /** Up to `limit` events after the checkpoint, in `$all` order. */
  readAfter(after: bigint | null, limit: number): Promise<RecordedEvent[]>;
  /** Resolves when events after `after` may exist, or when `signal` aborts. */
  waitForAppend(after: bigint | null, signal: AbortSignal): Promise<void>;
}

const MAX_BACKOFF_MS = 5_000;

/**
 * A catch-up subscription that always reads from its own checkpoint, so the
 * hand-over from history to live cannot skip or repeat an event: "live" is
 * just reading again after an append notification. Errors (from the store or
 * the handler) are reported and retried from the checkpoint with backoff; the
 * event whose handler failed is delivered again.
 */
export class PullingSubscription implements Subscription {
  private current: bigint | null;
  private readonly abort = new AbortController();
  private readonly done: Promise<void>;

  constructor(
    private readonly source: PullSource,
    private readonly handler: EventHandler,
    private readonly options: SubscribeToAllOptions,
  ) {
    this.current = options.after;
    this.done = this.run();
  }

  get checkpoint(): bigint | null {
    return this.current;
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.done;
  }

  private get stopped(): boolean {
    return this.abort.signal.aborted;
  }

  private async run(): Promise<void> {
    const pageSize = this.options.pageSize ?? 500;
    let attempt = 0;
    let live = false;
    while (!this.stopped) {
      try {
        const page = await this.source.readAfter(this.current, pageSize);
        if (page.length === 0) {
          if (!live) {
            live = true;
            this.options.onCaughtUp?.(this.current);
          }
          await this.source.waitForAppend(this.current, this.abort.signal);
          continue;
        }
        for (const event of page) {
          if (this.stopped) return;
          await this.handler(event);
          this.current = event.position;
        }
        attempt = 0;
      } catch (error) {
        attempt += 1;
        live = false;
        this.options.onError?.(error, attempt);
        await sleep(Math.min(MAX_BACKOFF_MS, 50 * 2 ** (attempt - 1)), this.abort.signal);
      }
    }
  }
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
