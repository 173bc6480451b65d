import type { RecordedEvent } from '@app/event-store';
import type Database from 'better-sqlite3';
import type { TimePoint } from '../governance/governance.queries.js';
import { describeEvent } from '../timeline/describe-event.js';
import { StoredPersonNames, type PersonNames } from './person-names.js';

/** One thing that happened to a partner, in business-time order. */
export interface PartnerFact {
  position: number;
  type: string;
  occurredAt: string;
  recordedAt: string;
  /** What the partner's part was, for events naming several people (`attended`, `raised-feedback`, …). */
  role: string | null;
  groupId: string | null;
  /** A short plain-language line. */
  line: string;
  detail: Record<string, unknown>;
}

export type PartnerStatus = 'nominated' | 'registered' | 'appointed' | 'withdrawn' | 'erased';

export interface PartnerPosition {
  groupId: string;
  groupName: string;
  seatId: string;
  constituency: string;
  since: string;
}

/** A partner's kind and withdrawal, without the rest of their summary. */
export interface PartnerStanding {
  partnerId: string;
  kind: 'lay' | 'professional';
  withdrawal: { reason: string; at: string } | null;
}

export interface PartnerSummary {
  partnerId: string;
  name: string;
  kind: 'lay' | 'professional';
  /** As of the query's `asOf`, as known at its `knownAt`. */
  status: PartnerStatus;
  joinedAt: string;
  nominatedBy: { organisation: string; organisationKind: string } | null;
  campaign: string | null;
  /** Professionals: who they represent. */
  organisation: string | null;
  constituency: string | null;
  workshops: Array<{ workshopId: string; at: string }>;
  interestExpressedAt: string | null;
  appointments: Array<{ body: string; at: string }>;
  trainings: Array<{ course: string; at: string }>;
  withdrawal: { reason: string; note: string | null; at: string } | null;
  erasedAt: string | null;
  /** Seats and co-chair roles held at `asOf`. */
  seats: PartnerPosition[];
  coChairs: PartnerPosition[];
}

interface FactRow {
  position: number;
  partner_id: string;
  type: string;
  role: string | null;
  occurred_at: string;
  recorded_at: number;
  detail: string;
}

interface TenureRow {
  partner_id: string;
  group_id: string;
  group_name: string | null;
  seat_id: string;
  role: string;
  constituency: string;
  from_date: string;
}

type Detail = Record<string, unknown>;
const str = (d: Detail, key: string): string => (typeof d[key] === 'string' ? d[key] : '');
const optional = (d: Detail, key: string): string | null =>
  typeof d[key] === 'string' ? d[key] : null;

/** Partners and their histories, as of a business date, as known at a time. */
export class PartnerQueries {
  private readonly factsOf: Database.Statement<[TimePoint & { id: string }], FactRow>;
  private readonly partnerIdsAfter: Database.Statement<
    [{ after: string; n: number }],
    { partner_id: string }
  >;
  private readonly factsBetween: Database.Statement<
    [TimePoint & { after: string; last: string }],
    FactRow
  >;
  private readonly tenuresBetween: Database.Statement<
    [TimePoint & { after: string; last: string }],
    TenureRow
  >;
  private readonly notesBetween: Database.Statement<
    [{ after: string; last: string }],
    { position: number; partner_id: string; note: string }
  >;
  private readonly mentionsOf: Database.Statement<[TimePoint & { id: string }], FactRow>;
  private readonly notesOf: Database.Statement<[string], { position: number; note: string }>;
  private readonly tenuresOfAt: Database.Statement<[TimePoint & { id: string }], TenureRow>;
  private readonly groupName: Database.Statement<[string], { name: string }>;
  private readonly standingFacts: Database.Statement<[TimePoint], FactRow>;
  private readonly names: PersonNames;

