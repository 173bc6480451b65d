import type { RecordedEvent } from '@app/event-store';
import type Database from 'better-sqlite3';
import type { Projection } from '../core/projection.js';

/** Event types that are facts about one partner (by `data.partnerId`). */
const PARTNER_FACTS = new Set([
  'PartnerNominated',
  'PartnerRegistered',
  'WorkshopAttended',
  'InterestExpressed',
  'PartnerAppointed',
  'TrainingCompleted',
  'PartnerWithdrew',
  'ExpenseClaimed',
  'ExpenseReimbursed',
  'ExpenseRejected',
  'PersonalDataErased',
  'SeatAllocated',
  'SeatVacated',
  'CoChairAppointed',
  'CoChairElected',
  'CoChairStoodDown',
]);

/**
 * Every fact about every partner, with both times: partner history, the
 * recruitment funnel and expenses are all questions over these rows, asked
 * as of a date and as known at a time. Meetings keep attendance for
 * participation. Personal detail is not copied here (names live in the
 * governance projection, which forgets them on erasure).
 */
export class PartnerFactsProjection implements Projection {
  readonly name = 'partner-facts';
  readonly tables = ['pf_facts', 'pf_meetings', 'pf_attendance'] as const;
  readonly schema = `
    CREATE TABLE IF NOT EXISTS pf_facts (
      position    INTEGER PRIMARY KEY,
      partner_id  TEXT NOT NULL,
      type        TEXT NOT NULL,
      occurred_at TEXT NOT NULL,
      recorded_at INTEGER NOT NULL,
      detail      TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS pf_facts_partner ON pf_facts (partner_id, occurred_at);
    CREATE TABLE IF NOT EXISTS pf_meetings (
      group_id         TEXT NOT NULL,
      meeting_id       TEXT NOT NULL,
      duration_minutes INTEGER NOT NULL,
      held_at          TEXT NOT NULL,
      recorded_at      INTEGER NOT NULL,
      PRIMARY KEY (group_id, meeting_id)
    );
    CREATE TABLE IF NOT EXISTS pf_attendance (
      group_id   TEXT NOT NULL,
      meeting_id TEXT NOT NULL,
      partner_id TEXT NOT NULL,
      presence   TEXT NOT NULL,
      PRIMARY KEY (group_id, meeting_id, partner_id)
    );
  `;

  private insertFact!: Database.Statement;
  private insertMeeting!: Database.Statement;
  private insertAttendance!: Database.Statement;

  prepare(db: Database.Database): void {
    this.insertFact = db.prepare('INSERT OR IGNORE INTO pf_facts VALUES (?, ?, ?, ?, ?, ?)');
    this.insertMeeting = db.prepare('INSERT OR IGNORE INTO pf_meetings VALUES (?, ?, ?, ?, ?)');
    this.insertAttendance = db.prepare('INSERT OR IGNORE INTO pf_attendance VALUES (?, ?, ?, ?)');
  }

  apply(event: RecordedEvent): void {
    const data = (event.data ?? {}) as Record<string, unknown>;
    if (event.type === 'MeetingHeld') {
      const groupId = String(data.groupId);
      const meetingId = String(data.meetingId);
      this.insertMeeting.run(
        groupId,
        meetingId,
        Number(data.durationMinutes),
        String(data.occurredAt),
        event.recordedAt.getTime(),
      );
      for (const id of (data.attendees as string[] | undefined) ?? [])
        this.insertAttendance.run(groupId, meetingId, id, 'attended');
      for (const id of (data.apologies as string[] | undefined) ?? [])
        this.insertAttendance.run(groupId, meetingId, id, 'apologies');
      return;
    }
    if (!PARTNER_FACTS.has(event.type) || typeof data.partnerId !== 'string') return;
    // Keep the facts reports need; never names, contacts or notes.
    const { name: _name, email: _email, phone: _phone, note: _note, ...detail } = data;
    this.insertFact.run(
      Number(event.position),
      data.partnerId,
      event.type,
      String(data.occurredAt ?? ''),
      event.recordedAt.getTime(),
      JSON.stringify(detail),
    );
  }
}
