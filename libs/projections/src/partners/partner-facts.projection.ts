import type { RecordedEvent } from '@app/event-store';
import type Database from 'better-sqlite3';
import type { Projection } from '../core/projection.js';
import {
  emptyFunnelPartner,
  foldFunnelFact,
  isFunnelFact,
  type FunnelPartner,
} from '../reports/funnel.js';

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
  'InvolvementPaymentRecorded',
  'InvolvementPaymentDeclined',
  'PersonalDataErased',
  'SeatAllocated',
  'SeatVacated',
  'CoChairAppointed',
  'CoChairElected',
  'CoChairStoodDown',
  'CandidateNominated',
]);

type Data = Record<string, unknown>;
const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);
/** Never copied into a fact: names, contact details and notes (see the class comment). */
const PERSONAL_FIELDS = ['name', 'email', 'phone', 'note'] as const;
/** The event's data as a fact keeps it: copied only when it holds personal fields (most hold none). */
const withoutPersonalData = (data: Data): Data => {
  if (!PERSONAL_FIELDS.some((field) => field in data)) return data;
  const detail = { ...data };
  for (const field of PERSONAL_FIELDS) delete detail[field];
  return detail;
};
const people = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];

/**
 * Every fact about every partner, with both times: partner history, the
 * recruitment funnel and expenses are all questions over these rows, asked
 * as of a date and as known at a time. Meetings keep attendance, for
 * participation and for each partner's history; `pf_mentions` keeps the
 * other events that name a partner among others (decisions, feedback
 * raised, elections). Never a ballot or who cast it: `VoterMarked` is not kept, so no
 * row can be joined to a `BallotCast`. Names and contact details are not
 * copied (names live in the governance projection, which forgets them on
 * erasure); a withdrawal note is kept apart, in `pf_notes`, and deleted when
 * the person's data is erased. `pf_funnel` keeps each partner's standing in
 * the recruitment funnel as it changes (one row a partner), for the funnel
 * now; `pf_funnel_horizon` the latest business and record times it has
 * folded in, so a read knows whether a time point sees all of it.
 */
export class PartnerFactsProjection implements Projection {
  readonly name = 'partner-facts';
  readonly tables = [
    'pf_facts',
    'pf_meetings',
    'pf_attendance',
    'pf_mentions',
    'pf_notes',
    'pf_funnel',
    'pf_funnel_horizon',
  ] as const;
  readonly schema = `
    CREATE TABLE IF NOT EXISTS pf_facts (
      position    INTEGER PRIMARY KEY,
      partner_id  TEXT NOT NULL,
      type        TEXT NOT NULL,
      occurred_at TEXT NOT NULL,
      recorded_at INTEGER NOT NULL,
      detail      TEXT NOT NULL
    );
    CREATE TABLE IF NOT EXISTS pf_meetings (
      group_id         TEXT NOT NULL,
      meeting_id       TEXT NOT NULL,
      duration_minutes INTEGER NOT NULL,
      held_at          TEXT NOT NULL,
      recorded_at      INTEGER NOT NULL,
      position         INTEGER NOT NULL,
      PRIMARY KEY (group_id, meeting_id)
    );
    CREATE TABLE IF NOT EXISTS pf_attendance (
      group_id   TEXT NOT NULL,
      meeting_id TEXT NOT NULL,
      partner_id TEXT NOT NULL,
      presence   TEXT NOT NULL,
      PRIMARY KEY (group_id, meeting_id, partner_id)
    );
    CREATE TABLE IF NOT EXISTS pf_mentions (
      position    INTEGER NOT NULL,
      partner_id  TEXT NOT NULL,
      role        TEXT NOT NULL,
      type        TEXT NOT NULL,
      occurred_at TEXT NOT NULL,
      recorded_at INTEGER NOT NULL,
      detail      TEXT NOT NULL,
      PRIMARY KEY (position, partner_id, role)
    );
    CREATE TABLE IF NOT EXISTS pf_notes (
      position   INTEGER PRIMARY KEY,
      partner_id TEXT NOT NULL,
      note       TEXT NOT NULL
    );
    CREATE TABLE IF NOT EXISTS pf_funnel (
      partner_id        TEXT PRIMARY KEY,
      origin_at         TEXT,
      kind              TEXT,
      campaign          TEXT,
      organisation_kind TEXT,
      workshops         INTEGER NOT NULL,
      interest          INTEGER NOT NULL,
      bodies            TEXT NOT NULL,
      withdrawal_at     TEXT,
      withdrawal_reason TEXT
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS pf_funnel_horizon (
      id           INTEGER PRIMARY KEY CHECK (id = 1),
      occurred_max TEXT NOT NULL,
      recorded_max INTEGER NOT NULL
    );
  `;
  readonly indexes = `
    CREATE INDEX IF NOT EXISTS pf_facts_partner ON pf_facts (partner_id, occurred_at);
    -- A partner's meetings, for their history (not copied into pf_mentions: half its rows).
    CREATE INDEX IF NOT EXISTS pf_attendance_partner ON pf_attendance (partner_id);
    CREATE INDEX IF NOT EXISTS pf_mentions_partner ON pf_mentions (partner_id, occurred_at);
  `;

