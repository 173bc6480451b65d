import type Database from 'better-sqlite3';
import type { TimePoint } from '../governance/governance.queries.js';
import type { PartnerQueries, PartnerStanding } from '../partners/partner.queries.js';
import { namesForMany, StoredPersonNames, type PersonNames } from '../partners/person-names.js';
import type { ProgrammeScope } from './programme-scope.js';
import { seesAll, type TallyHorizon } from './participation.js';

/** The currency the report sums: expenses are recorded in pence sterling, payments name theirs. */
export const REPORT_CURRENCY = 'GBP';

/** The report's partner list over HTTP: `limit` default and bound (totals cover every partner). */
export const INVOLVEMENT_COST_PAGE = { default: 500, max: 5_000 } as const;

/** What involvement cost and gave, for one partner or a set of partners, in a period. */
export interface InvolvementFigures {
  meetingsAttended: number;
  /** Minutes of meetings attended / 60, to two places. */
  hoursAttended: number;
  expenseClaims: number;
  expensesClaimedPence: number;
  expensesReimbursedPence: number;
  paymentsMade: number;
  paymentsMadePence: number;
  paymentsDeclined: number;
  /** The amounts offered and declined. */
  paymentsDeclinedPence: number;
}

export interface InvolvementCostRow extends InvolvementFigures {
  /** YYYY-MM: of the meeting, of the claim, of the payment. */
  month: string;
  /** The role level in force (seat or co-chair term; a payment's own), `null`: none on record. */
  roleLevel: string | null;
}

export interface PartnerInvolvementCost {
  partnerId: string;
  partnerName: string;
  kind: string;
  /** As of `asOf`: the partner's withdrawal, if any. */
  withdrawal: { reason: string; at: string } | null;
  totals: InvolvementFigures;
  byMonth: InvolvementCostRow[];
  /** The `$all` positions of every event counted (meetings, claims, settlements, payments). */
  evidence: number[];
}

export interface InvolvementCostGroup extends InvolvementFigures {
  partners: number;
  /** Partners paid at least once / who declined at least once. */
  partnersPaid: number;
  partnersDeclining: number;
  /** hoursAttended / partners, to two places (0 without partners). */
  hoursPerPartner: number;
}

export interface InvolvementCostReport {
  from: string | null;
  to: string | null;
  currency: string;
  partners: PartnerInvolvementCost[];
  byMonthAndRoleLevel: Array<InvolvementCostRow & { partners: number }>;
  byRoleLevel: Array<InvolvementFigures & { roleLevel: string | null; partners: number }>;
  totals: InvolvementFigures & { partners: number };
  /**
   * "Did time and money drive withdrawals?": lay partners who withdrew by
   * `asOf` against those who stayed, and by withdrawal reason.
   */
  withdrawals: {
    stayed: InvolvementCostGroup;
    withdrawn: InvolvementCostGroup;
    byReason: Array<InvolvementCostGroup & { reason: string }>;
  };
  /** Payments in a currency other than REPORT_CURRENCY: listed, never summed with pence sterling. */
  otherCurrencies: Array<{
    partnerId: string;
    paymentId: string;
    status: 'made' | 'declined';
    amountPence: number;
    currency: string;
    occurredAt: string;
  }>;
  /** Event types counted; each row's `evidence` holds their positions (GET /v1/audit/events). */
  evidenceTypes: string[];
}

/** A meeting attended, for the partner who attended it. */
export interface CostAttendanceRow {
  group_id: string;
  partner_id: string;
  duration_minutes: number;
  held_at: string;
  position: number;
}
/** A fact the report counts (claims, settlements, payments) or reads role levels from (terms). */
export interface CostFactRow {
  position: number;
  partner_id: string;
  type: string;
  occurred_at: string;
  detail: string;
}

type OtherCurrency = InvolvementCostReport['otherCurrencies'][number];

export const COST_EVIDENCE_TYPES = [
  'MeetingHeld',
  'ExpenseClaimed',
  'ExpenseReimbursed',
  'InvolvementPaymentRecorded',
  'InvolvementPaymentDeclined',
];
/** The facts the report reads per partner: the evidence types but meetings, and the terms. */
export const COST_TERM_TYPES = [
  'SeatAllocated',
  'SeatVacated',
  'CoChairAppointed',
  'CoChairElected',
  'CoChairStoodDown',
];
export const COST_FACT_TYPES = [...COST_EVIDENCE_TYPES.slice(1), ...COST_TERM_TYPES];

