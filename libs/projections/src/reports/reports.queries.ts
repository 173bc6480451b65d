import type Database from 'better-sqlite3';
import type { GovernanceQueries, TimePoint } from '../governance/governance.queries.js';
import { funnelPartner, type StoredFunnelRow } from '../partners/partner-facts.projection.js';
import type { PartnerQueries } from '../partners/partner.queries.js';
import { namesForMany, StoredPersonNames, type PersonNames } from '../partners/person-names.js';
import { emptyFunnelPartner, FUNNEL_FACTS, foldFunnelFact, type FunnelPartner } from './funnel.js';
import {
  EXPENSE_FACTS,
  expenseClaimKey,
  expenseFact,
  expenseSummary,
  foldExpenseFacts,
  sumByPartnerMonth,
  type ExpenseClaim,
  type ExpenseClaimView,
  type ExpensesByPartnerMonth,
  type PartnerMonthSums,
} from './expenses.js';
import {
  foldParticipation,
  hoursOf,
  seesAll,
  type AttendanceRow,
  type GroupTally,
  type MeetingRow,
  type ParticipationTallies,
  type SeatRow,
  type TallyHorizon,
} from './participation.js';
import type { ProgrammeScope } from './programme-scope.js';
import { pairFromStore, type StoredPairRow } from './reports.projection.js';

const STAGES = [
  'nominated',
  'attendedWorkshop',
  'expressedInterest',
  'appointed',
  'active',
] as const;
export type FunnelStage = (typeof STAGES)[number];

export interface FunnelRow {
  /** `null` in the rows by organisation kind, which span every campaign. */
  campaign: string | null;
  organisationKind: string | null;
  stages: Array<{ stage: FunnelStage; count: number; dropOff: number }>;
  /** Appointments by body (`advisory-group`, `forum`); a partner counts once per body. */
  appointedByBody: Record<string, number>;
  /** Withdrawals known at the time point, by reason, whatever the stage reached. */
  withdrawalReasons: Record<string, number>;
}

export interface GroupParticipation {
  groupId: string;
  name: string;
  cadence: string;
  establishedAt: string;
  dissolvedAt: string | null;
  meetingsHeld: number;
  /** Whole cadence periods between establishment and `asOf` (or dissolution); `null` for ad-hoc groups. */
  meetingsExpected: number | null;
  hours: number;
}

export interface PartnerParticipation {
  partnerId: string;
  partnerName: string;
  /** Meetings of groups where they held a seat on the meeting's date. */
  meetingsWhileSeated: number;
  attended: number;
  apologies: number;
  /** Seated, neither present nor with apologies. */
  missed: number;
  hours: number;
  /** Hours of meetings attended, by YYYY-MM. */
  hoursByMonth: Record<string, number>;
  byGroup: Array<{
    groupId: string;
    meetingsWhileSeated: number;
    attended: number;
    apologies: number;
    missed: number;
  }>;
}

export interface RepresentationGroup {
  groupId: string;
  name: string;
  kind: string;
  level: string;
  borough: string | null;
  min: number;
  max: number;
  filled: number;
  belowMinimum: boolean;
}

/** A half-open business-time interval `[from, until)`; `until: null`: still so at `asOf`. */
export interface RepresentationPeriod {
  from: string;
  until: string | null;
}

/**
 * A group's exact periods below its lay minimum and over its lay maximum,
 * from its establishment to `asOf` (or its dissolution), as known at `knownAt`.
 */
export interface GroupRepresentationPeriods {
  groupId: string;
  name: string;
  min: number;
  max: number;
  establishedAt: string;
  /** Set if the group was dissolved by `asOf` (as known): periods end there. */
  dissolvedAt: string | null;
  belowMinimum: RepresentationPeriod[];
  overMaximum: RepresentationPeriod[];
}

