import type Database from 'better-sqlite3';
import type { TimePoint } from '../governance/governance.queries.js';
import type { PartnerQueries } from '../partners/partner.queries.js';
import { StoredPersonNames, type PersonNames } from '../partners/person-names.js';
import type { ProgrammeScope } from './programme-scope.js';

/** The currency the report sums: expenses are recorded in pence sterling, payments name theirs. */
export const REPORT_CURRENCY = 'GBP';

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

interface MeetingAttendanceRow {
  group_id: string;
  partner_id: string;
  duration_minutes: number;
  held_at: string;
  position: number;
}
interface FactRow {
  position: number;
  partner_id: string;
  type: string;
  occurred_at: string;
  detail: string;
}

const EVIDENCE_TYPES = [
  'MeetingHeld',
  'ExpenseClaimed',
  'ExpenseReimbursed',
  'InvolvementPaymentRecorded',
  'InvolvementPaymentDeclined',
];
const TERM_TYPES = [
  'SeatAllocated',
  'SeatVacated',
  'CoChairAppointed',
  'CoChairElected',
  'CoChairStoodDown',
];

const zero = (): InvolvementFigures => ({
  meetingsAttended: 0,
  hoursAttended: 0,
  expenseClaims: 0,
  expensesClaimedPence: 0,
  expensesReimbursedPence: 0,
  paymentsMade: 0,
  paymentsMadePence: 0,
  paymentsDeclined: 0,
  paymentsDeclinedPence: 0,
});
/** Figures summed in minutes; hours are rounded once, at the end. */
type Tally = InvolvementFigures & { minutes: number };
const tally = (): Tally => ({ ...zero(), minutes: 0 });
const add = (into: Tally, from: Tally): void => {
  for (const key of Object.keys(from) as Array<keyof Tally>) into[key] += from[key];
};
const figures = ({ minutes, ...rest }: Tally): InvolvementFigures => ({
  ...rest,
  hoursAttended: Math.round((minutes / 60) * 100) / 100,
});

type Term = { kind: 'seat' | 'co-chair'; from: number; until: number; level: string | null };

/**
 * A partner's role level on one group through time: seat allocations and
 * co-chair terms carry the level in force when allocated; a co-chair term's
 * level applies while it runs, else the seat's.
 */
class RoleLevels {
  private readonly terms = new Map<string, Term[]>();
  /** A partner's term lists, one per group, in the order the groups were first seen. */
  private readonly byPartner = new Map<string, Term[][]>();