/** Cell keys (month, NUL, level) in the order rows are listed: by month, then role level. */
const byMonthThenLevel = (a: string, b: string): number => {
  const [am, al] = a.split('\u0000') as [string, string];
  const [bm, bl] = b.split('\u0000') as [string, string];
  return am.localeCompare(bm) || al.localeCompare(bl);
};

/** Sums by key, and the partners counted in each (partners are summed one after another). */
type Sums = Map<string, { tally: Tally; partners: number; last: string }>;
const sumInto = (sums: Sums, key: string, partnerId: string, t: Tally): void => {
  let group = sums.get(key);
  if (!group) {
    group = { tally: tally(), partners: 0, last: '' };
    sums.set(key, group);
  }
  add(group.tally, t);
  if (group.last !== partnerId) {
    group.partners += 1;
    group.last = partnerId;
  }
};

/**
 * Figures summed as numbers in a fixed order (minutes, not hours: hours are
 * rounded once, at the end); the reports projection keeps them so too.
 */
type Tally = number[];
const MINUTES = 0;
const MEETINGS = 1;
const CLAIMS = 2;
const CLAIMED = 3;
const REIMBURSED = 4;
const MADE = 5;
const MADE_PENCE = 6;
const DECLINED = 7;
const DECLINED_PENCE = 8;
const tally = (): Tally => [0, 0, 0, 0, 0, 0, 0, 0, 0];
const add = (into: Tally, from: Tally): void => {
  for (let i = 0; i < 9; i++) into[i]! += from[i]!;
};
const figures = (t: Tally): InvolvementFigures => ({
  meetingsAttended: t[MEETINGS]!,
  hoursAttended: Math.round((t[MINUTES]! / 60) * 100) / 100,
  expenseClaims: t[CLAIMS]!,
  expensesClaimedPence: t[CLAIMED]!,
  expensesReimbursedPence: t[REIMBURSED]!,
  paymentsMade: t[MADE]!,
  paymentsMadePence: t[MADE_PENCE]!,
  paymentsDeclined: t[DECLINED]!,
  paymentsDeclinedPence: t[DECLINED_PENCE]!,
});

type Term = { kind: 'seat' | 'co-chair'; from: number; until: number; level: string | null };

/**
 * A partner's role level on one group through time: seat allocations and
 * co-chair terms carry the level in force when allocated; a co-chair term's
 * level applies while it runs, else the seat's.
 */
export class RoleLevels {
  private readonly terms = new Map<string, Term[]>();
  /** A partner's term lists, one per group, in the order the groups were first seen. */
  private readonly byPartner = new Map<string, Term[][]>();

  /** From term facts in business-time order (occurred, then position). */
  constructor(rows: readonly CostFactRow[]) {
    const open = new Map<string, { until: number }>();
    for (const row of rows) {
      const d = JSON.parse(row.detail) as Record<string, unknown>;
      const groupId = String(d.groupId);
      const key = `${row.partner_id}\u0000${groupId}`;
      const at = Date.parse(row.occurred_at);
      const level = typeof d.roleLevel === 'string' ? d.roleLevel : null;
      let list = this.terms.get(key);
      if (!list) {
        list = [];
        this.terms.set(key, list);
        const lists = this.byPartner.get(row.partner_id) ?? [];
        this.byPartner.set(row.partner_id, lists);
        lists.push(list);
      }
      if (
        row.type === 'SeatAllocated' ||
        row.type === 'CoChairAppointed' ||
        row.type === 'CoChairElected'
      ) {
        const kind = row.type === 'SeatAllocated' ? 'seat' : 'co-chair';
        const term = { kind, from: at, until: Number.POSITIVE_INFINITY, level } as const;
        list.push({ ...term });
        open.set(`${key}\u0000${kind}`, list.at(-1)!);
      } else {
        const kind = row.type === 'SeatVacated' ? 'seat' : 'co-chair';
        const term = open.get(`${key}\u0000${kind}`);
        if (term && term.until === Number.POSITIVE_INFINITY) term.until = at;
      }
    }
  }

