/**
 * Expense claims folded from their facts: the same fold runs per event in
 * the expenses projection (each claim now, kept as its facts arrive) and over
 * the facts known at a time point (the claims as of a date, as known at a time).
 */

export interface ExpenseClaimView {
  partnerId: string;
  partnerName: string;
  claimId: string;
  amountPence: number;
  category: string;
  incurredOn: string | null;
  claimedAt: string;
  /** Month of the claim, YYYY-MM. */
  month: string;
  status: 'claimed' | 'reimbursed' | 'rejected';
  settledAt: string | null;
  reimbursedPence: number | null;
  rejectionReason: string | null;
  daysToSettle: number | null;
}

export interface ExpensesByPartnerMonth {
  partnerId: string;
  partnerName: string;
  month: string;
  claims: number;
  claimedPence: number;
  reimbursedPence: number;
  rejectedPence: number;
  outstandingPence: number;
}

/** The event types a claim folds. */
export const EXPENSE_FACTS = ['ExpenseClaimed', 'ExpenseReimbursed', 'ExpenseRejected'] as const;
const EXPENSE_FACT_TYPES: ReadonlySet<string> = new Set(EXPENSE_FACTS);
export const isExpenseFact = (type: string): boolean => EXPENSE_FACT_TYPES.has(type);

/** One fact about a claim: only the fields the fold reads (never a note or a name). */
export interface ExpenseFact {
  position: number;
  partnerId: string;
  type: string;
  occurredAt: string;
  claimId: string;
  amountPence?: unknown;
  category?: unknown;
  incurredOn?: unknown;
  reason?: unknown;
}

export const expenseFact = (
  position: number,
  partnerId: string,
  type: string,
  occurredAt: string,
  d: Record<string, unknown>,
): ExpenseFact => ({
  position,
  partnerId,
  type,
  occurredAt,
  claimId: String(d.claimId),
  ...(d.amountPence !== undefined ? { amountPence: d.amountPence } : {}),
  ...(d.category !== undefined ? { category: d.category } : {}),
  ...(d.incurredOn !== undefined ? { incurredOn: d.incurredOn } : {}),
  ...(d.reason !== undefined ? { reason: d.reason } : {}),
});

/** A claim as folded, without its partner's name (applied per reader), and its claim's position. */
export type ExpenseClaim = Omit<ExpenseClaimView, 'partnerName'> & { position: number };

const DAY = 86_400_000;
export const claimKey = (partnerId: string, claimId: string) => `${partnerId}\u0000${claimId}`;
/** Business order, then `$all` order: the order a claim's facts fold in. */
export const factOrder = (a: ExpenseFact, b: ExpenseFact): number =>
  a.occurredAt < b.occurredAt ? -1 : a.occurredAt > b.occurredAt ? 1 : a.position - b.position;

/**
 * The claims of the facts, given in business order then `$all` order, in the
 * order first claimed: a claim counts from its `ExpenseClaimed`; its first
 * settlement (reimbursed or rejected) after it settles it.
 */
export function foldExpenseFacts(facts: Iterable<ExpenseFact>): ExpenseClaim[] {
  const claims = new Map<string, ExpenseClaim>();
  for (const f of facts) {
    const key = claimKey(f.partnerId, f.claimId);
    if (f.type === 'ExpenseClaimed') {
      claims.set(key, {
        partnerId: f.partnerId,
        claimId: f.claimId,
        amountPence: Number(f.amountPence),
        category: String(f.category),
        incurredOn: typeof f.incurredOn === 'string' ? f.incurredOn : null,
        claimedAt: f.occurredAt,
        month: f.occurredAt.slice(0, 7),
        status: 'claimed',
        settledAt: null,
        reimbursedPence: null,
        rejectionReason: null,
        daysToSettle: null,
        position: f.position,
      });
      continue;
    }
    const claim = claims.get(key);
    if (!claim || claim.status !== 'claimed') continue;
    claim.settledAt = f.occurredAt;
    claim.daysToSettle = Math.round((Date.parse(f.occurredAt) - Date.parse(claim.claimedAt)) / DAY);
    if (f.type === 'ExpenseReimbursed') {
      claim.status = 'reimbursed';
      claim.reimbursedPence = typeof f.amountPence === 'number' ? f.amountPence : claim.amountPence;
    } else {
      claim.status = 'rejected';
      claim.rejectionReason = typeof f.reason === 'string' ? f.reason : null;
    }
  }
  return [...claims.values()];
}

