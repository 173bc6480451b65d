import type { ProgrammeEvent } from '@app/domain';
import type { RecordedEvent } from '@app/event-store';
import type Database from 'better-sqlite3';
import type { Projection } from '../core/projection.js';

/**
 * What reports need beyond partners, groups and meetings: the programme's
 * boroughs (borough coverage), with both times.
 */
export class ReportsProjection implements Projection {
  readonly name = 'reports';
  readonly tables = ['rep_programmes'] as const;
  readonly schema = `
    CREATE TABLE IF NOT EXISTS rep_programmes (
      programme_id TEXT PRIMARY KEY,
      name         TEXT NOT NULL,
      boroughs     TEXT NOT NULL,
      launched_at  TEXT NOT NULL,
      recorded_at  INTEGER NOT NULL,
      position     INTEGER NOT NULL
    );
  `;
  readonly indexes = '';

  private insertProgramme!: Database.Statement;

  prepare(db: Database.Database): void {
    this.insertProgramme = db.prepare(
      'INSERT OR IGNORE INTO rep_programmes VALUES (?, ?, ?, ?, ?, ?)',
    );
  }

  apply(recorded: RecordedEvent): void {
    const event = { type: recorded.type, data: recorded.data } as ProgrammeEvent;
    if (event.type !== 'ProgrammeLaunched') return;
    const d = event.data;
    this.insertProgramme.run(
      d.programmeId,
      d.name,
      JSON.stringify(d.boroughs),
      d.occurredAt,
      recorded.recordedAt.getTime(),
      Number(recorded.position),
    );
  }
}