export interface RepresentationPoint {
  asOf: string;
  groups: RepresentationGroup[];
  /**
   * Every group established by `asOf`, dissolved ones included, with its exact
   * periods below the minimum and over the maximum. Absent from series points.
   */
  periods?: GroupRepresentationPeriods[];
  belowMinimum: string[];
  /** The programme's boroughs (without a programme scope: every programme launched by then). */
  boroughs: string[];
  /** Boroughs with a borough-level group holding at least one filled lay seat. */
  boroughsCovered: string[];
  boroughsUncovered: string[];
}

export type { ExpenseClaimView, ExpensesByPartnerMonth } from './expenses.js';
export { EXPENSE_CLAIMS_PAGE } from './expenses.js';

interface GroupRow {
  group_id: string;
  name: string;
  cadence: string;
  established_at: string;
  dissolved_at: string | null;
  dissolved_recorded_at: number | null;
}
interface LayTenureRow {
  group_id: string;
  from_date: string;
  to_date: string | null;
  end_recorded_at: number | null;
}
interface LayBoundsRow {
  group_id: string;
  name: string;
  lay_min: number;
  lay_max: number;
  established_at: string;
  dissolved_at: string | null;
  dissolved_recorded_at: number | null;
}
interface FactRow {
  partner_id: string;
  type: string;
  occurred_at: string;
  detail: string;
}

const DAY = 86_400_000;
const bump = (counts: Record<string, number>, key: string) =>
  (counts[key] = (counts[key] ?? 0) + 1);

/** Months in each cadence period, or days for the weekly ones. */
const CADENCE_PERIOD: Record<string, { months: number } | { days: number }> = {
  weekly: { days: 7 },
  fortnightly: { days: 14 },
  monthly: { months: 1 },
  bimonthly: { months: 2 },
  quarterly: { months: 3 },
};

/** Whole cadence periods between two instants; `null` when the cadence has none (ad-hoc). */
export function expectedMeetings(cadence: string, from: string, to: string): number | null {
  const period = CADENCE_PERIOD[cadence];
  if (!period) return null;
  const start = new Date(from);
  const end = new Date(to);
  if (end <= start) return 0;
  if ('days' in period) return Math.floor((end.getTime() - start.getTime()) / (period.days * DAY));
  let months =
    (end.getUTCFullYear() - start.getUTCFullYear()) * 12 + end.getUTCMonth() - start.getUTCMonth();
  // A month is whole once the same day and time of the month is reached.
  const startInMonth = start.getTime() - Date.UTC(start.getUTCFullYear(), start.getUTCMonth());
  const endInMonth = end.getTime() - Date.UTC(end.getUTCFullYear(), end.getUTCMonth());
  if (endInMonth < startInMonth) months -= 1;
  return Math.floor(months / period.months);
}

/** The last instant of every month whose end falls in [from, to] (ISO instants). */
export function monthEnds(from: string, to: string): string[] {
  const start = new Date(from);
  const out: string[] = [];
  for (let y = start.getUTCFullYear(), m = start.getUTCMonth(); ; m++) {
    const end = new Date(Date.UTC(y, m + 1, 1) - 1).toISOString();
    if (end > to) break;
    if (end >= from) out.push(end);
  }
  return out;
}

/**
 * The maximal periods in `[start, asOf]` (or `[start, dissolvedAt)`) where
 * `bad(count of terms running)` holds. Instants are canonical ISO strings, so
 * they order as text (as the SQL compares them).
 */