  constructor(rows: readonly FactRow[]) {
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
 * The cost and value of involvement (GRIPP2 item 6, economic assessment):
 * hours attended (from meetings), expenses, involvement payments made and
 * declined, per partner, by month and role level, and joined with
 * withdrawal reasons. Three reads per answer (attendance, partner facts,
 * partners), whatever the number of rows; every figure keeps the `$all`
 * positions of the events behind it.
 */
export class InvolvementCostQueries {
  private readonly attendance: Database.Statement<[TimePoint], MeetingAttendanceRow>;
  private readonly facts: Database.Statement<[TimePoint], FactRow>;
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
    const types = [...EVIDENCE_TYPES.slice(1), ...TERM_TYPES].map((t) => `'${t}'`).join(', ');
    this.facts = db.prepare(`SELECT position, partner_id, type, occurred_at, detail FROM pf_facts
      WHERE type IN (${types}) AND occurred_at <= @asOf AND recorded_at <= @knownAt
      ORDER BY occurred_at, position`);
    this.names = names ?? new StoredPersonNames(db);
  }

  report(
    at: TimePoint,
    options: {
      from?: string | null;
      to?: string | null;
      partnerId?: string | null;
      scope?: ProgrammeScope | null;
    } = {},
    names: PersonNames = this.names,
  ): InvolvementCostReport {
    const { from = null, to = null, partnerId = null, scope = null } = options;
    const inPeriod = (iso: string) => (from === null || iso >= from) && (to === null || iso <= to);
    const wanted = (id: string) =>
      (partnerId === null || id === partnerId) && (!scope || scope.hasPartner(id));

    const facts = this.facts.all(at);
    const levels = new RoleLevels(facts.filter((f) => TERM_TYPES.includes(f.type)));
    const rows = new Map<string, Map<string, Tally>>();
    const evidence = new Map<string, Set<number>>();
    const cell = (id: string, month: string, level: string | null): Tally => {
      const byKey = rows.get(id) ?? new Map<string, Tally>();
      rows.set(id, byKey);
      const key = `${month}\u0000${level ?? ''}`;
      const found = byKey.get(key) ?? tally();
      byKey.set(key, found);
      return found;
    };
    const cite = (id: string, position: number) =>
      evidence.set(id, (evidence.get(id) ?? new Set()).add(position));

    for (const row of this.attendance.all(at)) {
      if (!wanted(row.partner_id) || !inPeriod(row.held_at)) continue;
      const level = levels.onGroup(row.partner_id, row.group_id, row.held_at);
      const c = cell(row.partner_id, row.held_at.slice(0, 7), level);
      c.meetingsAttended += 1;
      c.minutes += row.duration_minutes;
      cite(row.partner_id, row.position);
    }

    const claims = new Map<string, { month: string; level: string | null; amount: number }>();
    const otherCurrencies: InvolvementCostReport['otherCurrencies'] = [];
    for (const row of facts) {
      if (TERM_TYPES.includes(row.type) || !wanted(row.partner_id)) continue;
      const d = JSON.parse(row.detail) as Record<string, unknown>;
      const amount = Number(d.amountPence);
      if (row.type === 'ExpenseClaimed') {
        if (!inPeriod(row.occurred_at)) continue;
        const month = row.occurred_at.slice(0, 7);
        const incurred = typeof d.incurredOn === 'string' ? d.incurredOn : row.occurred_at;
        const level = levels.anywhere(row.partner_id, incurred);
        claims.set(`${row.partner_id}\u0000${String(d.claimId)}`, { month, level, amount });
        const c = cell(row.partner_id, month, level);
        c.expenseClaims += 1;
        c.expensesClaimedPence += amount;
        cite(row.partner_id, row.position);
      } else if (row.type === 'ExpenseReimbursed') {
        // Counted with its claim's month, as the expenses report does.
        const claim = claims.get(`${row.partner_id}\u0000${String(d.claimId)}`);
        if (!claim) continue;
        cell(row.partner_id, claim.month, claim.level).expensesReimbursedPence += Number.isFinite(
          amount,
        )
          ? amount
          : claim.amount;
        cite(row.partner_id, row.position);
      } else if (
        row.type === 'InvolvementPaymentRecorded' ||
        row.type === 'InvolvementPaymentDeclined'
      ) {
        if (!inPeriod(row.occurred_at)) continue;
        const made = row.type === 'InvolvementPaymentRecorded';
        const currency = typeof d.currency === 'string' ? d.currency : REPORT_CURRENCY;
        if (currency !== REPORT_CURRENCY) {
          otherCurrencies.push({
            partnerId: row.partner_id,
            paymentId: String(d.paymentId),
            status: made ? 'made' : 'declined',
            amountPence: amount,
            currency,
            occurredAt: row.occurred_at,
          });
          cite(row.partner_id, row.position);
          continue;
        }
        const level =
          typeof d.roleLevel === 'string'
            ? d.roleLevel
            : levels.anywhere(row.partner_id, row.occurred_at);
        const c = cell(row.partner_id, row.occurred_at.slice(0, 7), level);
        if (made) {
          c.paymentsMade += 1;
          c.paymentsMadePence += amount;
        } else {
          c.paymentsDeclined += 1;
          c.paymentsDeclinedPence += amount;
        }
        cite(row.partner_id, row.position);
      }
    }

    const people = new Map([...this.partners.standings(at)].filter(([id]) => wanted(id)));
    const partners: PartnerInvolvementCost[] = [];
    const byMonthLevel = new Map<string, { tally: Tally; partners: Set<string> }>();
    const byLevel = new Map<string, { tally: Tally; partners: Set<string> }>();
    const partnerTotals = new Map<string, Tally>();
    for (const [id, cells] of rows) {
      const total = tally();
      const byMonth: InvolvementCostRow[] = [];
      for (const [key, t] of cells) {
        const [month, level] = key.split('\u0000') as [string, string];
        const roleLevel = level === '' ? null : level;
        add(total, t);
        byMonth.push({ month, roleLevel, ...figures(t) });
        for (const [map, k] of [
          [byMonthLevel, key],
          [byLevel, level],
        ] as const) {
          const group = map.get(k) ?? { tally: tally(), partners: new Set<string>() };
          add(group.tally, t);
          group.partners.add(id);
          map.set(k, group);
        }
      }
      partnerTotals.set(id, total);
      const person = people.get(id);
      partners.push({
        partnerId: id,
        partnerName: names.displayName(id),
        kind: person?.kind ?? 'lay',
        withdrawal: person?.withdrawal
          ? { reason: person.withdrawal.reason, at: person.withdrawal.at }
          : null,
        totals: figures(total),
        byMonth: byMonth.sort(
          (a, b) =>
            a.month.localeCompare(b.month) || (a.roleLevel ?? '').localeCompare(b.roleLevel ?? ''),
        ),
        evidence: [...(evidence.get(id) ?? [])].sort((a, b) => a - b),
      });
    }
    partners.sort((a, b) => a.partnerId.localeCompare(b.partnerId));

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
        if (t.paymentsMade > 0) paid += 1;
        if (t.paymentsDeclined > 0) declining += 1;
      }
      const f = figures(sum);
      return {
        partners: ids.length,
        partnersPaid: paid,
        partnersDeclining: declining,
        ...f,
        hoursPerPartner:
          ids.length === 0 ? 0 : Math.round((sum.minutes / 60 / ids.length) * 100) / 100,
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
            partners: g.partners.size,
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
          partners: g.partners.size,
          ...figures(g.tally),
        }))
        .sort((a, b) => (a.roleLevel ?? '').localeCompare(b.roleLevel ?? '')),
      totals: { partners: partners.length, ...figures(totals) },
      withdrawals: {
        stayed: group(lay.filter((p) => !p.withdrawal).map((p) => p.partnerId)),
        withdrawn: group(lay.filter((p) => p.withdrawal).map((p) => p.partnerId)),
        byReason: [...reasons.entries()]
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([reason, ids]) => ({ reason, ...group(ids) })),
      },
      otherCurrencies,
      evidenceTypes: EVIDENCE_TYPES,
    };
  }
}
