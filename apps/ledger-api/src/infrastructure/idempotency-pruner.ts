import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { LEDGER_CONFIG, type LedgerConfig } from '../config/ledger-config.js';
import { IdempotencyRecords } from './idempotency.store.js';

/** How often to prune: a tenth of the window, between 5 s and 10 min. */
export function pruneInterval(retentionMs: number): number {
  return Math.min(Math.max(Math.round(retentionMs / 10), 5_000), 600_000);
}

/**
 * Deletes idempotency records older than `LEDGER_IDEMPOTENCY_RETENTION`
 * (default 24 h) in the background: once at start, then every tenth of the
 * window. A retry after the window is a new request to the idempotency
 * layer; the command handler still recognises a command already in its
 * stream (DeciderRunner), so nothing is appended twice.
 */
@Injectable()
export class IdempotencyPruner implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Idempotency');
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;
  /** The clock (tests replace it). */
  now: () => number = Date.now;

  constructor(
    private readonly records: IdempotencyRecords,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
  ) {}

  onApplicationBootstrap(): void {
    void this.pruneOnce();
    this.timer = setInterval(
      () => void this.pruneOnce(),
      pruneInterval(this.config.idempotencyRetentionMs),
    );
    this.timer.unref();
  }

  /** Before the stores close. */
  async beforeApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  /** One pass; never throws (a failed pass is logged and the next one tries again). */
  async pruneOnce(): Promise<number> {
    if (this.running) return this.running;
    const before = this.now() - this.config.idempotencyRetentionMs;
    this.running = this.records.prune(before).then(
      (deleted) => {
        if (deleted > 0) this.logger.log(`pruned ${deleted} idempotency records`);
        return deleted;
      },
      (error: unknown) => {
        this.logger.warn(
          `pruning idempotency records failed: ${error instanceof Error ? error.message : String(error)}`,
        );
        return 0;
      },
    );
    try {
      return await this.running;
    } finally {
      this.running = null;
    }
  }
}