  constructor(db: Database.Database, names?: PersonNames) {
    const at = 'occurred_at <= @asOf AND recorded_at <= @knownAt';
    this.factsOf = db.prepare(
      `SELECT *, NULL AS role FROM pf_facts WHERE partner_id = @id AND ${at}
       ORDER BY occurred_at, position`,
    );
    // A page of partners: ids from the cursor on, then their facts, a range at a time.
    this.partnerIdsAfter = db.prepare(
      `SELECT DISTINCT partner_id FROM pf_facts WHERE partner_id > @after
       ORDER BY partner_id LIMIT @n`,
    );
    this.factsBetween = db.prepare(
      `SELECT *, NULL AS role FROM pf_facts
       WHERE partner_id > @after AND partner_id <= @last AND ${at}
       ORDER BY partner_id, occurred_at, position`,
    );
    this.notesBetween = db.prepare(
      'SELECT position, partner_id, note FROM pf_notes WHERE partner_id > @after AND partner_id <= @last',
    );
    // Events that name the partner, and the meetings they attended or sent apologies to
    // (kept once, in pf_attendance, and shaped here like a mention).
    this.mentionsOf = db.prepare(
      `SELECT position, partner_id, role, type, occurred_at, recorded_at, detail
         FROM pf_mentions WHERE partner_id = @id AND ${at}
       UNION ALL
       SELECT m.position, a.partner_id, a.presence, 'MeetingHeld', m.held_at, m.recorded_at,
              json_object('groupId', m.group_id, 'meetingId', m.meeting_id,
                          'durationMinutes', m.duration_minutes)
         FROM pf_attendance a JOIN pf_meetings m USING (group_id, meeting_id)
        WHERE a.partner_id = @id AND m.held_at <= @asOf AND m.recorded_at <= @knownAt
       ORDER BY 5, 1`,
    );
    this.notesOf = db.prepare('SELECT position, note FROM pf_notes WHERE partner_id = ?');
    const tenure = `SELECT t.partner_id, t.group_id, g.name AS group_name, t.seat_id, t.role,
        t.constituency, t.from_date
      FROM gov_tenures t LEFT JOIN gov_groups g ON g.group_id = t.group_id
      WHERE t.from_date <= @asOf AND t.start_recorded_at <= @knownAt
        AND NOT (t.to_date IS NOT NULL AND t.to_date <= @asOf AND t.end_recorded_at <= @knownAt)`;
    this.tenuresBetween = db.prepare(
      `${tenure} AND t.partner_id > @after AND t.partner_id <= @last ORDER BY t.from_date, t.group_id`,
    );
    this.tenuresOfAt = db.prepare(
      `${tenure} AND t.partner_id = @id ORDER BY t.from_date, t.group_id`,
    );
    this.groupName = db.prepare('SELECT name FROM gov_groups WHERE group_id = ?');
    this.standingFacts = db.prepare(
      `SELECT *, NULL AS role FROM pf_facts
       WHERE type IN ('PartnerNominated', 'PartnerRegistered', 'PartnerWithdrew') AND ${at}
       ORDER BY occurred_at, position`,
    );
    this.names = names ?? new StoredPersonNames(db);
  }

  /** The partner's own facts (nomination, appointment, seats, claims…), without plain-language lines. */
  facts(partnerId: string, at: TimePoint): PartnerFact[] {
    return this.factsOf.all({ ...at, id: partnerId }).map((row) => toFact(row, ''));
  }

  /**
   * Everything that happened to a partner as of `asOf`, as known at
   * `knownAt`: their own facts and the meetings, decisions, feedback and
   * elections that name them, each with a plain-language line. `names`
   * renders people for this reader (default: stored names).
   */
  history(partnerId: string, at: TimePoint, names: PersonNames = this.names): PartnerFact[] {
    const lookup = {
      partner: (id: string) => names.displayName(id),
      group: (id: string) => this.groupName.get(id)?.name ?? id,
    };
    const rows = [
      ...this.factsOf.all({ ...at, id: partnerId }),
      ...this.mentionsOf.all({ ...at, id: partnerId }),
    ].sort((a, b) => a.occurred_at.localeCompare(b.occurred_at) || a.position - b.position);
    return rows.map((row) => toFact(row, describe(row, partnerId, lookup)));
  }