function periodsWhere(
  span: { start: string; asOf: string; dissolvedAt: string | null },
  terms: ReadonlyArray<{ from: string; to: string | null }>,
  bad: (filled: number) => boolean,
): RepresentationPeriod[] {
  const { start, asOf, dissolvedAt } = span;
  const inside = (t: string) => (dissolvedAt !== null ? t < dissolvedAt : t <= asOf);
  let filled = 0;
  const deltas = new Map<string, number>();
  const shift = (t: string, by: number) => {
    if (t <= start) filled += by;
    else if (inside(t)) deltas.set(t, (deltas.get(t) ?? 0) + by);
  };
  for (const term of terms) {
    shift(term.from, 1);
    if (term.to !== null) shift(term.to, -1);
  }
  const out: RepresentationPeriod[] = [];
  let openFrom: string | null = bad(filled) ? start : null;
  for (const t of [...deltas.keys()].sort()) {
    filled += deltas.get(t)!;
    if (bad(filled)) openFrom ??= t;
    else if (openFrom !== null) {
      out.push({ from: openFrom, until: t });
      openFrom = null;
    }
  }
  if (openFrom !== null) out.push({ from: openFrom, until: dissolvedAt });
  return out;
}

/** Recruitment, participation, representation and expenses, all as of a date and as known at a time. */
export class ReportQueries {
  private readonly meetings: Database.Statement<[TimePoint], MeetingRow>;
  private readonly attendance: Database.Statement<[TimePoint], AttendanceRow>;
  private readonly seats: Database.Statement<[{ knownAt: number }], SeatRow>;
  private readonly groups: Database.Statement<[TimePoint], GroupRow>;
  private readonly programmeBoroughs: Database.Statement<
    [TimePoint],
    { programme_id: string; boroughs: string }
  >;
  private readonly expenseFacts: Database.Statement<[TimePoint], FactRow & { position: number }>;
  private readonly expenseMonths: Database.Statement<[], PartnerMonthSums>;
  private readonly expenseClaims: Database.Statement<
    [{ at: string; position: number }],
    { partner_id: string; claim: string }
  >;
  private readonly expenseHorizon: Database.Statement<
    [],
    { occurred_max: string; recorded_max: number }
  >;
  private readonly layTenures: Database.Statement<[TimePoint], LayTenureRow>;
  private readonly layBounds: Database.Statement<[TimePoint], LayBoundsRow>;
  private readonly funnelFacts: Database.Statement<[TimePoint], FactRow>;
  private readonly funnelNow: Database.Statement<[], StoredFunnelRow>;
  private readonly funnelHorizon: Database.Statement<
    [],
    { occurred_max: string; recorded_max: number }
  >;
  private readonly tallyHorizon: Database.Statement<[], TallyHorizon>;
  private readonly keptGroups: Database.Statement<
    [],
    { group_id: string; meetings: number; minutes: number }
  >;
  private readonly keptPairs: Database.Statement<[], StoredPairRow>;
  private readonly names: PersonNames;