  private insertFact!: Database.Statement;
  private insertMeeting!: Database.Statement;
  private insertAttendance!: Database.Statement;
  private insertMention!: Database.Statement;
  private insertNote!: Database.Statement;
  private forgetNotes!: Database.Statement;
  private funnelOf!: Database.Statement<[string], StoredFunnelRow>;
  private saveFunnel!: Database.Statement;
  private widenHorizon!: Database.Statement;

  prepare(db: Database.Database): void {
    this.insertFact = db.prepare('INSERT OR IGNORE INTO pf_facts VALUES (?, ?, ?, ?, ?, ?)');
    this.insertMeeting = db.prepare('INSERT OR IGNORE INTO pf_meetings VALUES (?, ?, ?, ?, ?, ?)');
    this.insertAttendance = db.prepare('INSERT OR IGNORE INTO pf_attendance VALUES (?, ?, ?, ?)');
    this.insertMention = db.prepare(
      'INSERT OR IGNORE INTO pf_mentions VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    this.insertNote = db.prepare('INSERT OR IGNORE INTO pf_notes VALUES (?, ?, ?)');
    this.forgetNotes = db.prepare('DELETE FROM pf_notes WHERE partner_id = ?');
    this.funnelOf = db.prepare('SELECT * FROM pf_funnel WHERE partner_id = ?');
    this.saveFunnel = db.prepare(
      'INSERT OR REPLACE INTO pf_funnel VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.widenHorizon = db.prepare(`INSERT INTO pf_funnel_horizon VALUES (1, ?, ?)
      ON CONFLICT (id) DO UPDATE SET occurred_max = max(occurred_max, excluded.occurred_max),
        recorded_max = max(recorded_max, excluded.recorded_max)`);
  }

  apply(event: RecordedEvent): void {
    const data = (event.data ?? {}) as Data;
    switch (event.type) {
      case 'MeetingHeld': {
        const groupId = String(data.groupId);
        const meetingId = String(data.meetingId);
        this.insertMeeting.run(
          groupId,
          meetingId,
          Number(data.durationMinutes),
          String(data.occurredAt ?? ''),
          event.recordedAt.getTime(),
          Number(event.position),
        );
        for (const id of people(data.attendees)) {
          this.insertAttendance.run(groupId, meetingId, id, 'attended');
        }
        for (const id of people(data.apologies)) {
          this.insertAttendance.run(groupId, meetingId, id, 'apologies');
        }
        return;
      }
      case 'DecisionRecorded':
        this.mention(event, people(data.layMembersPresent), 'present-at-decision', {
          groupId: data.groupId,
          decisionId: data.decisionId,
          summary: data.summary,
          influencedBy: data.influencedBy,
        });
        return;
      case 'FeedbackHeard': {
        const raisedBy = text(data.raisedBy);
        if (raisedBy)
          this.mention(event, [raisedBy], 'raised-feedback', {
            feedbackId: data.feedbackId,
            groupId: data.groupId,
            channel: data.channel,
            kind: data.kind,
            summary: data.summary,
          });
        return;
      }
      case 'CoChairElectionOpened':
        this.mention(event, people(data.electorate), 'elector', {
          electionId: data.electionId,
          groupId: data.groupId,
          constituency: data.constituency,
        });
        return;
      case 'ElectionClosed': {
        const elected = text(data.electedPartnerId);
        if (elected)
          this.mention(event, [elected], 'elected', {
            electionId: data.electionId,
            groupId: data.groupId,
            constituency: data.constituency,
            turnout: data.turnout,
          });
        return;
      }
      default:
        break;
    }
    if (!PARTNER_FACTS.has(event.type) || typeof data.partnerId !== 'string') return;
    const position = Number(event.position);
    if (event.type === 'PersonalDataErased') this.forgetNotes.run(data.partnerId);
    const note = text(data.note);
    if (event.type === 'PartnerWithdrew' && note)
      this.insertNote.run(position, data.partnerId, note);
    const occurredAt = String(data.occurredAt ?? '');
    this.insertFact.run(
      position,
      data.partnerId,
      event.type,
      occurredAt,
      event.recordedAt.getTime(),
      JSON.stringify(withoutPersonalData(data)),
    );
    if (isFunnelFact(event.type)) {
      const row = this.funnelOf.get(data.partnerId);
      const partner = row ? funnelPartner(row) : emptyFunnelPartner(data.partnerId);
      foldFunnelFact(partner, event.type, occurredAt, data);
      this.saveFunnel.run(...funnelRow(partner));
      this.widenHorizon.run(occurredAt, event.recordedAt.getTime());
    }
  }

  /** One row per partner named, the detail serialised once for all of them. */
  private mention(event: RecordedEvent, partnerIds: readonly string[], role: string, detail: Data) {
    if (partnerIds.length === 0) return;
    const json = JSON.stringify(detail);
    const position = Number(event.position);
    const occurredAt = String((event.data as Data).occurredAt ?? '');
    const recordedAt = event.recordedAt.getTime();
    for (const partnerId of partnerIds) {
      this.insertMention.run(position, partnerId, role, event.type, occurredAt, recordedAt, json);
    }
  }
}

/** A row of `pf_funnel`. */
export interface StoredFunnelRow {
  partner_id: string;
  origin_at: string | null;
  kind: 'lay' | 'professional' | null;
  campaign: string | null;
  organisation_kind: string | null;
  workshops: number;
  interest: number;
  bodies: string;
  withdrawal_at: string | null;
  withdrawal_reason: string | null;
}

export function funnelPartner(row: StoredFunnelRow): FunnelPartner {
  return {
    partnerId: row.partner_id,
    originAt: row.origin_at,
    kind: row.kind,
    campaign: row.campaign,
    organisationKind: row.organisation_kind,
    workshops: row.workshops === 1,
    interest: row.interest === 1,
    bodies: JSON.parse(row.bodies) as string[],
    withdrawalAt: row.withdrawal_at,
    withdrawalReason: row.withdrawal_reason,
  };
}

function funnelRow(p: FunnelPartner): unknown[] {
  return [
    p.partnerId,
    p.originAt,
    p.kind,
    p.campaign,
    p.organisationKind,
    p.workshops ? 1 : 0,
    p.interest ? 1 : 0,
    JSON.stringify(p.bodies),
    p.withdrawalAt,
    p.withdrawalReason,
  ];
}