export interface ExpenseSums {
  claimedPence: number;
  reimbursedPence: number;
  rejectedPence: number;
  outstandingPence: number;
}

/** Adds a claim's money to `sums` (mutated). */
export function addClaim(
  sums: ExpenseSums,
  claim: Pick<ExpenseClaim, 'amountPence' | 'status' | 'reimbursedPence'>,
): void {
  sums.claimedPence += claim.amountPence;
  if (claim.status === 'reimbursed')
    sums.reimbursedPence += claim.reimbursedPence ?? claim.amountPence;
  else if (claim.status === 'rejected') sums.rejectedPence += claim.amountPence;
  else sums.outstandingPence += claim.amountPence;
}

/** One partner's claims of one month, summed (a row a read sums from). */
export interface PartnerMonthSums extends ExpenseSums {
  partnerId: string;
  month: string;
  claims: number;
  settled: number;
  settledDays: number;
}

/** Claims summed per partner and month, in any order. */
export function sumByPartnerMonth(claims: readonly ExpenseClaim[]): PartnerMonthSums[] {
  const rows = new Map<string, PartnerMonthSums>();
  for (const claim of claims) {
    const key = `${claim.partnerId}\u0000${claim.month}`;
    let row = rows.get(key);
    if (!row) {
      row = {
        partnerId: claim.partnerId,
        month: claim.month,
        claims: 0,
        claimedPence: 0,
        reimbursedPence: 0,
        rejectedPence: 0,
        outstandingPence: 0,
        settled: 0,
        settledDays: 0,
      };
      rows.set(key, row);
    }
    row.claims += 1;
    addClaim(row, claim);
    if (claim.daysToSettle !== null) {
      row.settled += 1;
      row.settledDays += claim.daysToSettle;
    }
  }
  return [...rows.values()];
}

/** As `localeCompare` orders strings, without a collator per call. */
const collate = new Intl.Collator().compare;

/** `byPartnerMonth` (by partner, then month) and `totals` over every claim's partner-month sums. */
export function expenseSummary(rows: readonly PartnerMonthSums[], nameOf: (id: string) => string) {
  const totals = {
    claims: 0,
    claimedPence: 0,
    reimbursedPence: 0,
    rejectedPence: 0,
    outstandingPence: 0,
  };
  let settled = 0;
  let settledDays = 0;
  for (const row of rows) {
    totals.claims += row.claims;
    totals.claimedPence += row.claimedPence;
    totals.reimbursedPence += row.reimbursedPence;
    totals.rejectedPence += row.rejectedPence;
    totals.outstandingPence += row.outstandingPence;
    settled += row.settled;
    settledDays += row.settledDays;
  }
  return {
    byPartnerMonth: [...rows]
      .sort((a, b) => collate(a.partnerId, b.partnerId) || collate(a.month, b.month))
      .map((row): ExpensesByPartnerMonth => ({
        partnerId: row.partnerId,
        partnerName: nameOf(row.partnerId),
        month: row.month,
        claims: row.claims,
        claimedPence: row.claimedPence,
        reimbursedPence: row.reimbursedPence,
        rejectedPence: row.rejectedPence,
        outstandingPence: row.outstandingPence,
      })),
    totals: {
      ...totals,
      averageDaysToSettle: settled === 0 ? null : Math.round((settledDays / settled) * 10) / 10,
    },
  };
}

/** A claim's place in the list (claimed, then the `$all` position of its claim): the paging key. */
export const expenseClaimKey = (claim: Pick<ExpenseClaim, 'claimedAt' | 'position'>) => [
  claim.claimedAt,
  String(claim.position).padStart(20, '0'),
];

/** The expenses report's claim list over HTTP: `limit` default and bound (sums cover every claim). */
export const EXPENSE_CLAIMS_PAGE = { default: 500, max: 5_000 } as const;
