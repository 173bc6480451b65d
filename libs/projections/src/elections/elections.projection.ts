import type { ElectionEvent } from '@app/domain';
import type { RecordedEvent } from '@app/event-store';
import type Database from 'better-sqlite3';
import type { Projection } from '../core/projection.js';

type DataOf<T extends ElectionEvent['type']> = Extract<ElectionEvent, { type: T }>['data'];

/**
 * Co-chair elections as an auditor reads them: who stood, how many voted,
 * how many votes each candidate had, and the result — never who voted for
 * whom. Turnout counts `VoterMarked` events and keeps neither the voter nor
 * the event's position; the tally counts `BallotCast` events by their random
 * ballot id. Nothing in these tables can join a mark to a ballot.
 */
export class ElectionsProjection implements Projection {
  readonly name = 'elections';
  readonly tables = ['el_elections', 'el_candidates', 'el_marks', 'el_ballots'] as const;
  readonly schema = `
    CREATE TABLE IF NOT EXISTS el_elections (
      election_id          TEXT PRIMARY KEY,
      group_id             TEXT NOT NULL,
      constituency         TEXT NOT NULL,
      electorate_size      INTEGER NOT NULL,
      opened_at            TEXT NOT NULL,
      opened_recorded_at   INTEGER NOT NULL,
      closed_at            TEXT,
      closed_recorded_at   INTEGER,
      outcome              TEXT,
      elected_partner_id   TEXT
    );
    CREATE TABLE IF NOT EXISTS el_candidates (
      election_id    TEXT NOT NULL,
      partner_id     TEXT NOT NULL,
      nominated_at   TEXT NOT NULL,
      recorded_at    INTEGER NOT NULL,
      PRIMARY KEY (election_id, partner_id)
    );
    -- One row per elector marked as having voted, keyed by the event's own id: no voter, no position.
    CREATE TABLE IF NOT EXISTS el_marks (
      event_id     TEXT PRIMARY KEY,
      election_id  TEXT NOT NULL,
      marked_at    TEXT NOT NULL,
      recorded_at  INTEGER NOT NULL
    );
    -- One row per ballot, keyed by its random ballot id: the choice, never the voter.
    CREATE TABLE IF NOT EXISTS el_ballots (
      ballot_id     TEXT PRIMARY KEY,
      election_id   TEXT NOT NULL,
      candidate_id  TEXT NOT NULL,
      cast_at       TEXT NOT NULL,
      recorded_at   INTEGER NOT NULL
    );
  `;
  readonly indexes = `
    CREATE INDEX IF NOT EXISTS el_elections_group ON el_elections (group_id, opened_at);
    CREATE INDEX IF NOT EXISTS el_marks_election ON el_marks (election_id);
    CREATE INDEX IF NOT EXISTS el_ballots_election ON el_ballots (election_id);
  `;

  private stmt!: {
    open: Database.Statement;
    candidate: Database.Statement;
    mark: Database.Statement;
    ballot: Database.Statement;
    close: Database.Statement;
  };

  prepare(db: Database.Database): void {
    this.stmt = {
      open: db.prepare(`INSERT OR IGNORE INTO el_elections
        (election_id, group_id, constituency, electorate_size, opened_at, opened_recorded_at)
        VALUES (?, ?, ?, ?, ?, ?)`),
      candidate: db.prepare('INSERT OR IGNORE INTO el_candidates VALUES (?, ?, ?, ?)'),
      mark: db.prepare('INSERT OR IGNORE INTO el_marks VALUES (?, ?, ?, ?)'),
      ballot: db.prepare('INSERT OR IGNORE INTO el_ballots VALUES (?, ?, ?, ?, ?)'),
      close: db.prepare(`UPDATE el_elections
        SET closed_at = ?, closed_recorded_at = ?, outcome = ?, elected_partner_id = ?
        WHERE election_id = ? AND closed_at IS NULL`),
    };
  }

  apply(recorded: RecordedEvent): void {
    const event = { type: recorded.type, data: recorded.data } as ElectionEvent;
    const recordedAt = recorded.recordedAt.getTime();
    switch (event.type) {
      case 'CoChairElectionOpened':
        return this.opened(event.data, recordedAt);
      case 'CandidateNominated': {
        const d = event.data;
        this.stmt.candidate.run(d.electionId, d.partnerId, d.occurredAt, recordedAt);
        return;
      }
      case 'VoterMarked':
        this.stmt.mark.run(recorded.id, event.data.electionId, event.data.occurredAt, recordedAt);
        return;
      case 'BallotCast': {
        const d = event.data;
        this.stmt.ballot.run(d.ballotId, d.electionId, d.candidateId, d.occurredAt, recordedAt);
        return;
      }
      case 'ElectionClosed':
        return this.closed(event.data, recordedAt);
      default:
        return; // not this projection's event
    }
  }

  private opened(d: DataOf<'CoChairElectionOpened'>, recordedAt: number): void {
    this.stmt.open.run(
      d.electionId,
      d.groupId,
      d.constituency,
      d.electorate.length,
      d.occurredAt,
      recordedAt,
    );
  }

  private closed(d: DataOf<'ElectionClosed'>, recordedAt: number): void {
    this.stmt.close.run(d.occurredAt, recordedAt, d.outcome, d.electedPartnerId, d.electionId);
  }
}