  constructor(
    db: Database.Database,
    private readonly partners: PartnerQueries,
    private readonly governance: GovernanceQueries,
    names?: PersonNames,
  ) {
    const at = 'm.held_at <= @asOf AND m.recorded_at <= @knownAt';
    this.meetings = db.prepare(
      `SELECT * FROM pf_meetings m WHERE ${at} ORDER BY m.group_id, m.held_at, m.meeting_id`,
    );
    this.attendance = db.prepare(`SELECT a.* FROM pf_attendance a
      JOIN pf_meetings m ON m.group_id = a.group_id AND m.meeting_id = a.meeting_id WHERE ${at}`);
    this.seats = db.prepare(`SELECT group_id, partner_id, from_date, to_date, end_recorded_at
      FROM gov_tenures WHERE role = 'seat' AND start_recorded_at <= @knownAt`);
    this.groups = db.prepare(`SELECT group_id, name, cadence, established_at, dissolved_at,
        dissolved_recorded_at FROM gov_groups
      WHERE established_at <= @asOf AND established_recorded_at <= @knownAt
      ORDER BY established_at, group_id`);
    this.programmeBoroughs = db.prepare(`SELECT programme_id, boroughs FROM rep_programmes
      WHERE launched_at <= @asOf AND recorded_at <= @knownAt`);
    this.expenseFacts = db.prepare(`SELECT position, partner_id, type, occurred_at, detail
      FROM pf_facts WHERE type IN (${EXPENSE_FACTS.map((t) => `'${t}'`).join(', ')})
        AND occurred_at <= @asOf AND recorded_at <= @knownAt
      ORDER BY occurred_at, position`);
    this.expenseMonths = db.prepare(`SELECT partner_id AS partnerId, month, count(*) AS claims,
        sum(claimed_pence) AS claimedPence, sum(reimbursed_pence) AS reimbursedPence,
        sum(rejected_pence) AS rejectedPence, sum(outstanding_pence) AS outstandingPence,
        sum(settled) AS settled, sum(settled_days) AS settledDays
      FROM exp_claims WHERE claimed_at IS NOT NULL GROUP BY partner_id, month`);
    this.expenseClaims = db.prepare(`SELECT partner_id, claim FROM exp_claims
      WHERE claimed_at IS NOT NULL AND (claimed_at > @at OR (claimed_at = @at AND position > @position))
      ORDER BY claimed_at, position`);
    this.expenseHorizon = db.prepare(
      'SELECT occurred_max, recorded_max FROM exp_horizon WHERE id = 1',
    );
    this.layTenures = db.prepare(`SELECT group_id, from_date, to_date, end_recorded_at
      FROM gov_tenures WHERE role = 'seat' AND constituency = 'lay'
        AND start_recorded_at <= @knownAt AND from_date <= @asOf`);
    this.layBounds = db.prepare(`SELECT group_id, name, lay_min, lay_max, established_at,
        dissolved_at, dissolved_recorded_at FROM gov_groups
      WHERE established_at <= @asOf AND established_recorded_at <= @knownAt
      ORDER BY established_at, group_id`);
    this.funnelFacts = db.prepare(`SELECT partner_id, type, occurred_at, detail FROM pf_facts
      WHERE type IN (${FUNNEL_FACTS.map((t) => `'${t}'`).join(', ')})
        AND occurred_at <= @asOf AND recorded_at <= @knownAt
      ORDER BY partner_id, occurred_at, position`);
    this.funnelNow = db.prepare('SELECT * FROM pf_funnel ORDER BY partner_id');
    this.funnelHorizon = db.prepare(
      'SELECT occurred_max, recorded_max FROM pf_funnel_horizon WHERE id = 1',
    );
    this.tallyHorizon = db.prepare('SELECT * FROM rep_tally_horizon');
    this.keptGroups = db.prepare('SELECT group_id, meetings, minutes FROM rep_part_groups');
    this.keptPairs = db.prepare('SELECT * FROM rep_part_pairs ORDER BY partner_id, group_id');
    this.names = names ?? new StoredPersonNames(db);
  }

  /**
   * Nominated → attended a workshop → expressed interest → appointed → still
   * active (appointed and not withdrawn at `asOf`), for lay partners, by
   * campaign (and, with `by = organisation-kind`, by campaign and kind).
   */
  recruitmentFunnel(
    at: TimePoint,
    by: 'campaign' | 'organisation-kind' = 'campaign',
    scope?: ProgrammeScope | null,
  ): FunnelRow[] {
    return funnelRows(this.layPartners(at, scope), (p) => ({
      campaign: p.campaign ?? '(none)',
      organisationKind: by === 'organisation-kind' ? p.organisationKind : null,
    }));
  }

  /** The funnel across every campaign, by the kind of organisation that nominated. */
  funnelByOrganisationKind(at: TimePoint, scope?: ProgrammeScope | null): FunnelRow[] {
    return funnelRows(this.layPartners(at, scope), (p) => ({
      campaign: null,
      organisationKind: p.organisationKind ?? '(none)',
    }));
  }

  private layPartners(at: TimePoint, scope?: ProgrammeScope | null): FunnelPartner[] {
    return this.funnelPartners(at).filter(
      (p) => p.kind === 'lay' && (!scope || scope.hasPartner(p.partnerId)),
    );
  }

