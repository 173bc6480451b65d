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
  /** DDL, idempotent (CREATE ... IF NOT EXISTS). */
  readonly schema: string;
  /** Tables this projection owns, dropped on rebuild. */
  readonly tables: readonly string[];
  /** Called once the schema exists; prepare statements here. */
  prepare(db: Database.Database): void;
  apply(event: RecordedEvent): void;
}
