import type { RecordedEvent } from '@app/event-store';
import type Database from 'better-sqlite3';

/**
 * A read model fed from `$all`. `apply` runs inside the runner's transaction,
 * together with the checkpoint update, and must be idempotent per event
 * position (a redelivered event after a crash between handler and commit is
 * impossible here, but rebuilds and replays apply the same events again).
 */
export interface Projection {
  readonly name: string;
  /** DDL of the tables and of any index `apply` relies on, idempotent (CREATE ... IF NOT EXISTS). */
  readonly schema: string;
  /**
   * DDL of the secondary indexes only queries use, idempotent. `apply` must
   * never need them: a rebuild or replay creates them after the last event
   * (one sort instead of an index insert per row; ADR 0001).
   */
  readonly indexes: string;
  /** Tables this projection owns, dropped on rebuild. */
  readonly tables: readonly string[];
  /** Called once the schema exists; prepare statements here. */
  prepare(db: Database.Database): void;
  apply(event: RecordedEvent): void;
  /**
   * Optional, around a rebuild's replay of the whole log: `start` before the
   * first event, `finish` after the last (in a transaction of its own, before
   * the query indexes), `abandon` if the replay failed. A projection may defer
   * per-event work to `finish` and do it once over its tables; `apply` must
   * still be right without these calls (live events, other replays).
   */
  bulkReplay?(phase: 'start' | 'finish' | 'abandon'): void;
}

/** Creates every projection's tables and prepares its statements; with `indexes`, its query indexes too. */
export function installProjections(
  db: Database.Database,
  projections: readonly Projection[],
  { indexes }: { indexes: boolean },
): void {
  for (const projection of projections) db.exec(projection.schema);
  if (indexes) installIndexes(db, projections);
  for (const projection of projections) projection.prepare(db);
}

/** Creates the query indexes (after a bulk replay: a sort each, not an insert per row). */
export function installIndexes(db: Database.Database, projections: readonly Projection[]): void {
  for (const projection of projections) db.exec(projection.indexes);
}