  /** On `groupId` at `at`; `null`: none on record. */
  onGroup(partnerId: string, groupId: string, at: string): string | null {
    const ms = Date.parse(at);
    const held = (this.terms.get(`${partnerId}\u0000${groupId}`) ?? []).filter(
      (t) => t.from <= ms && ms < t.until && t.level !== null,
    );
    return (held.find((t) => t.kind === 'co-chair') ?? held.at(-1))?.level ?? null;
  }

  /** On any group at `at` (a co-chair's first; else the latest seat). */
  anywhere(partnerId: string, at: string): string | null {
    const ms = Date.parse(at);
    const held = (this.byPartner.get(partnerId) ?? [])
      .flat()
      .filter((t) => t.from <= ms && ms < t.until && t.level !== null)
      .sort((a, b) => a.from - b.from);
    return (held.find((t) => t.kind === 'co-chair') ?? held.at(-1))?.level ?? null;
  }
}

/**
 * One partner's sums: a tally per (month, role level), the positions of the
 * events counted, and payments in other currencies (with their positions, to
 * list them in the order of the record).
 */
export interface PartnerCost {
  cells: Map<string, Tally>;
  evidence: number[];
  other: Array<OtherCurrency & { position: number }>;
  /** Claims counted, by id: their month, role level and amount (for their settlements). */
  claims: Map<string, { month: string; level: string | null; amount: number }>;
  /** The latest instant (ms) a role level was looked up at; -Infinity: none. */
  levelsTo: number;
  /** The latest business time of a fact folded in; '': none. */
  factsTo: string;
  /** The positions as kept, not read yet (an answer reads them for the partners it lists). */
  storedEvidence?: string;
}

export const emptyPartnerCost = (): PartnerCost => ({
  cells: new Map(),
  evidence: [],
  other: [],
  claims: new Map(),
  levelsTo: Number.NEGATIVE_INFINITY,
  factsTo: '',
});

const cellOf = (cost: PartnerCost, month: string, level: string | null): Tally => {
  const key = `${month}\u0000${level ?? ''}`;
  let found = cost.cells.get(key);
  if (!found) {
    found = tally();
    cost.cells.set(key, found);
  }
  return found;
};

/** Adds a position to the sorted evidence, once. */
const cite = (cost: PartnerCost, position: number): void => {
  const list = cost.evidence;
  let i = list.length;
  while (i > 0 && list[i - 1]! > position) i--;
  if (list[i - 1] !== position) list.splice(i, 0, position);
};

const levelAt = (cost: PartnerCost, at: string): string => {
  cost.levelsTo = Math.max(cost.levelsTo, Date.parse(at));
  return at;
};

/** Counts one meeting attended (the same per event and per fold). */
export function countAttendance(
  cost: PartnerCost,
  levels: RoleLevels,
  row: CostAttendanceRow,
): void {
  const level = levels.onGroup(row.partner_id, row.group_id, levelAt(cost, row.held_at));
  const c = cellOf(cost, row.held_at.slice(0, 7), level);
  c[MEETINGS]! += 1;
  c[MINUTES]! += row.duration_minutes;
  cite(cost, row.position);
}

/**
 * Whether a partner's sums hold as they are once this term fact is known
 * too: it starts or ends a term after every instant a level was looked up at.
 */
export const termChangesNothing = (cost: PartnerCost, row: CostFactRow): boolean =>
  Date.parse(row.occurred_at) > cost.levelsTo;

/**
 * Counts one claim, settlement or payment, after every fact before it in
 * business-time order (the same per event, when facts arrive in that order,
 * and per fold); a term only moves `factsTo`.
 */
