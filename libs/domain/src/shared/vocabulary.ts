/** The programme's vocabulary, from the seeds (NWL Whole Systems Integrated Care, 2013–2016). */

export const GROUP_KINDS = [
  'programme-board',
  'workstream',
  'embedding-partnerships',
  'advisory-group',
  'forum',
  'early-adopter-site',
] as const;
export type GroupKind = (typeof GROUP_KINDS)[number];

export const GROUP_LEVELS = ['programme', 'ccg', 'borough', 'locality'] as const;
export type GroupLevel = (typeof GROUP_LEVELS)[number];

export const CADENCES = [
  'weekly',
  'fortnightly',
  'monthly',
  'bimonthly',
  'quarterly',
  'ad-hoc',
] as const;
export type Cadence = (typeof CADENCES)[number];

/** Who a seat represents. Only `lay` seats count against the group's lay minimum and maximum. */
export const CONSTITUENCIES = [
  'lay',
  'ccg',
  'local-authority',
  'provider',
  'voluntary-sector',
] as const;
export type Constituency = (typeof CONSTITUENCIES)[number];

/** Lay partners are appointed to the Advisory Group or to the wider Forum. */
export const LAY_BODIES = ['advisory-group', 'forum'] as const;
export type LayBody = (typeof LAY_BODIES)[number];

/** Organisations asked for nominations. */
export const ORGANISATION_KINDS = [
  'social-care',
  'general-practice',
  'charity',
  'ccg',
  'healthwatch',
  'patient-participation-group',
  'other',
] as const;
export type OrganisationKind = (typeof ORGANISATION_KINDS)[number];

/**
 * Why partners left. A programme may define its own reasons
 * (`DefineWithdrawalReasons`); these are the default, and the five the ledger
 * always had (every key but `caring-responsibilities`) stay valid for every
 * programme, so records and clients written before programme vocabularies
 * keep working. The seeds name time commitment and lack of remuneration.
 */
export interface WithdrawalReasonDefinition {
  /** Kebab-case, stable: reports count withdrawals under it. */
  key: string;
  /** How people read it, e.g. "Caring responsibilities". */
  label: string;
}

export const DEFAULT_WITHDRAWAL_REASONS: readonly WithdrawalReasonDefinition[] = [
  { key: 'time-commitment', label: 'Time commitment' },
  { key: 'no-remuneration', label: 'No remuneration' },
  { key: 'caring-responsibilities', label: 'Caring responsibilities' },
  { key: 'health', label: 'Health' },
  { key: 'moved-away', label: 'Moved away' },
  { key: 'other', label: 'Other' },
];

/** The reasons valid before programmes had vocabularies: valid in every programme. */
export const LEGACY_WITHDRAWAL_REASONS = [
  'time-commitment',
  'no-remuneration',
  'health',
  'moved-away',
  'other',
] as const;

/** The default set's keys. */
export const WITHDRAWAL_REASONS: readonly string[] = DEFAULT_WITHDRAWAL_REASONS.map((r) => r.key);

/** A reason key: one of the programme's vocabulary (validated by the partner decider). */
export type WithdrawalReason = string;

/** Kebab-case: lower-case letters and digits in words joined by single dashes. */
export const WITHDRAWAL_REASON_KEY = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** The keys a programme accepts: its own (or the default set) and the legacy five. */
export function validWithdrawalReasons(
  defined: readonly WithdrawalReasonDefinition[] | null | undefined,
): string[] {
  const keys = (defined ?? DEFAULT_WITHDRAWAL_REASONS).map((r) => r.key);
  return [...new Set([...keys, ...LEGACY_WITHDRAWAL_REASONS])];
}

/** Lay partners are unpaid; out-of-pocket costs are reimbursed. */
export const EXPENSE_CATEGORIES = [
  'travel',
  'subsistence',
  'caring',
  'communication',
  'other',
] as const;
export type ExpenseCategory = (typeof EXPENSE_CATEGORIES)[number];

/** Where feedback was heard. */
export const FEEDBACK_CHANNELS = [
  'forum',
  'advisory-group',
  'working-group',
  'survey',
  'individual',
] as const;
export type FeedbackChannel = (typeof FEEDBACK_CHANNELS)[number];

export const FEEDBACK_KINDS = ['feedback', 'challenge', 'idea', 'concern'] as const;
export type FeedbackKind = (typeof FEEDBACK_KINDS)[number];

/** What was done with feedback; `not-adopted` always carries a rationale. */
export const RESPONSE_OUTCOMES = ['adopted', 'adapted', 'not-adopted', 'noted'] as const;
export type ResponseOutcome = (typeof RESPONSE_OUTCOMES)[number];

export const ELECTION_OUTCOMES = ['elected', 'tied', 'no-candidates'] as const;
export type ElectionOutcome = (typeof ELECTION_OUTCOMES)[number];

/** Lay partners come through recruitment; professionals are registered. */
export const PARTNER_KINDS = ['lay', 'professional'] as const;
export type PartnerKind = (typeof PARTNER_KINDS)[number];

/**
 * A role level names a kind of involvement a programme publishes a role
 * profile for (NHS England's patient and public voice partner policy
 * distinguishes levels and pays the most senior), e.g. `lay-partner`,
 * `lay-co-chair`, `strategic-partner`: a lowercase key, like withdrawal reasons.
 */
export type RoleLevel = string;
export const ROLE_LEVEL_KEY = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
/** The level of a role profile published before profiles named one. */
export const DEFAULT_ROLE_LEVEL: RoleLevel = 'lay-partner';

/** What an involvement payment is counted per. */
export const PAYMENT_BASES = ['hour', 'meeting'] as const;
export type PaymentBasis = (typeof PAYMENT_BASES)[number];

/** ISO 4217 code, e.g. GBP. Money is integer minor units (pence) plus a currency, never a float. */
export const CURRENCY_CODE = /^[A-Z]{3}$/;

/**
 * The involvement payment a role profile offers: integer pence (zero: none)
 * per hour of meetings attended or per meeting.
 */
export interface InvolvementRate {
  amountPence: number;
  currency: string;
  per: PaymentBasis;
}
