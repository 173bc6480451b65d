import { roleLevelOf, type ProgrammeEvent } from '@app/domain';
import type { RecordedEvent } from '@app/event-store';
import type Database from 'better-sqlite3';
import type { Projection } from '../core/projection.js';

/**
 * Everything a programme declared, each fact with its business date and the
 * time the ledger learnt it, so a programme reads as of any date, as known
 * at any time: launch and boroughs, every role profile, nomination request,
 * recruitment workshop, principles version and withdrawal-reason vocabulary.
 */
export class ProgrammesProjection implements Projection {
  readonly name = 'programmes';
  readonly tables = [
    'prg_programmes',
    'prg_role_profiles',
    'prg_nomination_requests',
    'prg_workshops',
    'prg_principles',
    'prg_withdrawal_reasons',
  ] as const;
  readonly schema = `
    CREATE TABLE IF NOT EXISTS prg_programmes (
      programme_id   TEXT PRIMARY KEY,
      name           TEXT NOT NULL,
      boroughs       TEXT NOT NULL,
      launched_at    TEXT NOT NULL,
      recorded_at    INTEGER NOT NULL
    );
    CREATE TABLE IF NOT EXISTS prg_role_profiles (
      position             INTEGER PRIMARY KEY,
      programme_id         TEXT NOT NULL,
      meetings_per_month   REAL NOT NULL,
      hours_per_month      REAL NOT NULL,
      paid                 INTEGER NOT NULL,
      expenses_reimbursed  INTEGER NOT NULL,
      summary              TEXT NOT NULL,
      published_at         TEXT NOT NULL,
      recorded_at          INTEGER NOT NULL,
      role_level           TEXT NOT NULL,
      -- JSON {amountPence, currency, per}; NULL: not on record
      involvement_payment  TEXT
    );
    CREATE TABLE IF NOT EXISTS prg_nomination_requests (
      position       INTEGER PRIMARY KEY,
      programme_id   TEXT NOT NULL,
      campaign       TEXT NOT NULL,
      organisations  TEXT NOT NULL,
      requested_at   TEXT NOT NULL,
      recorded_at    INTEGER NOT NULL
    );
    CREATE TABLE IF NOT EXISTS prg_workshops (
      position       INTEGER PRIMARY KEY,
      programme_id   TEXT NOT NULL,
      workshop_id    TEXT NOT NULL,
      campaign       TEXT NOT NULL,
      attendees      INTEGER NOT NULL,
      held_at        TEXT NOT NULL,
      recorded_at    INTEGER NOT NULL
    );
    CREATE TABLE IF NOT EXISTS prg_principles (
      position       INTEGER PRIMARY KEY,
      programme_id   TEXT NOT NULL,
      version        INTEGER NOT NULL,
      statements     TEXT NOT NULL,
      adopted_by     TEXT NOT NULL,
      supersedes     INTEGER,
      adopted_at     TEXT NOT NULL,
      recorded_at    INTEGER NOT NULL
    );
    CREATE TABLE IF NOT EXISTS prg_withdrawal_reasons (
      position       INTEGER PRIMARY KEY,
      programme_id   TEXT NOT NULL,
      reasons        TEXT NOT NULL,
      defined_at     TEXT NOT NULL,
      recorded_at    INTEGER NOT NULL
    );
  `;
  readonly indexes = '';

  private stmt!: {
    launched: Database.Statement;
    roleProfile: Database.Statement;
    nominations: Database.Statement;
    workshop: Database.Statement;
    principles: Database.Statement;
    reasons: Database.Statement;
  };

  prepare(db: Database.Database): void {
    this.stmt = {
      launched: db.prepare('INSERT OR IGNORE INTO prg_programmes VALUES (?, ?, ?, ?, ?)'),
      roleProfile: db.prepare(
        'INSERT OR IGNORE INTO prg_role_profiles VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      nominations: db.prepare(
        'INSERT OR IGNORE INTO prg_nomination_requests VALUES (?, ?, ?, ?, ?, ?)',
      ),
      workshop: db.prepare('INSERT OR IGNORE INTO prg_workshops VALUES (?, ?, ?, ?, ?, ?, ?)'),
      principles: db.prepare(
        'INSERT OR IGNORE INTO prg_principles VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      reasons: db.prepare('INSERT OR IGNORE INTO prg_withdrawal_reasons VALUES (?, ?, ?, ?, ?)'),
    };
  }

  apply(recorded: RecordedEvent): void {
    const event = { type: recorded.type, data: recorded.data } as ProgrammeEvent;
    const at = recorded.recordedAt.getTime();
    const position = Number(recorded.position);
    switch (event.type) {
      case 'ProgrammeLaunched': {
        const d = event.data;
        this.stmt.launched.run(d.programmeId, d.name, JSON.stringify(d.boroughs), d.occurredAt, at);
        return;
      }
      case 'RoleProfilePublished': {
        const d = event.data;
        this.stmt.roleProfile.run(
          position,
          d.programmeId,
          d.meetingsPerMonth,
          d.hoursPerMonth,
          d.paid ? 1 : 0,
          d.expensesReimbursed ? 1 : 0,
          d.summary,
          d.occurredAt,
          at,
          roleLevelOf(d),
          d.involvementPayment ? JSON.stringify(d.involvementPayment) : null,
        );
        return;
      }
      case 'NominationsRequested': {
        const d = event.data;
        const organisations = JSON.stringify(d.organisations);
        this.stmt.nominations.run(
          position,
          d.programmeId,
          d.campaign,
          organisations,
          d.occurredAt,
          at,
        );
        return;
      }
      case 'RecruitmentWorkshopHeld': {
        const d = event.data;
        this.stmt.workshop.run(
          position,
          d.programmeId,
          d.workshopId,
          d.campaign,
          d.attendees,
          d.occurredAt,
          at,
        );
        return;
      }
      case 'PrinciplesAdopted': {
        const d = event.data;
        this.stmt.principles.run(
          position,
          d.programmeId,
          d.version,
          JSON.stringify(d.statements),
          d.adoptedBy,
          d.supersedes,
          d.occurredAt,
          at,
        );
        return;
      }
      case 'WithdrawalReasonsDefined': {
        const d = event.data;
        this.stmt.reasons.run(position, d.programmeId, JSON.stringify(d.reasons), d.occurredAt, at);
        return;
      }
      default:
        return; // not this projection's event
    }
  }
}