export function countFact(
  cost: PartnerCost,
  levels: RoleLevels,
  row: CostFactRow,
  inPeriod: (iso: string) => boolean = () => true,
): void {
  if (row.occurred_at > cost.factsTo) cost.factsTo = row.occurred_at;
  if (COST_TERM_TYPES.includes(row.type)) return;
  const d = JSON.parse(row.detail) as Record<string, unknown>;
  const amount = Number(d.amountPence);
  if (row.type === 'ExpenseClaimed') {
    if (!inPeriod(row.occurred_at)) return;
    const month = row.occurred_at.slice(0, 7);
    const incurred = typeof d.incurredOn === 'string' ? d.incurredOn : row.occurred_at;
    const level = levels.anywhere(row.partner_id, levelAt(cost, incurred));
    cost.claims.set(String(d.claimId), { month, level, amount });
    const c = cellOf(cost, month, level);
    c[CLAIMS]! += 1;
    c[CLAIMED]! += amount;
    cite(cost, row.position);
  } else if (row.type === 'ExpenseReimbursed') {
    // Counted with its claim's month, as the expenses report does.
    const claim = cost.claims.get(String(d.claimId));
    if (!claim) return;
    cellOf(cost, claim.month, claim.level)[REIMBURSED]! += Number.isFinite(amount)
      ? amount
      : claim.amount;
    cite(cost, row.position);
  } else if (
    row.type === 'InvolvementPaymentRecorded' ||
    row.type === 'InvolvementPaymentDeclined'
  ) {
    if (!inPeriod(row.occurred_at)) return;
    const made = row.type === 'InvolvementPaymentRecorded';
    const currency = typeof d.currency === 'string' ? d.currency : REPORT_CURRENCY;
    if (currency !== REPORT_CURRENCY) {
      cost.other.push({
        partnerId: row.partner_id,
        paymentId: String(d.paymentId),
        status: made ? 'made' : 'declined',
        amountPence: amount,
        currency,
        occurredAt: row.occurred_at,
        position: row.position,
      });
      cite(cost, row.position);
      return;
    }
    const level =
      typeof d.roleLevel === 'string'
        ? d.roleLevel
        : levels.anywhere(row.partner_id, levelAt(cost, row.occurred_at));
    const c = cellOf(cost, row.occurred_at.slice(0, 7), level);
    if (made) {
      c[MADE]! += 1;
      c[MADE_PENCE]! += amount;
    } else {
      c[DECLINED]! += 1;
      c[DECLINED_PENCE]! += amount;
    }
    cite(cost, row.position);
  }
}

/**
 * One partner's figures from their meetings attended (any order) and their
 * facts (terms, claims, settlements, payments) in business-time order,
 * counting only what happened in the period.
 */
export function foldPartnerCost(
  attendance: readonly CostAttendanceRow[],
  facts: readonly CostFactRow[],
  inPeriod: (iso: string) => boolean = () => true,
): PartnerCost {
  const cost = emptyPartnerCost();
  const levels = new RoleLevels(facts.filter((f) => COST_TERM_TYPES.includes(f.type)));
  for (const row of attendance) if (inPeriod(row.held_at)) countAttendance(cost, levels, row);
  for (const row of facts) countFact(cost, levels, row, inPeriod);
  return cost;
}

