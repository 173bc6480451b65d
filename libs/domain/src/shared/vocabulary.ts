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

export const CADENCES = ['weekly', 'fortnightly', 'monthly', 'bimonthly', 'quarterly', 'ad-hoc'] as const;
export type Cadence = (typeof CADENCES)[number];

/** Who a seat represents. Only `lay` seats count against the group's lay minimum and maximum. */
export const CONSTITUENCIES = ['lay', 'ccg', 'local-authority', 'provider', 'voluntary-sector'] as const;
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