  /**
   * Every partner's standing in the funnel at a time point. When the time
   * point sees every funnel fact (the usual "now"), from `pf_funnel`, kept per
   * event (one row a partner); otherwise folded from the facts known at it.
   * `source: 'facts'` always folds (the two agree: see the spec).
   */
  funnelPartners(at: TimePoint, source: 'auto' | 'facts' = 'auto'): FunnelPartner[] {
    const horizon = this.funnelHorizon.get();
    if (source === 'auto' && horizon === undefined) return [];
    if (
      source === 'auto' &&
      horizon !== undefined &&
      horizon.occurred_max <= at.asOf &&
      horizon.recorded_max <= at.knownAt
    )
      return this.funnelNow
        .all()
        .map(funnelPartner)
        .filter((p) => p.originAt !== null);
    const partners: FunnelPartner[] = [];
    let current: FunnelPartner | null = null;
    for (const row of this.funnelFacts.all(at)) {
      if (current?.partnerId !== row.partner_id) {
        current = emptyFunnelPartner(row.partner_id);
        partners.push(current);
      }
      foldFunnelFact(
        current,
        row.type,
        row.occurred_at,
        JSON.parse(row.detail) as Record<string, unknown>,
      );
    }
    return partners.filter((p) => p.originAt !== null);
  }

  /**
   * Meetings held and expected per group; per partner the meetings of groups
   * where they held a seat on the day, attended, apologies and missed, and
   * hours attended per month.
   */
  participation(
    at: TimePoint,
    names: PersonNames = this.names,
    scope?: ProgrammeScope | null,
    source: 'auto' | 'facts' = 'auto',
  ): { groups: GroupParticipation[]; partners: PartnerParticipation[] } {
    const ours = (groupId: string) => !scope || scope.hasGroup(groupId);
    const { groupTallies, pairs } =
      source === 'auto' && seesAll(this.tallyHorizon.get(), at)
        ? this.keptParticipation()
        : this.foldParticipation(at, ours);

    const groups: GroupParticipation[] = [];
    for (const row of this.groups.all(at)) {
      if (!ours(row.group_id)) continue;
      const dissolved =
        row.dissolved_at !== null &&
        row.dissolved_at <= at.asOf &&
        (row.dissolved_recorded_at ?? Infinity) <= at.knownAt
          ? row.dissolved_at
          : null;
      const tally = groupTallies.get(row.group_id);
      groups.push({
        groupId: row.group_id,
        name: row.name,
        cadence: row.cadence,
        establishedAt: row.established_at,
        dissolvedAt: dissolved,
        meetingsHeld: tally?.meetings ?? 0,
        meetingsExpected: expectedMeetings(row.cadence, row.established_at, dissolved ?? at.asOf),
        hours: hoursOf(tally?.minutes ?? 0),
      });
    }

    const named = namesForMany(names);
    const people = new Map<
      string,
      { p: PartnerParticipation; minutes: number; months: Map<string, number> }
    >();
    for (const { groupId, partnerId, tally: t } of pairs) {
      if (!ours(groupId)) continue;
      let person = people.get(partnerId);
      if (!person) {
        person = {
          p: {
            partnerId,
            partnerName: named.displayName(partnerId),
            meetingsWhileSeated: 0,
            attended: 0,
            apologies: 0,
            missed: 0,
            hours: 0,
            hoursByMonth: {},
            byGroup: [],
          },
          minutes: 0,
          months: new Map(),
        };
        people.set(partnerId, person);
      }
      const { p } = person;
      p.meetingsWhileSeated += t.seated;
      p.attended += t.attended;
      p.apologies += t.apologies;
      p.missed += t.missed;
      person.minutes += t.minutes;
      for (const [month, minutes] of Object.entries(t.months))
        person.months.set(month, (person.months.get(month) ?? 0) + minutes);
      p.byGroup.push({
        groupId,
        meetingsWhileSeated: t.seated,
        attended: t.attended,
        apologies: t.apologies,
        missed: t.missed,
      });
    }
    const partners = [...people.values()].map(({ p, minutes, months }) => {
      p.hours = hoursOf(minutes);
      for (const month of [...months.keys()].sort())
        p.hoursByMonth[month] = hoursOf(months.get(month)!);
      p.byGroup.sort((a, b) => (a.groupId < b.groupId ? -1 : a.groupId > b.groupId ? 1 : 0));
      return p;
    });
    return {
      groups,
      partners: partners.sort((a, b) => a.partnerId.localeCompare(b.partnerId)),
    };
  }

