import type Database from 'better-sqlite3';

/**
 * The position up to which a subscriber of `$all` other than the read models
 * (the sagas) has handled the log, kept in the read store's `checkpoints`
 * table beside the projections' own. Readers wait on it (`waitFor`), never
 * on time.
 *
 * It is written at most once per turn of the event loop, not once per event
 * (a commit each, measured on the HTTP write path): after a crash the
 * subscriber may see a few events again, so it must tolerate redelivery
 * (sagas issue commands with ids derived from the causing event).
 */
export class SubscriberCheckpoint {
  private current: bigint | null;
  private persisted: bigint | null;
  private persistScheduled = false;
  private readonly waiters: Array<{ position: bigint; resolve: () => void }> = [];
  private readonly save: Database.Statement<[string, number]>;

  constructor(
    db: Database.Database,
    readonly name: string,
  ) {
    this.save = db.prepare(
      `INSERT INTO checkpoints (name, position) VALUES (?, ?)
       ON CONFLICT (name) DO UPDATE SET position = excluded.position`,
    );
    const row = db
      .prepare<[string], { position: number | null }>(
        'SELECT position FROM checkpoints WHERE name = ?',
      )
      .get(name);
    this.current = row?.position == null ? null : BigInt(row.position);
    this.persisted = this.current;
  }

  /** The last position handled, or null if none yet. */
  get position(): bigint | null {
    return this.current;
  }

  /** Everything up to `position` is handled: release its waiters, write it soon. */
  advance(position: bigint): void {
    this.current = position;
    this.persistSoon();
    for (let i = this.waiters.length - 1; i >= 0; i--) {
      const waiter = this.waiters[i]!;
      if (waiter.position <= position) {
        this.waiters.splice(i, 1);
        waiter.resolve();
      }
    }
  }

  /** Resolves once the subscriber has handled the events up to `position`. */
  waitFor(position: bigint): Promise<void> {
    if (this.current !== null && this.current >= position) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ position, resolve }));
  }

  /** Writes the position now (on shutdown). */
  flush(): void {
    this.persistScheduled = false;
    if (this.current === null || this.current === this.persisted) return;
    this.save.run(this.name, Number(this.current));
    this.persisted = this.current;
  }

  private persistSoon(): void {
    if (this.persistScheduled) return;
    this.persistScheduled = true;
    setImmediate(() => this.flush());
  }
}