/** A partner's sums as the reports projection keeps them (JSON columns; a cell is its key and numbers). */
export function storedPartnerCost(cost: PartnerCost): StoredPartnerCost {
  return {
    // In the order a partner's rows are listed (so listing them sorts what is sorted already).
    cells: JSON.stringify(
      [...cost.cells].sort(([a], [b]) => byMonthThenLevel(a, b)).map(([key, t]) => [key, ...t]),
    ),
    evidence: JSON.stringify(cost.evidence),
    // Claims by id, other payments in business-time order: the same rows whatever
    // order the facts were counted in (per event, or folded).
    other: JSON.stringify(
      [...cost.other].sort(
        (a, b) => a.occurredAt.localeCompare(b.occurredAt) || a.position - b.position,
      ),
    ),
    claims: JSON.stringify([...cost.claims].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
    levels_to: Number.isFinite(cost.levelsTo) ? cost.levelsTo : null,
    facts_to: cost.factsTo,
  };
}

export interface StoredPartnerCost {
  cells: string;
  evidence: string;
  other: string;
  /** Absent where only the figures are read. */
  claims?: string;
  levels_to?: number | null;
  facts_to?: string;
}

/** A partner's sums as kept; with `evidence: 'later'`, the positions stay as stored (`storedEvidence`). */
export function partnerCostFromStore(
  row: StoredPartnerCost,
  evidence: 'now' | 'later' = 'now',
): PartnerCost {
  const cells = new Map<string, Tally>();
  for (const v of JSON.parse(row.cells) as Array<Array<string | number>>)
    cells.set(v[0] as string, v.slice(1) as number[]);
  const later = evidence === 'later';
  return {
    cells,
    evidence: later ? [] : (JSON.parse(row.evidence) as number[]),
    ...(later ? { storedEvidence: row.evidence } : {}),
    other: row.other === '[]' ? [] : (JSON.parse(row.other) as PartnerCost['other']),
    claims: new Map(
      row.claims === undefined
        ? []
        : (JSON.parse(row.claims) as Array<
            [string, { month: string; level: string | null; amount: number }]
          >),
    ),
    levelsTo: row.levels_to ?? Number.NEGATIVE_INFINITY,
    factsTo: row.facts_to ?? '',
  };
}

interface StoredCostRow {
  partner_id: string;
  cells: string;
  evidence: string;
  other: string;
}

/**
 * The cost and value of involvement (GRIPP2 item 6, economic assessment):
 * hours attended (from meetings), expenses, involvement payments made and
 * declined, per partner, by month and role level, and joined with
 * withdrawal reasons; every figure keeps the `$all` positions of the events
 * behind it. Over the whole record "now" (no period), each partner's sums
 * are those the reports projection keeps per event (`rep_cost_partners`);
 * any other time point or a period folds each partner's meetings and facts
 * known then with the same function (`foldPartnerCost`).
 */
export class InvolvementCostQueries {
  private readonly attendance: Database.Statement<[TimePoint], CostAttendanceRow>;
  private readonly facts: Database.Statement<[TimePoint], CostFactRow>;
  private readonly kept: Database.Statement<[], StoredCostRow>;
  private readonly keptOf: Database.Statement<[string], StoredCostRow>;
  private readonly horizon: Database.Statement<[], TallyHorizon>;
  private readonly funnelHorizon: Database.Statement<
    [],
    { occurred_max: string; recorded_max: number }
  >;
  private readonly funnelStandings: Database.Statement<
    [],
    {
      partner_id: string;
      kind: string | null;
      withdrawal_at: string | null;
      withdrawal_reason: string | null;
    }
  >;
  private readonly names: PersonNames;

  constructor(
    db: Database.Database,
    private readonly partners: PartnerQueries,
    names?: PersonNames,
  ) {
    this.attendance = db.prepare(`SELECT a.group_id, a.partner_id, m.duration_minutes, m.held_at,
        m.position
      FROM pf_attendance a
      JOIN pf_meetings m ON m.group_id = a.group_id AND m.meeting_id = a.meeting_id
      WHERE a.presence = 'attended' AND m.held_at <= @asOf AND m.recorded_at <= @knownAt
      ORDER BY m.held_at, m.position`);
    const types = COST_FACT_TYPES.map((t) => `'${t}'`).join(', ');
    this.facts = db.prepare(`SELECT position, partner_id, type, occurred_at, detail FROM pf_facts
      WHERE type IN (${types}) AND occurred_at <= @asOf AND recorded_at <= @knownAt
      ORDER BY occurred_at, position`);
    this.kept = db.prepare('SELECT partner_id, cells, evidence, other FROM rep_cost_partners');
    this.keptOf = db.prepare(
      'SELECT partner_id, cells, evidence, other FROM rep_cost_partners WHERE partner_id = ?',
    );
    this.horizon = db.prepare('SELECT * FROM rep_tally_horizon');
    this.funnelHorizon = db.prepare(
      'SELECT occurred_max, recorded_max FROM pf_funnel_horizon WHERE id = 1',
    );
    this.funnelStandings = db.prepare(`SELECT partner_id, kind, withdrawal_at, withdrawal_reason
      FROM pf_funnel WHERE origin_at IS NOT NULL ORDER BY partner_id`);
    this.names = names ?? new StoredPersonNames(db);
  }

  /** Each wanted partner's sums: kept ones for the whole record "now", else folded. */
  partnerCosts(
    at: TimePoint,
    options: {
      from: string | null;
      to: string | null;
      wanted: (id: string) => boolean;
      partnerId: string | null;
    },
    source: 'auto' | 'facts' = 'auto',
  ): Map<string, PartnerCost> {
    const { from, to, wanted, partnerId } = options;
    const out = new Map<string, PartnerCost>();
    if (source === 'auto' && from === null && to === null && seesAll(this.horizon.get(), at)) {
      const rows = partnerId !== null ? this.keptOf.all(partnerId) : this.kept.all();
      for (const row of rows)
        if (wanted(row.partner_id)) out.set(row.partner_id, partnerCostFromStore(row, 'later'));
      return out;
    }
    const inPeriod = (iso: string) => (from === null || iso >= from) && (to === null || iso <= to);
    const attendance = new Map<string, CostAttendanceRow[]>();
    for (const row of this.attendance.all(at)) {
      if (!wanted(row.partner_id)) continue;
      const list = attendance.get(row.partner_id);
      if (list) list.push(row);
      else attendance.set(row.partner_id, [row]);
    }
    const facts = new Map<string, CostFactRow[]>();
    for (const row of this.facts.all(at)) {
      if (!wanted(row.partner_id)) continue;
      const list = facts.get(row.partner_id);
      if (list) list.push(row);
      else facts.set(row.partner_id, [row]);
    }
    for (const id of new Set([...attendance.keys(), ...facts.keys()])) {
      const cost = foldPartnerCost(attendance.get(id) ?? [], facts.get(id) ?? [], inPeriod);
      if (cost.cells.size > 0 || cost.other.length > 0) out.set(id, cost);
    }
    return out;
  }

  /**
   * Every partner's kind and withdrawal at the time point: from the funnel
   * kept per event (the same first origin and first withdrawal in business
   * time) when the time point sees all of it, else from the facts.
   */
  private standings(at: TimePoint): Map<string, PartnerStanding> {
    const horizon = this.funnelHorizon.get();
    if (
      horizon === undefined ||
      horizon.occurred_max > at.asOf ||
      horizon.recorded_max > at.knownAt
    )
      return this.partners.standings(at);
    const out = new Map<string, PartnerStanding>();
    for (const row of this.funnelStandings.all())
      out.set(row.partner_id, {
        partnerId: row.partner_id,
        kind: row.kind === 'professional' ? 'professional' : 'lay',
        withdrawal:
          row.withdrawal_at === null
            ? null
            : { reason: row.withdrawal_reason ?? '', at: row.withdrawal_at },
      });
    return out;
  }

  report(
    at: TimePoint,
    options: {
      from?: string | null;
      to?: string | null;
      partnerId?: string | null;
      scope?: ProgrammeScope | null;
      /**
       * The partners to list, of all with figures (in id order); the totals and
       * other rows still cover every one. Default: all.
       */
      select?: (partnerIds: readonly string[]) => ReadonlySet<string>;
    } = {},
    names: PersonNames = this.names,
    source: 'auto' | 'facts' = 'auto',
  ): InvolvementCostReport {
    const { from = null, to = null, partnerId = null, scope = null, select } = options;
    const wanted = (id: string) =>
      (partnerId === null || id === partnerId) && (!scope || scope.hasPartner(id));
    const costs = this.partnerCosts(at, { from, to, wanted, partnerId }, source);

    const standings = source === 'facts' ? this.partners.standings(at) : this.standings(at);
    const people = new Map([...standings].filter(([id]) => wanted(id)));
    const named = namesForMany(names);
    const partners: PartnerInvolvementCost[] = [];
    const byMonthLevel: Sums = new Map();
    const byLevel: Sums = new Map();
    const levelOfKey = new Map<string, string>();
    const partnerTotals = new Map<string, Tally>();
    const otherCurrencies: PartnerCost['other'] = [];
    for (const [id, cost] of costs) {
      otherCurrencies.push(...cost.other);
      if (cost.cells.size === 0) continue;
      const total = tally();
      for (const [key, t] of cost.cells) {
        add(total, t);
        sumInto(byMonthLevel, key, id, t);
        let level = levelOfKey.get(key);
        if (level === undefined) {
          level = key.slice(key.indexOf('\u0000') + 1);
          levelOfKey.set(key, level);
        }
        sumInto(byLevel, level, id, t);
      }
      partnerTotals.set(id, total);
    }
    const ids = [...partnerTotals.keys()].sort((a, b) => a.localeCompare(b));
    const listed = select ? select(ids) : new Set(ids);
    for (const id of ids) {
      if (!listed.has(id)) continue;
      const cost = costs.get(id)!;
      const byMonth: InvolvementCostRow[] = [];
      for (const [key, t] of cost.cells) {
        const [month, level] = key.split('\u0000') as [string, string];
        byMonth.push({ month, roleLevel: level === '' ? null : level, ...figures(t) });
      }
      const person = people.get(id);
      partners.push({
        partnerId: id,
        partnerName: named.displayName(id),
        kind: person?.kind ?? 'lay',
        withdrawal: person?.withdrawal
          ? { reason: person.withdrawal.reason, at: person.withdrawal.at }
          : null,
        totals: figures(partnerTotals.get(id)!),
        byMonth: byMonth.sort(
          (a, b) =>
            a.month.localeCompare(b.month) || (a.roleLevel ?? '').localeCompare(b.roleLevel ?? ''),
        ),
        evidence:
          cost.storedEvidence === undefined
            ? cost.evidence
            : (JSON.parse(cost.storedEvidence) as number[]),
      });
    }
    otherCurrencies.sort(
      (a, b) => a.occurredAt.localeCompare(b.occurredAt) || a.position - b.position,
    );

    const totals = tally();
    for (const t of partnerTotals.values()) add(totals, t);

    // Withdrawals: every lay partner in scope, with or without figures in the period.
    const group = (ids: readonly string[]): InvolvementCostGroup => {
      const sum = tally();
      let paid = 0;
      let declining = 0;
      for (const id of ids) {
        const t = partnerTotals.get(id);
        if (!t) continue;
        add(sum, t);
        if (t[MADE]! > 0) paid += 1;
        if (t[DECLINED]! > 0) declining += 1;
      }
      const f = figures(sum);
      return {
        partners: ids.length,
        partnersPaid: paid,
        partnersDeclining: declining,
        ...f,
        hoursPerPartner:
          ids.length === 0 ? 0 : Math.round((sum[MINUTES]! / 60 / ids.length) * 100) / 100,
      };
    };
    const lay = [...people.values()].filter((p) => p.kind === 'lay');
    const reasons = new Map<string, string[]>();
    for (const p of lay) {
      if (p.withdrawal)
        reasons.set(p.withdrawal.reason, [
          ...(reasons.get(p.withdrawal.reason) ?? []),
          p.partnerId,
        ]);
    }

    return {
      from,
      to,
      currency: REPORT_CURRENCY,
      partners,
      byMonthAndRoleLevel: [...byMonthLevel.entries()]
        .map(([key, g]) => {
          const [month, level] = key.split('\u0000') as [string, string];
          return {
            month,
            roleLevel: level === '' ? null : level,
            partners: g.partners,
            ...figures(g.tally),
          };
        })
        .sort(
          (a, b) =>
            a.month.localeCompare(b.month) || (a.roleLevel ?? '').localeCompare(b.roleLevel ?? ''),
        ),
      byRoleLevel: [...byLevel.entries()]
        .map(([level, g]) => ({
          roleLevel: level === '' ? null : level,
          partners: g.partners,
          ...figures(g.tally),
        }))
        .sort((a, b) => (a.roleLevel ?? '').localeCompare(b.roleLevel ?? '')),
      totals: { partners: ids.length, ...figures(totals) },
      withdrawals: {
        stayed: group(lay.filter((p) => !p.withdrawal).map((p) => p.partnerId)),
        withdrawn: group(lay.filter((p) => p.withdrawal).map((p) => p.partnerId)),
        byReason: [...reasons.entries()]
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([reason, ids]) => ({ reason, ...group(ids) })),
      },
      otherCurrencies: otherCurrencies.map(({ position: _p, ...rest }) => rest),
      evidenceTypes: COST_EVIDENCE_TYPES,
    };
  }
}