  /** The participation sums the reports projection keeps (the whole record). */
  private keptParticipation(): ParticipationTallies {
    const groupTallies = new Map<string, GroupTally>();
    for (const row of this.keptGroups.all())
      groupTallies.set(row.group_id, { meetings: row.meetings, minutes: row.minutes });
    const pairs = this.keptPairs.all().map((row) => ({
      groupId: row.group_id,
      partnerId: row.partner_id,
      tally: pairFromStore(row),
    }));
    return { groupTallies, pairs };
  }

  /** The participation sums of the meetings, attendance and seats known at the time point. */
  private foldParticipation(
    at: TimePoint,
    ours: (groupId: string) => boolean,
  ): ParticipationTallies {
    return foldParticipation(
      this.meetings.all(at).filter((m) => ours(m.group_id)),
      this.attendance.all(at),
      this.seats.all({ knownAt: at.knownAt }),
      at.knownAt,
    );
  }

  /**
   * Lay seats against the minimum for every group; groups below it; borough
   * coverage; and (unless `withPeriods` is false) each group's exact periods
   * below the minimum and over the maximum up to `asOf`.
   */
  representation(
    at: TimePoint,
    withPeriods = true,
    scope?: ProgrammeScope | null,
  ): RepresentationPoint {
    const groups: RepresentationGroup[] = this.governance.governance(at, scope).map((g) => ({
      groupId: g.groupId,
      name: g.name,
      kind: g.kind,
      level: g.level,
      borough: g.borough,
      ...g.laySeats,
    }));
    const programme = new Set(
      this.programmeBoroughs
        .all(at)
        .filter((row) => !scope || row.programme_id === scope.programmeId)
        .flatMap((row) => JSON.parse(row.boroughs) as string[]),
    );
    const boroughGroups = groups.filter((g) => g.level === 'borough' && g.borough !== null);
    // Without a programme on record, the boroughs are those its groups name.
    const boroughs =
      programme.size > 0 ? [...programme] : [...new Set(boroughGroups.map((g) => g.borough!))];
    const covered = new Set(boroughGroups.filter((g) => g.filled > 0).map((g) => g.borough!));
    return {
      asOf: at.asOf,
      groups,
      belowMinimum: groups.filter((g) => g.belowMinimum).map((g) => g.groupId),
      boroughs: boroughs.sort(),
      boroughsCovered: [...covered].sort(),
      boroughsUncovered: boroughs.filter((b) => !covered.has(b)).sort(),
      ...(withPeriods ? { periods: this.representationPeriods(at, scope) } : {}),
    };
  }

