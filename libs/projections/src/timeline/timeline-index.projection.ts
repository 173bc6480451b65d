import type { RecordedEvent } from '@app/event-store';
import type Database from 'better-sqlite3';
import type { Projection } from '../core/projection.js';
import { eventSubjects } from './describe-event.js';

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
    CREATE TABLE IF NOT EXISTS tl_subjects (
      -- 'g': a group, 'p': a partner
      kind      TEXT NOT NULL,
      id        TEXT NOT NULL,
      position  INTEGER NOT NULL,
      PRIMARY KEY (kind, id, position)
    ) WITHOUT ROWID;
  `;
  readonly indexes = '';
  private insert!: Database.Statement<[string, string, bigint]>;

  prepare(db: Database.Database): void {
    this.insert = db.prepare(
      'INSERT OR IGNORE INTO tl_subjects (kind, id, position) VALUES (?, ?, ?)',
    );
  }

  apply(event: RecordedEvent): void {
    const { groups, partners } = eventSubjects(event);
    for (const id of groups) this.insert.run('g', id, event.position);
    for (const id of partners) this.insert.run('p', id, event.position);
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
        `SELECT position FROM tl_subjects
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