  summary(
    partnerId: string,
    at: TimePoint,
    names: PersonNames = this.names,
  ): PartnerSummary | null {
    const facts = this.facts(partnerId, at);
    const tenures = this.tenuresOfAt.all({ ...at, id: partnerId });
    return summarise(partnerId, facts, names.displayName(partnerId), tenures, this.note(partnerId));
  }

  /**
   * Every partner's kind and withdrawal at the time point, as `list` gives
   * them (the first nomination or registration; the first withdrawal), from
   * those facts alone: one read, in id order.
   */
  standings(at: TimePoint): Map<string, PartnerStanding> {
    const origins = new Map<string, FactRow>();
    const withdrawals = new Map<string, FactRow>();
    for (const row of this.standingFacts.all(at)) {
      const first = row.type === 'PartnerWithdrew' ? withdrawals : origins;
      if (!first.has(row.partner_id)) first.set(row.partner_id, row);
    }
    const out = new Map<string, PartnerStanding>();
    for (const partnerId of [...origins.keys()].sort()) {
      const withdrawal = withdrawals.get(partnerId);
      out.set(partnerId, {
        partnerId,
        kind: origins.get(partnerId)!.type === 'PartnerRegistered' ? 'professional' : 'lay',
        withdrawal: withdrawal
          ? {
              reason: str(JSON.parse(withdrawal.detail) as Detail, 'reason'),
              at: withdrawal.occurred_at,
            }
          : null,
      });
    }
    return out;
  }

  /** Every partner at the time point, in id order. */
  list(at: TimePoint, names: PersonNames = this.names): PartnerSummary[] {
    return this.page(at, names, { limit: Number.POSITIVE_INFINITY }).partners;
  }

  /**
   * Partners in id order after `cursor` (a partner id), at most `limit` of
   * those `keep` accepts; `next` is the last one's id when more follow. Facts
   * are read from the cursor on only as far as the page needs.
   */
  page(
    at: TimePoint,
    names: PersonNames = this.names,
    options: {
      limit: number;
      cursor?: string | null;
      keep?: (partner: PartnerSummary) => boolean;
    },
  ): { partners: PartnerSummary[]; next: string | null } {
    const keep = options.keep ?? (() => true);
    const partners: PartnerSummary[] = [];
    const chunk = Math.min(Math.max(options.limit + 1, 64), 1_024);
    let after = options.cursor ?? '';
    for (;;) {
      const ids = this.partnerIdsAfter.all({ after, n: chunk }).map((r) => r.partner_id);
      if (ids.length === 0) return { partners, next: null };
      const range = { after, last: ids[ids.length - 1]! };
      const facts = groupRows(this.factsBetween.all({ ...at, ...range }), (r) => r.partner_id);
      const tenures = groupRows(this.tenuresBetween.all({ ...at, ...range }), (r) => r.partner_id);
      const notes = groupRows(this.notesBetween.all(range), (r) => r.partner_id);
      for (const id of ids) {
        const known = facts.get(id);
        if (!known) continue;
        const ofPartner = notes.get(id) ?? [];
        const summary = summarise(
          id,
          known.map((row) => toFact(row, '')),
          names.displayName(id),
          tenures.get(id) ?? [],
          (position) => ofPartner.find((n) => n.position === position)?.note ?? null,
        );
        if (summary === null || !keep(summary)) continue;
        if (partners.length === options.limit)
          return { partners, next: partners[partners.length - 1]!.partnerId };
        partners.push(summary);
      }
      after = range.last;
    }
  }

  private note(partnerId: string): (position: number) => string | null {
    const notes = this.notesOf.all(partnerId);
    return (position) => notes.find((n) => n.position === position)?.note ?? null;
  }
}

/** Rows grouped by a key, each group in the rows' order. */
function groupRows<T>(rows: readonly T[], key: (row: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const row of rows) {
    const k = key(row);
    const list = out.get(k);
    if (list) list.push(row);
    else out.set(k, [row]);
  }
  return out;
}

