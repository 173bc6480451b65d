import type { RecordedEvent } from '@app/event-store';
import type Database from 'better-sqlite3';
import type { Projection } from '../core/projection.js';
import { eventSubjects } from './describe-event.js';

/** Rows one INSERT writes at most. */
const MAX_ROWS = 100;

/**
 * The timeline's index: for every group and partner an event mentions (as
 * the timeline's filter matches them), the event's position. A page of one
 * group's or one partner's timeline then reads its positions here and
 * fetches those events, instead of testing every event of `$all`.
 */
export class TimelineIndexProjection implements Projection {
  readonly name = 'timeline-index';
  readonly tables = ['tl_subjects'] as const;
  readonly schema = `
    -- Rows are appended in $all order (no key to keep sorted while a rebuild
    -- applies the log); a row applied twice is read once (DISTINCT).
    CREATE TABLE IF NOT EXISTS tl_subjects (
      -- 'g': a group, 'p': a partner
      kind      TEXT NOT NULL,
      id        TEXT NOT NULL,
      position  INTEGER NOT NULL
    );
  `;
  readonly indexes = `
    CREATE INDEX IF NOT EXISTS tl_subjects_by_subject ON tl_subjects (kind, id, position);
  `;
  private db!: Database.Database;
  /** One INSERT of n rows for each n seen: one statement run per event. */
  private readonly inserts: Array<Database.Statement<[Array<string | bigint>]>> = [];

  prepare(db: Database.Database): void {
    this.db = db;
    this.inserts.length = 0;
  }

  apply(event: RecordedEvent): void {
    const { groups, partners } = eventSubjects(event);
    let values: Array<string | bigint> = [];
    const row = (kind: string, id: string) => {
      values.push(kind, id, event.position);
      // In statements of at most MAX_ROWS rows (an electorate may be long).
      if (values.length === MAX_ROWS * 3) {
        this.flush(values);
        values = [];
      }
    };
    for (const id of groups) row('g', id);
    for (const id of partners) row('p', id);
    if (values.length > 0) this.flush(values);
  }

  private flush(values: Array<string | bigint>): void {
    this.insertOf(values.length / 3).run(values);
  }

  private insertOf(rows: number): Database.Statement<[Array<string | bigint>]> {
    return (this.inserts[rows] ??= this.db.prepare<[Array<string | bigint>]>(
      `INSERT INTO tl_subjects (kind, id, position) VALUES ${Array(rows).fill('(?, ?, ?)').join(', ')}`,
    ));
  }
}

/** Whose timeline: one group's or one partner's. */
export interface TimelineSubject {
  kind: 'group' | 'partner';
  id: string;
}

/** Positions of one subject's events, read from the index. */
export class TimelineIndexQueries {
  private readonly positionsOf: Database.Statement<
    [string, string, bigint, bigint, number],
    bigint
  >;

  /** `checkpoint`: the position of the last event the read models include (null: none). */
  constructor(
    db: Database.Database,
    private readonly included: () => bigint | null,
  ) {
    this.positionsOf = db
      .prepare<[string, string, bigint, bigint, number], bigint>(
        `SELECT DISTINCT position FROM tl_subjects
         WHERE kind = ? AND id = ? AND position > ? AND position <= ?
         ORDER BY position LIMIT ?`,
      )
      .pluck()
      .safeIntegers(true);
  }

  /** The last position the index includes; events after it are not indexed yet. */
  get checkpoint(): bigint | null {
    return this.included();
  }

  /** Up to `limit` positions of the subject's events after `after` (exclusive), up to `upTo` (inclusive). */
  positions(subject: TimelineSubject, after: bigint | null, upTo: bigint, limit: number): bigint[] {
    return this.positionsOf.all(
      subject.kind === 'group' ? 'g' : 'p',
      subject.id,
      after ?? -1n,
      upTo,
      limit,
    );
  }
}