  /**
   * Each group's exact periods below its lay minimum and over its maximum, by
   * a sweep over its lay tenures' starts and ends (as known at `knownAt`, like
   * governance: an end recorded later is not yet known). The lay count at an
   * instant t counts tenures with from ≤ t < to, as `governance` does, so
   * a period's `until` is the instant the count came back within bounds.
   */
  representationPeriods(
    at: TimePoint,
    scope?: ProgrammeScope | null,
  ): GroupRepresentationPeriods[] {
    const tenures = new Map<string, Array<{ from: string; to: string | null }>>();
    for (const row of this.layTenures.all(at)) {
      const to =
        row.to_date !== null && row.end_recorded_at !== null && row.end_recorded_at <= at.knownAt
          ? row.to_date
          : null;
      const list = tenures.get(row.group_id) ?? [];
      list.push({ from: row.from_date, to });
      tenures.set(row.group_id, list);
    }
    const bounds = this.layBounds.all(at).filter((g) => !scope || scope.hasGroup(g.group_id));
    return bounds.map((g) => {
      const dissolvedAt =
        g.dissolved_at !== null &&
        g.dissolved_at <= at.asOf &&
        g.dissolved_recorded_at !== null &&
        g.dissolved_recorded_at <= at.knownAt
          ? g.dissolved_at
          : null;
      const span = { start: g.established_at, asOf: at.asOf, dissolvedAt };
      const terms = tenures.get(g.group_id) ?? [];
      return {
        groupId: g.group_id,
        name: g.name,
        min: g.lay_min,
        max: g.lay_max,
        establishedAt: g.established_at,
        dissolvedAt,
        belowMinimum: periodsWhere(span, terms, (filled) => filled < g.lay_min),
        overMaximum: periodsWhere(span, terms, (filled) => filled > g.lay_max),
      };
    });
  }

  /** Representation at the end of every month from `from` to `to`, as known at `knownAt`. */
  representationSeries(
    from: string,
    to: string,
    knownAt: number,
    scope?: ProgrammeScope | null,
  ): RepresentationPoint[] {
    return monthEnds(from, to).map((asOf) => this.representation({ asOf, knownAt }, false, scope));
  }

  /** Claims with status and time to settle; totals in pence by partner and month. */
  expenses(at: TimePoint, names: PersonNames = this.names, scope?: ProgrammeScope | null) {
    return this.expensesPage(at, names, scope, null).report;
  }

  /**
   * The expenses report with one page of its claims (`page` null: every
   * claim), in claim order (claimed, then the claim's `$all` position), and
   * the key of the page's last claim when more follow; `byPartnerMonth` and
   * `totals` cover every claim. When the time point sees every expense fact
   * (the usual "now"), from `exp_claims`, kept per event; otherwise folded
   * from the facts known at it with the same fold. `source: 'facts'` always
   * folds (the two agree: see the spec).
   */
  expensesPage(
    at: TimePoint,
    names: PersonNames = this.names,
    scope: ProgrammeScope | null | undefined,
    page: { limit: number; after?: readonly string[] | null } | null,
    source: 'auto' | 'facts' = 'auto',
  ): {
    report: {
      claims: ExpenseClaimView[];
      byPartnerMonth: ExpensesByPartnerMonth[];
      totals: ReturnType<typeof expenseSummary>['totals'];
    };
    next: string[] | null;
  } {
    const ours = (partnerId: string) => !scope || scope.hasPartner(partnerId);
    const known = new Map<string, string>();
    const nameOf = (partnerId: string) => {
      let name = known.get(partnerId);
      if (name === undefined) known.set(partnerId, (name = names.displayName(partnerId)));
      return name;
    };
    const view = (c: ExpenseClaim): ExpenseClaimView => ({
      partnerId: c.partnerId,
      partnerName: nameOf(c.partnerId),
      claimId: c.claimId,
      amountPence: c.amountPence,
      category: c.category,
      incurredOn: c.incurredOn,
      claimedAt: c.claimedAt,
      month: c.month,
      status: c.status,
      settledAt: c.settledAt,
      reimbursedPence: c.reimbursedPence,
      rejectionReason: c.rejectionReason,
      daysToSettle: c.daysToSettle,
    });
    const [afterAt = '', afterPosition = ''] = page?.after ?? [];
    const horizon = this.expenseHorizon.get();
    if (
      source === 'auto' &&
      (horizon === undefined ||
        (horizon.occurred_max <= at.asOf && horizon.recorded_max <= at.knownAt))
    ) {
      const summary = expenseSummary(
        this.expenseMonths.all().filter((row) => ours(row.partnerId)),
        nameOf,
      );
      const claims: ExpenseClaim[] = [];
      const limit = page ? page.limit : Infinity;
      let more = false;
      const from = { at: page?.after ? afterAt : '', position: -1 };
      if (page?.after) {
        // Claimed at the cursor's instant: after its position (a number, padded in the key).
        from.position = afterPosition === '' ? -1 : Number(afterPosition);
        if (!Number.isSafeInteger(from.position)) from.position = Number.MAX_SAFE_INTEGER;
      }
      for (const row of this.expenseClaims.iterate(from)) {
        if (!ours(row.partner_id)) continue;
        if (claims.length === limit) {
          more = true;
          break;
        }
        claims.push(JSON.parse(row.claim) as ExpenseClaim);
      }
      const last = claims.at(-1);
      return {
        report: { claims: claims.map(view), ...summary },
        next: more && last ? expenseClaimKey(last) : null,
      };
    }
    const all = foldExpenseFacts(
      (function* (rows: Iterable<FactRow & { position: number }>) {
        for (const row of rows)
          if (ours(row.partner_id))
            yield expenseFact(
              row.position,
              row.partner_id,
              row.type,
              row.occurred_at,
              JSON.parse(row.detail) as Record<string, unknown>,
            );
      })(this.expenseFacts.iterate(at)),
    );
    const summary = expenseSummary(sumByPartnerMonth(all), nameOf);
    const keyed = all.map((claim) => ({ claim, key: expenseClaimKey(claim) }));
    keyed.sort((a, b) => compareKeys(a.key, b.key));
    let start = 0;
    if (page?.after) {
      const after = [afterAt, afterPosition];
      start = keyed.findIndex((k) => compareKeys(k.key, after) > 0);
      if (start < 0) start = keyed.length;
    }
    const end = page ? start + page.limit : keyed.length;
    const paged = keyed.slice(start, end);
    return {
      report: { claims: paged.map((k) => view(k.claim)), ...summary },
      next: page && keyed.length > end ? paged.at(-1)!.key : null,
    };
  }
}

