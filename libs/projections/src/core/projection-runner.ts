import {
  readAllPages,
  type EventStore,
  type RecordedEvent,
  type Subscription,
} from '@app/event-store';
import type Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { installIndexes, installProjections, type Projection } from './projection.js';
import { beginUnsyncedRebuild } from './read-store.js';

export interface ProjectionRunnerOptions {
  /** Name of the checkpoint row. */
  name?: string;
  onError?: (error: unknown, attempt: number) => void;
}

/** Events read at a time during a rebuild (see replayAll). */
const REBUILD_READ_PAGE = 1_000;
/** Events applied between two commits during a rebuild. */
const REBUILD_COMMIT_EVERY = 10_000;

interface Waiter {
  position: bigint;
  resolve: () => void;
}

/**
 * Feeds projections from a catch-up subscription to `$all`, starting at the
 * persisted checkpoint. Each event is applied to every projection and the
 * checkpoint advanced in one SQLite transaction: a crash loses nothing and
 * repeats nothing. Queries wait on positions (`waitFor`), never on time.
 */
export class ProjectionRunner {
  private subscription: Subscription | null = null;
  private pending: RecordedEvent[] = [];
  private failures = 0;
  private stopped = false;
  private checkpointPosition: bigint | null;
  private readonly waiters: Waiter[] = [];
  private readonly name: string;
  /** Events in one transaction, the checkpoint moved once at its end (live batches, rebuild pages). */
  private readonly applyPage: (page: readonly RecordedEvent[]) => void;
  private readonly readCheckpoint: Database.Statement<[string], { position: number | null }>;
  lastAppliedAt: Date | null = null;
  /** True when this process found read models of an older shape and dropped them. */
  schemaReplaced = false;

  constructor(
    private readonly store: EventStore,
    private readonly db: Database.Database,
    private readonly projections: readonly Projection[],
    private readonly options: ProjectionRunnerOptions = {},
  ) {
    this.name = options.name ?? 'ledger';
    this.readCheckpoint = db.prepare('SELECT position FROM checkpoints WHERE name = ?');
    this.discardIfSchemaChanged();
    installProjections(db, projections, { indexes: true });
    const saveCheckpoint = db.prepare(
      `INSERT INTO checkpoints (name, position) VALUES (?, ?)
       ON CONFLICT (name) DO UPDATE SET position = excluded.position`,
    );
    this.applyPage = db.transaction((page: readonly RecordedEvent[]) => {
      for (const event of page) for (const projection of this.projections) projection.apply(event);
      const last = page[page.length - 1];
      if (last) saveCheckpoint.run(this.name, last.position);
    });
    this.checkpointPosition = this.loadCheckpoint();
  }

  /**
   * Read models built by another version of the projections (their DDL
   * differs, or predates this record) are dropped with their checkpoint, so
   * the log is replayed into the new shape: a read store never mixes two.
   */
  private discardIfSchemaChanged(): void {
    const fingerprint = createHash('sha256')
      .update(JSON.stringify(this.projections.map((p) => [p.name, p.schema, p.indexes])))
      .digest('hex');
    this.db.exec(`CREATE TABLE IF NOT EXISTS projection_schemas (
      name        TEXT PRIMARY KEY,
      fingerprint TEXT NOT NULL
    ) WITHOUT ROWID`);
    const stored = this.db
      .prepare<[string], { fingerprint: string }>(
        'SELECT fingerprint FROM projection_schemas WHERE name = ?',
      )
      .get(this.name)?.fingerprint;
    if (stored === fingerprint) return;
    this.db.transaction(() => {
      if (stored !== undefined || this.loadCheckpoint() !== null) {
        this.schemaReplaced = true;
        this.dropReadModels();
      }
      this.db
        .prepare(
          `INSERT INTO projection_schemas (name, fingerprint) VALUES (?, ?)
           ON CONFLICT (name) DO UPDATE SET fingerprint = excluded.fingerprint`,
        )
        .run(this.name, fingerprint);
    })();
  }

  private dropReadModels(): void {
    for (const projection of this.projections) {
      for (const table of projection.tables) this.db.exec(`DROP TABLE IF EXISTS ${table}`);
    }
    this.db.prepare('DELETE FROM checkpoints WHERE name = ?').run(this.name);
  }

  private loadCheckpoint(): bigint | null {
    const row = this.readCheckpoint.get(this.name);
    return row?.position == null ? null : BigInt(row.position);
  }

  /** Last position applied to the read models. */
  get checkpoint(): bigint | null {
    return this.checkpointPosition;
  }