function toFact(row: FactRow, line: string): PartnerFact {
  const detail = JSON.parse(row.detail) as Detail;
  return {
    position: row.position,
    type: row.type,
    occurredAt: row.occurred_at,
    recordedAt: new Date(row.recorded_at).toISOString(),
    role: row.role ?? null,
    groupId: optional(detail, 'groupId'),
    line,
    detail,
  };
}

function describe(
  row: FactRow,
  partnerId: string,
  names: { partner(id: string): string; group(id: string): string },
): string {
  const d = JSON.parse(row.detail) as Detail;
  const group = names.group(str(d, 'groupId'));
  const who = names.partner(partnerId);
  switch (row.role) {
    case 'attended':
      return `${who} attended a meeting of ${group} (${Number(d.durationMinutes) / 60} h)`;
    case 'apologies':
      return `${who} sent apologies to a meeting of ${group}`;
    case 'present-at-decision':
      return `${who} was present when ${group} decided: ${str(d, 'summary')}`;
    case 'raised-feedback':
      return `${who} raised ${str(d, 'kind') || 'feedback'} via ${str(d, 'channel')}: ${str(d, 'summary')}`;
    case 'elector':
      return `${who} was an elector for the ${str(d, 'constituency')} co-chair of ${group}`;
    case 'elected':
      return `${who} won the election for ${str(d, 'constituency')} co-chair of ${group}`;
    default: {
      const event = { type: row.type, data: { ...d, partnerId } } as unknown as RecordedEvent;
      return describeEvent(event, names);
    }
  }
}

/** A partner's standing from their facts (already filtered to a time point). */
export function summarise(
  partnerId: string,
  facts: PartnerFact[],
  name: string,
  tenures: readonly TenureRow[] = [],
  noteAt: (position: number) => string | null = () => null,
): PartnerSummary | null {
  const origin = facts.find((f) => f.type === 'PartnerNominated' || f.type === 'PartnerRegistered');
  if (!origin) return null;
  const of = (type: string) => facts.filter((f) => f.type === type);
  const withdrawal = of('PartnerWithdrew')[0];
  const erased = of('PersonalDataErased')[0];
  const appointments = of('PartnerAppointed').map((f) => ({
    body: str(f.detail, 'body'),
    at: f.occurredAt,
  }));
  const nominatedBy = origin.detail.nominatedBy as PartnerSummary['nominatedBy'] | undefined;
  const professional = origin.type === 'PartnerRegistered';
  const position = (t: TenureRow): PartnerPosition => ({
    groupId: t.group_id,
    groupName: t.group_name ?? t.group_id,
    seatId: t.seat_id,
    constituency: t.constituency,
    since: t.from_date,
  });
  return {
    partnerId,
    name,
    kind: professional ? 'professional' : 'lay',
    status: erased
      ? 'erased'
      : withdrawal
        ? 'withdrawn'
        : appointments.length > 0
          ? 'appointed'
          : professional
            ? 'registered'
            : 'nominated',
    joinedAt: origin.occurredAt,
    nominatedBy: nominatedBy ?? null,
    campaign: optional(origin.detail, 'campaign'),
    organisation: professional ? optional(origin.detail, 'organisation') : null,
    constituency: professional ? optional(origin.detail, 'constituency') : null,
    workshops: of('WorkshopAttended').map((f) => ({
      workshopId: str(f.detail, 'workshopId'),
      at: f.occurredAt,
    })),
    interestExpressedAt: of('InterestExpressed')[0]?.occurredAt ?? null,
    appointments,
    trainings: of('TrainingCompleted').map((f) => ({
      course: str(f.detail, 'course'),
      at: f.occurredAt,
    })),
    withdrawal: withdrawal
      ? {
          reason: str(withdrawal.detail, 'reason'),
          note: erased ? null : noteAt(withdrawal.position),
          at: withdrawal.occurredAt,
        }
      : null,
    erasedAt: erased?.occurredAt ?? null,
    seats: tenures.filter((t) => t.role === 'seat').map(position),
    coChairs: tenures.filter((t) => t.role === 'co-chair').map(position),
  };
}