const compareKeys = (a: readonly string[], b: readonly string[]): number => {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i] ?? '';
    const y = b[i] ?? '';
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
};

function funnelRows(
  partners: FunnelPartner[],
  keyOf: (p: FunnelPartner) => { campaign: string | null; organisationKind: string | null },
): FunnelRow[] {
  const rows = new Map<
    string,
    {
      key: ReturnType<typeof keyOf>;
      counts: number[];
      bodies: Record<string, number>;
      reasons: Record<string, number>;
    }
  >();
  for (const partner of partners) {
    const key = keyOf(partner);
    const id = `${key.campaign ?? ''}\u0000${key.organisationKind ?? ''}`;
    const row = rows.get(id) ?? { key, counts: [0, 0, 0, 0, 0], bodies: {}, reasons: {} };
    const appointed = partner.bodies.length > 0;
    const reached = [
      true,
      partner.workshops,
      partner.interest,
      appointed,
      appointed && partner.withdrawalAt === null,
    ];
    reached.forEach((yes, i) => (row.counts[i]! += yes ? 1 : 0));
    for (const body of partner.bodies) bump(row.bodies, body);
    if (partner.withdrawalAt !== null) bump(row.reasons, partner.withdrawalReason ?? '');
    rows.set(id, row);
  }
  return [...rows.values()]
    .sort(
      (a, b) =>
        (a.key.campaign ?? '').localeCompare(b.key.campaign ?? '') ||
        (a.key.organisationKind ?? '').localeCompare(b.key.organisationKind ?? ''),
    )
    .map((row) => ({
      campaign: row.key.campaign,
      organisationKind: row.key.organisationKind,
      stages: STAGES.map((stage, i) => ({
        stage,
        count: row.counts[i]!,
        dropOff: i === 0 ? 0 : row.counts[i - 1]! - row.counts[i]!,
      })),
      appointedByBody: row.bodies,
      withdrawalReasons: row.reasons,
    }));
}