  start(): void {
    this.stopped = false;
    if (this.subscription) return;
    this.subscription = this.store.subscribeToAll((event) => this.handle(event), {
      after: this.checkpointPosition,
      onError: this.options.onError,
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    const subscription = this.subscription;
    this.subscription = null;
    await subscription?.stop();
    this.flushPending();
  }

  /**
   * Live events are applied in batches: those delivered in one turn of the
   * event loop go into one transaction with the checkpoint (one commit, not
   * one per event: the profile of the HTTP write path put 16% of its time in
   * those commits). Waiters are released once their position is committed.
   */
  private handle(event: RecordedEvent): void {
    this.pending.push(event);
    if (this.pending.length === 1) setImmediate(() => this.flushPending());
  }

  private flushPending(): void {
    const batch = this.pending;
    if (batch.length === 0) return;
    this.pending = [];
    try {
      this.applyPage(batch);
    } catch (error) {
      // Nothing of the batch was committed: report, then read again from the checkpoint.
      this.failures += 1;
      this.options.onError?.(error, this.failures);
      void this.resubscribeAfter(Math.min(5_000, 50 * 2 ** (this.failures - 1)));
      return;
    }
    this.failures = 0;
    this.checkpointPosition = batch[batch.length - 1]!.position;
    this.lastAppliedAt = new Date();
    this.releaseWaiters();
  }

  private async resubscribeAfter(ms: number): Promise<void> {
    const subscription = this.subscription;
    if (!subscription) return;
    this.subscription = null;
    await subscription.stop();
    this.pending = [];
    await new Promise((resolve) => setTimeout(resolve, ms));
    if (this.subscription === null && !this.stopped) this.start();
  }

  /** Resolves once every event up to `position` is in the read models. */
  waitFor(position: bigint): Promise<void> {
    if (this.checkpointPosition !== null && this.checkpointPosition >= position) {
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiters.push({ position, resolve }));
  }

  /** Waits until the read models include everything stored when called. */
  async catchUp(): Promise<void> {
    const head = await this.store.headPosition();
    if (head !== null) await this.waitFor(head);
  }

  private releaseWaiters(): void {
    const reached = this.checkpointPosition;
    if (reached === null) return;
    for (let i = this.waiters.length - 1; i >= 0; i--) {
      const waiter = this.waiters[i]!;
      if (waiter.position <= reached) {
        this.waiters.splice(i, 1);
        waiter.resolve();
      }
    }
  }

  /**
   * Drops every read model and replays the whole log into them. The running
   * subscription is stopped first and restarted from the new checkpoint.
   */
  async rebuild(onProgress?: (position: bigint) => void): Promise<void> {
    const wasRunning = this.subscription !== null;
    await this.stop();
    this.db.transaction(() => this.dropReadModels())();
    // Query indexes come after the last event, one sort each instead of an index
    // insert per row (1M events: 66k → 91k events/s with the mention detail
    // serialised once; ADR 0006).
    installProjections(this.db, this.projections, { indexes: false });
    this.checkpointPosition = null;
    const finish = beginUnsyncedRebuild(this.db);
    for (const projection of this.projections) projection.bulkReplay?.('start');
    let finished = false;
    try {
      await this.replayAll(onProgress);
      this.db.transaction(() => {
        for (const projection of this.projections) projection.bulkReplay?.('finish');
      })();
      finished = true;
      installIndexes(this.db, this.projections);
    } finally {
      if (!finished) for (const projection of this.projections) projection.bulkReplay?.('abandon');
      finish();
    }
    this.releaseWaiters();
    if (wasRunning) this.start();
  }

  /**
   * Reads the log in pages small enough that their events die young (a page
   * that outlives a scavenge is promoted, and the old generation then grows
   * with dead pages: the app's peak RSS over a 1M-event rebuild was 374 MB
   * at 10,000 events a page, 250 MB at 1,000), but commits only every
   * `REBUILD_COMMIT_EVERY` events, since each commit rewrites the b-trees'
   * hot pages. A failure rolls back to the last commit; the rebuild marker
   * (ADR 0005) still covers a crash.
   */
  private async replayAll(onProgress?: (position: bigint) => void): Promise<void> {
    let last: bigint | null = null;
    let uncommitted = 0;
    const commit = () => {
      this.db.exec('COMMIT');
      uncommitted = 0;
      if (last === null) return;
      this.checkpointPosition = last;
      onProgress?.(last);
    };
    this.db.exec('BEGIN');
    try {
      for await (const page of readAllPages(this.store, { pageSize: REBUILD_READ_PAGE })) {
        this.applyPage(page); // a savepoint inside the open transaction
        last = page[page.length - 1]!.position;
        uncommitted += page.length;
        if (uncommitted >= REBUILD_COMMIT_EVERY) {
          commit();
          this.db.exec('BEGIN');
        }
      }
      commit();
    } catch (error) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      throw error;
    }
  }
}
