import type { ResponseClockQueries } from '../clock/response-clock.queries.js';
import type { ElectionQueries } from '../elections/elections.queries.js';
import type { GovernanceQueries, TimePoint } from '../governance/governance.queries.js';
import type { InfluenceQueries } from '../influence/influence.queries.js';
import type { ProgrammeQueries } from '../programmes/programmes.queries.js';
import type { InvolvementCostQueries } from './involvement-cost.js';
import type { ProgrammeScope } from './programme-scope.js';
import type { ReportQueries } from './reports.queries.js';

/**
 * GRIPP2 (Staniszewska et al., BMJ 2017;358:j3453), the checklist for
 * reporting patient and public involvement: the long form's items, in its
 * sections, and the short form's five. Wording is ours and short; `ledger`
 * marks the items the record can answer with figures.
 */
export const GRIPP2_LONG_FORM = [
  { id: '1a', section: '1 Abstract', topic: 'Aim', asks: 'The aim of the study.' },
  { id: '1b', section: '1 Abstract', topic: 'Methods', asks: 'How people were involved.' },
  { id: '1c', section: '1 Abstract', topic: 'Results', asks: 'What involvement changed.' },
  { id: '1d', section: '1 Abstract', topic: 'Conclusions', asks: 'The main conclusions.' },
  { id: '1e', section: '1 Abstract', topic: 'Keywords', asks: 'PPI among the keywords.' },
  {
    id: '2a',
    section: '2 Background',
    topic: 'Definition',
    asks: 'The definition of involvement used, and how it compares with others.',
  },
  {
    id: '2b',
    section: '2 Background',
    topic: 'Theoretical underpinnings',
    asks: 'The theory behind the involvement.',
  },
  {
    id: '2c',
    section: '2 Background',
    topic: 'Concepts and theory development',
    asks: 'Conceptual models used or developed.',
  },
  { id: '3', section: '3 Aims', topic: 'Aim', asks: 'The aim of the study.' },
  { id: '4a', section: '4 Methods', topic: 'Design', asks: 'How people were involved.' },
  {
    id: '4b',
    section: '4 Methods',
    topic: 'People involved',
    asks: 'Who was involved: patients, carers, the public.',
  },
  {
    id: '4c',
    section: '4 Methods',
    topic: 'Stages of involvement',
    asks: 'At which stages people were involved.',
  },
  {
    id: '4d',
    section: '4 Methods',
    topic: 'Level or nature of involvement',
    asks: 'The level or nature of involvement at each stage.',
  },
  {
    id: '5a',
    section: '5 Capture or measurement of impact',
    topic: 'Qualitative evidence of impact',
    asks: 'How the impact was explored qualitatively.',
  },
  {
    id: '5b',
    section: '5 Capture or measurement of impact',
    topic: 'Quantitative evidence of impact',
    asks: 'How the impact was measured.',
  },
  {
    id: '5c',
    section: '5 Capture or measurement of impact',
    topic: 'Robustness of measure',
    asks: 'How rigorous the measure of impact was.',
  },
  {
    id: '6',
    section: '6 Economic assessment',
    topic: 'Economic assessment',
    asks: 'What involvement cost, and how that was assessed.',
  },
  {
    id: '7a',
    section: '7 Study results',
    topic: 'Outcomes of involvement',
    asks: 'Its results, good and bad.',
  },
  {
    id: '7b',
    section: '7 Study results',
    topic: 'Impacts of involvement',
    asks: 'Its impacts on the work, the people and beyond.',
  },
  {
    id: '7c',
    section: '7 Study results',
    topic: 'Qualitative evidence of impact',
    asks: 'What the qualitative evidence showed.',
  },
  {
    id: '7d',
    section: '7 Study results',
    topic: 'Quantitative evidence of impact',
    asks: 'What the measures showed.',
  },
  {
    id: '8a',
    section: '8 Discussion and conclusions',
    topic: 'Outcomes',
    asks: 'How far involvement shaped the work.',
  },
  {
    id: '8b',
    section: '8 Discussion and conclusions',
    topic: 'Impacts',
    asks: 'Its effects, good and bad.',
  },
  {
    id: '8c',
    section: '8 Discussion and conclusions',
    topic: 'Definition',
    asks: 'The definition of involvement, looked back on.',
  },
  {
    id: '8d',
    section: '8 Discussion and conclusions',
    topic: 'Theoretical underpinnings',
    asks: 'What the work adds to theory.',
  },
  {
    id: '8e',
    section: '8 Discussion and conclusions',
    topic: 'Concepts and theory development',
    asks: 'Concepts the work supports or changes.',
  },
  {
    id: '8f',
    section: '8 Discussion and conclusions',
    topic: 'Future research',
    asks: 'What should be studied next.',
  },
  {
    id: '9',
    section: '9 Reflections / critical perspective',
    topic: 'Reflections',
    asks: 'What went well and what did not, so others learn.',
  },
] as const;

export type Gripp2ItemId = (typeof GRIPP2_LONG_FORM)[number]['id'];

/** The long-form items the ledger fills with figures. */
export const GRIPP2_FROM_LEDGER: readonly Gripp2ItemId[] = ['4b', '4c', '4d', '5b', '6'];

/** The short form's five items and the long-form items that hold their material. */
export const GRIPP2_SHORT_FORM = [
  { id: '1', topic: 'Aim', asks: 'The aim of involvement in the study.', longForm: ['1a', '3'] },
  {
    id: '2',
    topic: 'Methods',
    asks: 'How people were involved.',
    longForm: ['4a', '4b', '4c', '4d'],
  },
  {
    id: '3',
    topic: 'Study results',
    asks: 'The outcomes of involvement, good and bad.',
    longForm: ['5b', '6', '7a', '7d'],
  },
  {
    id: '4',
    topic: 'Discussion and conclusions',
    asks: 'How far involvement influenced the work.',
    longForm: ['8a', '8b'],
  },
  {
    id: '5',
    topic: 'Reflections / critical perspective',
    asks: 'What went well and what did not.',
    longForm: ['9'],
  },
] as const satisfies ReadonlyArray<{
  id: string;
  topic: string;
  asks: string;
  longForm: readonly Gripp2ItemId[];
}>;

export const GRIPP2_EVALUATOR_NOTE = 'Not recorded in the ledger — to be written by the evaluator.';

export type Gripp2Unit = 'count' | 'hours' | 'pence' | 'days' | 'share' | 'date';

export interface Gripp2Evidence {
  /** A `GET /v1/audit/events` query whose answer holds the events behind the figure. */
  auditQuery: string;
  /** The `$all` positions of exactly those events, where the report the figure comes from names them. */
  positions: number[] | null;
}

export interface Gripp2Figure {
  /** Stable within an item: what the figure is, for a program. */
  key: string;
  label: string;
  /** A count, hours, pence or days; `null` for a dated stage or a median of nothing. */
  value: number | null;
  unit: Gripp2Unit;
  /** The business date of a stage (4c). */
  at?: string;
  /** The figure split (by constituency, body, borough, outcome, role level…). */
  breakdown?: Record<string, number>;
  /** The report route, with its parameters, that answers this figure. */
  query: string;
  evidence: Gripp2Evidence;
}

export interface Gripp2Item {
  id: Gripp2ItemId;
  section: string;
  topic: string;
  asks: string;
  source: 'ledger' | 'evaluator';
  /** How the figures were computed, or what the evaluator writes. */
  basis: string;
  figures: Gripp2Figure[];
}

export interface Gripp2ShortFormItem {
  id: string;
  topic: string;
  asks: string;
  longForm: Gripp2ItemId[];
  /** Which of those the ledger filled. */
  fromLedger: Gripp2ItemId[];
  source: 'ledger' | 'partly-ledger' | 'evaluator';
}

export interface Gripp2Report {
  programmeId: string | null;
  programmeName: string | null;
  from: string | null;
  to: string | null;
  shortForm: Gripp2ShortFormItem[];
  longForm: Gripp2Item[];
}

export interface Gripp2Sources {
  reports: ReportQueries;
  governance: GovernanceQueries;
  influence: InfluenceQueries;
  clock: ResponseClockQueries;
  involvement: InvolvementCostQueries;
  programmes: ProgrammeQueries;
  elections: ElectionQueries;
}

const sum = (values: Iterable<number>) => [...values].reduce((a, b) => a + b, 0);
const bump = (into: Record<string, number>, key: string, by = 1) =>
  (into[key] = (into[key] ?? 0) + by);
const sorted = (record: Record<string, number>) =>
  Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
/** Distinct positions, ascending (a typed array sorts numbers without a comparator call). */
const positions = (values: Iterable<string | number | null>) => {
  const seen = new Set<number>();
  for (const value of values) if (value !== null) seen.add(Number(value));
  return Array.from(Float64Array.from(seen).sort());
};

/**
 * Builds the report's query strings: the report routes (the same time point
 * and programme) and the audit log queries for the evidence.
 */
class Links {
  constructor(
    private readonly at: TimePoint,
    private readonly scope: ProgrammeScope | null,
    private readonly period: { from: string | null; to: string | null },
  ) {}

  /** `withPeriod`: the route takes from/to; `programme: false`: the path names the programme. */
  report(path: string, withPeriod = false, programme = true): string {
    const params: Array<[string, string]> = [];
    if (programme && this.scope) params.push(['programmeId', this.scope.programmeId]);
    params.push(['asOf', this.at.asOf], ['knownAt', new Date(this.at.knownAt).toISOString()]);
    if (withPeriod && this.period.from) params.push(['from', this.period.from]);
    if (withPeriod && this.period.to) params.push(['to', this.period.to]);
    return `${path}?${new URLSearchParams(params).toString()}`;
  }

  /** Everything of these types in the programme, occurred by asOf (from `from`), recorded by knownAt. */
  audit(types: readonly string[], withPeriod = false): string {
    const params: Array<[string, string]> = [];
    if (this.scope) params.push(['programmeId', this.scope.programmeId]);
    params.push(['type', types.join(',')]);
    if (withPeriod && this.period.from) params.push(['occurredFrom', this.period.from]);
    const to =
      withPeriod && this.period.to && this.period.to < this.at.asOf ? this.period.to : this.at.asOf;
    params.push(['occurredTo', to]);
    params.push(['recordedTo', new Date(this.at.knownAt).toISOString()]);
    return `/v1/audit/events?${new URLSearchParams(params).toString().replaceAll('%2C', ',')}`;
  }
}

/**
 * What several items read, each computed once per report (the time point,
 * scope and period are the report's): the governance structure (4b, 4c,
 * 4d), the representation report (4b, 4d) and the involvement-cost report
 * (4d, 6), the costliest of them.
 */
class Shared {
  private governanceAnswer?: ReturnType<GovernanceQueries['governance']>;
  private representationAnswer?: ReturnType<ReportQueries['representation']>;
  private costAnswer?: ReturnType<InvolvementCostQueries['report']>;

  constructor(
    private readonly sources: Gripp2Sources,
    private readonly at: TimePoint,
    private readonly scope: ProgrammeScope | null,
    private readonly period: { from: string | null; to: string | null },
  ) {}

  governance() {
    return (this.governanceAnswer ??= this.sources.governance.governance(this.at, this.scope));
  }

  representation() {
    return (this.representationAnswer ??= this.sources.reports.representation(
      this.at,
      false,
      this.scope,
    ));
  }

  cost() {
    return (this.costAnswer ??= this.sources.involvement.report(this.at, {
      from: this.period.from,
      to: this.period.to,
      scope: this.scope,
    }));
  }
}

/**
 * The GRIPP2 report of one programme, as of `at`: the items the ledger holds
 * the facts for are filled by calling the very queries behind the other
 * reports (recruitment funnel, representation, participation, governance,
 * influence, response clock, involvement cost), so their figures agree; the
 * rest are left to the evaluator. Counts only: no person is named or
 * identified by id.
 */
export function gripp2Report(
  sources: Gripp2Sources,
  at: TimePoint,
  scope: ProgrammeScope | null,
  period: { from: string | null; to: string | null },
): Gripp2Report {
  const links = new Links(at, scope, period);
  const shared = new Shared(sources, at, scope, period);
  const filled: Partial<Record<Gripp2ItemId, { basis: string; figures: Gripp2Figure[] }>> = {
    '4b': peopleInvolved(sources, shared, at, scope, links),
    '4c': stagesOfInvolvement(sources, shared, at, scope, links),
    '4d': natureOfInvolvement(sources, shared, at, links),
    '5b': quantitativeImpact(sources, at, scope, period, links),
    '6': economicAssessment(shared, links),
  };
  const longForm = GRIPP2_LONG_FORM.map((item): Gripp2Item => {
    const found = filled[item.id];
    return found
      ? { ...item, source: 'ledger', ...found }
      : { ...item, source: 'evaluator', basis: GRIPP2_EVALUATOR_NOTE, figures: [] };
  });
  const fromLedger = new Set(longForm.filter((i) => i.source === 'ledger').map((i) => i.id));
  return {
    programmeId: scope?.programmeId ?? null,
    programmeName: scope?.name ?? null,
    from: period.from,
    to: period.to,
    shortForm: GRIPP2_SHORT_FORM.map((item) => {
      const ours = item.longForm.filter((id) => fromLedger.has(id));
      return {
        ...item,
        longForm: [...item.longForm],
        fromLedger: ours,
        source:
          ours.length === 0
            ? 'evaluator'
            : ours.length === item.longForm.length
              ? 'ledger'
              : 'partly-ledger',
      };
    }),
    longForm,
  };
}

/** 4b: counts by body, constituency and borough, from appointments and tenures. */
function peopleInvolved(
  { reports }: Gripp2Sources,
  shared: Shared,
  at: TimePoint,
  scope: ProgrammeScope | null,
  links: Links,
) {
  const funnel = reports.funnelByOrganisationKind(at, scope);
  const stage = (name: string) =>
    sum(funnel.map((row) => row.stages.find((s) => s.stage === name)?.count ?? 0));
  const byBody: Record<string, number> = {};
  const reasons: Record<string, number> = {};
  for (const row of funnel) {
    for (const [body, n] of Object.entries(row.appointedByBody)) bump(byBody, body, n);
    for (const [reason, n] of Object.entries(row.withdrawalReasons)) bump(reasons, reason, n);
  }
  const byKind: Record<string, number> = {};
  for (const row of funnel) bump(byKind, row.organisationKind ?? '(none)', row.stages[0]!.count);
  const funnelQuery = links.report('/v1/reports/recruitment-funnel');

  const groups = shared.governance();
  const byConstituency: Record<string, number> = {};
  for (const group of groups)
    for (const seat of group.seats) bump(byConstituency, seat.constituency);
  const layPeople = new Set(
    groups.flatMap((g) => g.seats.filter((s) => s.constituency === 'lay').map((s) => s.partnerId)),
  );

  const representation = shared.representation();
  const byBorough: Record<string, number> = Object.fromEntries(
    representation.boroughs.map((b) => [b, 0]),
  );
  for (const group of representation.groups)
    if (group.level === 'borough' && group.borough !== null)
      bump(byBorough, group.borough, group.filled);

  const seatsAudit = links.audit(['SeatAllocated', 'SeatVacated', 'PartnerWithdrew']);
  return {
    basis:
      'Lay partners through recruitment (nominated, appointed by body, still active, withdrawn by reason) from the recruitment funnel; seats held at asOf by constituency from the governance structure; lay seats filled in each borough’s groups from the representation report. Counts only: no person is named.',
    figures: [
      {
        key: 'layPartnersNominated',
        label: 'Lay partners nominated, by kind of nominating organisation',
        value: stage('nominated'),
        unit: 'count',
        breakdown: sorted(byKind),
        query: funnelQuery,
        evidence: { auditQuery: links.audit(['PartnerNominated']), positions: null },
      },
      {
        key: 'layPartnersAppointed',
        label: 'Lay partners appointed, by body (a partner counts once per body)',
        value: stage('appointed'),
        unit: 'count',
        breakdown: sorted(byBody),
        query: funnelQuery,
        evidence: { auditQuery: links.audit(['PartnerAppointed']), positions: null },
      },
      {
        key: 'layPartnersActive',
        label: 'Lay partners appointed and not withdrawn at asOf',
        value: stage('active'),
        unit: 'count',
        query: funnelQuery,
        evidence: {
          auditQuery: links.audit(['PartnerAppointed', 'PartnerWithdrew']),
          positions: null,
        },
      },
      {
        key: 'layPartnersWithdrawn',
        label: 'Lay partners withdrawn, by reason',
        value: sum(Object.values(reasons)),
        unit: 'count',
        breakdown: sorted(reasons),
        query: funnelQuery,
        evidence: { auditQuery: links.audit(['PartnerWithdrew']), positions: null },
      },
      {
        key: 'seatsByConstituency',
        label: 'Seats held at asOf, by constituency',
        value: sum(Object.values(byConstituency)),
        unit: 'count',
        breakdown: sorted(byConstituency),
        query: links.report('/v1/governance'),
        evidence: { auditQuery: seatsAudit, positions: null },
      },
      {
        key: 'layPeopleSeated',
        label: 'Different lay partners holding a seat at asOf',
        value: layPeople.size,
        unit: 'count',
        query: links.report('/v1/governance'),
        evidence: { auditQuery: seatsAudit, positions: null },
      },
      {
        key: 'laySeatsByBorough',
        label: 'Lay seats filled at asOf in borough-level groups, by borough',
        value: sum(Object.values(byBorough)),
        unit: 'count',
        breakdown: sorted(byBorough),
        query: links.report('/v1/reports/representation'),
        evidence: {
          auditQuery: links.audit(['GroupEstablished', 'SeatAllocated', 'SeatVacated']),
          positions: null,
        },
      },
    ] satisfies Gripp2Figure[],
  };
}

/** 4c: the programme's timeline, from launch through recruitment to the groups that met. */
function stagesOfInvolvement(
  { programmes, reports }: Gripp2Sources,
  shared: Shared,
  at: TimePoint,
  scope: ProgrammeScope | null,
  links: Links,
) {
  const figures: Gripp2Figure[] = [];
  const programme = scope ? programmes.programme(scope.programmeId, at) : null;
  if (programme) {
    const query = links.report(
      `/v1/programmes/${encodeURIComponent(programme.programmeId)}`,
      false,
      false,
    );
    figures.push({
      key: 'launched',
      label: 'Programme launched',
      value: null,
      unit: 'date',
      at: programme.launchedAt,
      query,
      evidence: { auditQuery: links.audit(['ProgrammeLaunched']), positions: null },
    });
    for (const profile of programme.roleProfiles)
      figures.push({
        key: `roleProfilePublished:${profile.roleLevel}:${profile.publishedAt.slice(0, 10)}`,
        label: `Role profile published (${profile.roleLevel}): hours a month asked`,
        value: profile.hoursPerMonth,
        unit: 'hours',
        at: profile.publishedAt,
        query,
        evidence: { auditQuery: links.audit(['RoleProfilePublished']), positions: null },
      });
    for (const request of programme.nominationRequests)
      figures.push({
        key: `nominationsRequested:${request.campaign}`,
        label: `Nominations requested (${request.campaign}): organisations asked`,
        value: request.organisations.length,
        unit: 'count',
        at: request.requestedAt,
        query,
        evidence: { auditQuery: links.audit(['NominationsRequested']), positions: null },
      });
    programme.workshops.forEach((workshop, i) =>
      figures.push({
        key: `recruitmentWorkshop:${i + 1}`,
        label: `Recruitment workshop (${workshop.campaign}): attendees`,
        value: workshop.attendees,
        unit: 'count',
        at: workshop.heldAt,
        query,
        evidence: { auditQuery: links.audit(['RecruitmentWorkshopHeld']), positions: null },
      }),
    );
    for (const principles of programme.principles)
      figures.push({
        key: `principlesAdopted:v${principles.version}`,
        label: `Co-production principles adopted (version ${principles.version}): statements`,
        value: principles.statements.length,
        unit: 'count',
        at: principles.adoptedAt,
        query,
        evidence: { auditQuery: links.audit(['PrinciplesAdopted']), positions: null },
      });
  }
  const groups = shared.governance();
  const withLaySeats: Record<string, number> = {};
  for (const group of groups) if (group.laySeats.max > 0) bump(withLaySeats, group.kind);
  figures.push({
    key: 'groupsWithLaySeats',
    label: 'Groups with lay seats at asOf, by kind',
    value: sum(Object.values(withLaySeats)),
    unit: 'count',
    breakdown: sorted(withLaySeats),
    query: links.report('/v1/governance'),
    evidence: { auditQuery: links.audit(['GroupEstablished', 'GroupDissolved']), positions: null },
  });
  const participation = reports.participation(at, undefined, scope);
  const meetings: Record<string, number> = {};
  for (const group of participation.groups)
    if (group.meetingsHeld > 0) meetings[group.groupId] = group.meetingsHeld;
  figures.push({
    key: 'meetingsHeld',
    label: 'Meetings held by asOf, by group',
    value: sum(Object.values(meetings)),
    unit: 'count',
    breakdown: sorted(meetings),
    query: links.report('/v1/reports/participation'),
    evidence: { auditQuery: links.audit(['MeetingHeld']), positions: null },
  });
  return {
    basis:
      'The programme’s own timeline (launch, role profiles, nomination campaigns, recruitment workshops, principles adopted) from the programme record, then the groups with lay seats and the meetings they held, from governance and participation. Each stage is dated (business time).',
    figures,
  };
}

/** 4d: seats against minimums, co-chairs and their elections, role levels. */
function natureOfInvolvement(
  { elections }: Gripp2Sources,
  shared: Shared,
  at: TimePoint,
  links: Links,
) {
  const representation = shared.representation();
  const filledByKind: Record<string, number> = {};
  const minimumByKind: Record<string, number> = {};
  for (const group of representation.groups) {
    bump(filledByKind, group.kind, group.filled);
    bump(minimumByKind, group.kind, group.min);
  }
  const groups = shared.governance();
  const coChairs: Record<string, number> = {};
  for (const group of groups)
    for (const chair of group.coChairs) bump(coChairs, chair.constituency);
  // One figure per group that held elections: each answered by that group's elections route.
  const electionFigures: Gripp2Figure[] = [];
  const withElections = elections.groupsWithElections(at);
  for (const group of groups) {
    if (!withElections.has(group.groupId)) continue; // no election: no figure
    const outcomes: Record<string, number> = {};
    for (const election of elections.ofGroup(group.groupId, at))
      bump(outcomes, election.status === 'open' ? 'open' : (election.outcome ?? 'closed'));
    if (Object.keys(outcomes).length === 0) continue;
    electionFigures.push({
      key: `coChairElections:${group.groupId}`,
      label: `Co-chair elections opened by asOf on ${group.name}, by outcome`,
      value: sum(Object.values(outcomes)),
      unit: 'count',
      breakdown: sorted(outcomes),
      query: links.report(
        `/v1/groups/${encodeURIComponent(group.groupId)}/elections`,
        false,
        false,
      ),
      evidence: {
        auditQuery: links.audit(['CoChairElectionOpened', 'ElectionClosed']),
        positions: null,
      },
    });
  }
  const cost = shared.cost();
  const roleLevels: Record<string, number> = {};
  for (const row of cost.byRoleLevel) roleLevels[row.roleLevel ?? '(none)'] = row.partners;
  const representationQuery = links.report('/v1/reports/representation');
  return {
    basis:
      'Lay seats filled against each group’s minimum (representation report), co-chair roles held by constituency (governance), co-chair elections by outcome (each group’s elections), and partners by role level (involvement-cost report, for the period).',
    figures: [
      {
        key: 'laySeatsFilled',
        label: 'Lay seats filled at asOf, by kind of group',
        value: sum(Object.values(filledByKind)),
        unit: 'count',
        breakdown: sorted(filledByKind),
        query: representationQuery,
        evidence: {
          auditQuery: links.audit(['GroupEstablished', 'SeatAllocated', 'SeatVacated']),
          positions: null,
        },
      },
      {
        key: 'laySeatsMinimum',
        label: 'Lay seats required (the groups’ minimums), by kind of group',
        value: sum(Object.values(minimumByKind)),
        unit: 'count',
        breakdown: sorted(minimumByKind),
        query: representationQuery,
        evidence: { auditQuery: links.audit(['GroupEstablished']), positions: null },
      },
      {
        key: 'groupsBelowMinimum',
        label: 'Groups below their lay minimum at asOf',
        value: representation.belowMinimum.length,
        unit: 'count',
        query: representationQuery,
        evidence: {
          auditQuery: links.audit(['GroupEstablished', 'SeatAllocated', 'SeatVacated']),
          positions: null,
        },
      },
      {
        key: 'coChairsByConstituency',
        label: 'Co-chair roles held at asOf, by constituency',
        value: sum(Object.values(coChairs)),
        unit: 'count',
        breakdown: sorted(coChairs),
        query: links.report('/v1/governance'),
        evidence: {
          auditQuery: links.audit(['CoChairAppointed', 'CoChairElected', 'CoChairStoodDown']),
          positions: null,
        },
      },
      ...electionFigures,
      {
        key: 'partnersByRoleLevel',
        label: 'Partners active in the period, by role level',
        value: cost.totals.partners,
        unit: 'count',
        breakdown: sorted(roleLevels),
        query: links.report('/v1/reports/involvement-cost', true),
        evidence: {
          auditQuery: links.audit(['SeatAllocated', 'CoChairAppointed', 'CoChairElected'], true),
          positions: null,
        },
      },
    ] satisfies Gripp2Figure[],
  };
}

/** 5b: the influence ledger and the response clock: heard → responded → decided → reported back. */
function quantitativeImpact(
  { clock, influence }: Gripp2Sources,
  at: TimePoint,
  scope: ProgrammeScope | null,
  period: { from: string | null; to: string | null },
  links: Links,
) {
  const answer = clock.clockEvidence(at, scope, period);
  const { summary, items } = answer;
  const clockQuery = links.report('/v1/reports/response-clock', true);
  const evidence = (
    types: string[],
    pick: (e: (typeof items)[number]['evidence']) => Array<string | null>,
  ) => ({
    auditQuery: links.audit(types),
    positions: positions(items.flatMap((i) => pick(i.evidence))),
  });
  const byOutcome = Object.fromEntries(
    answer.byOutcome.filter((o) => o.heard > 0).map((o) => [o.outcome, o.heard]),
  );
  const list = influence.summaries(at, { programme: scope });
  const decisions = sum(list.byGroup.map((g) => g.decisionsCiting));
  const whole = period.from === null && period.to === null ? '' : ' (all feedback known at asOf)';
  return {
    basis:
      'Every item of feedback heard in the period, followed through its first response, the first decision citing it and reporting back (the response clock, against the programme’s targets); responses by outcome and decisions citing feedback from the influence ledger.',
    figures: [
      {
        key: 'heard',
        label: 'Feedback items heard, by latest response outcome',
        value: summary.heard,
        unit: 'count',
        breakdown: byOutcome,
        query: clockQuery,
        evidence: evidence(['FeedbackHeard'], (e) => [e.heard]),
      },
      {
        key: 'responded',
        label: 'Feedback items responded to',
        value: summary.responded,
        unit: 'count',
        query: clockQuery,
        evidence: evidence(['FeedbackResponded'], (e) => [e.firstResponse]),
      },
      {
        key: 'decided',
        label: 'Feedback items cited by a decision',
        value: summary.decided,
        unit: 'count',
        query: clockQuery,
        evidence: evidence(['DecisionRecorded'], (e) => [e.decision]),
      },
      {
        key: 'reportedBack',
        label: 'Feedback items reported back (loop closed)',
        value: summary.reportedBack,
        unit: 'count',
        query: clockQuery,
        evidence: evidence(['FeedbackReportedBack'], (e) => [e.reportedBack]),
      },
      {
        key: 'openPastTarget',
        label: 'Feedback items open past their target at asOf',
        value: summary.openPastTarget,
        unit: 'count',
        query: clockQuery,
        evidence: {
          auditQuery: links.audit(['FeedbackHeard', 'ResponseTargetsSet']),
          positions: positions(
            items
              .filter((i) => i.openPastTarget)
              .flatMap((i) => [i.evidence.heard, i.evidence.target]),
          ),
        },
      },
      {
        key: 'medianDaysToFirstResponse',
        label: 'Median days from heard to first response',
        value: summary.medianDays.firstResponse,
        unit: 'days',
        query: clockQuery,
        evidence: evidence(['FeedbackHeard', 'FeedbackResponded'], (e) =>
          e.firstResponse === null ? [] : [e.heard, e.firstResponse],
        ),
      },
      {
        key: 'medianDaysToReportBack',
        label: 'Median days from heard to reporting back',
        value: summary.medianDays.reportBack,
        unit: 'days',
        query: clockQuery,
        evidence: evidence(['FeedbackHeard', 'FeedbackReportedBack'], (e) =>
          e.reportedBack === null ? [] : [e.heard, e.reportedBack],
        ),
      },
      {
        key: 'reportBackWithinTarget',
        label: `Share reported back within target (of ${summary.reportBack.due} due)`,
        value: summary.reportBack.share,
        unit: 'share',
        query: clockQuery,
        evidence: evidence(['FeedbackReportedBack', 'ResponseTargetsSet'], (e) =>
          e.target === null ? [] : [e.reportedBack, e.target],
        ),
      },
      {
        key: 'responsesByOutcome',
        label: `Responses, by outcome${whole}`,
        value: sum(Object.values(list.counts.byOutcome)),
        unit: 'count',
        breakdown: sorted(list.counts.byOutcome),
        query: links.report('/v1/influence'),
        evidence: { auditQuery: links.audit(['FeedbackResponded']), positions: null },
      },
      {
        key: 'decisionsCitingFeedback',
        label: `Decisions citing feedback${whole}`,
        value: decisions,
        unit: 'count',
        query: links.report('/v1/influence'),
        evidence: { auditQuery: links.audit(['DecisionRecorded']), positions: null },
      },
    ] satisfies Gripp2Figure[],
  };
}

/** 6: hours given, expenses, involvement payments made and declined (the involvement-cost report). */
function economicAssessment(shared: Shared, links: Links) {
  const cost = shared.cost();
  const { totals } = cost;
  const query = links.report('/v1/reports/involvement-cost', true);
  const all = positions(cost.partners.flatMap((p) => p.evidence));
  // Positions are every event the report counted, so the query asks for all their types.
  const evidence = (_types: string[]) => ({
    auditQuery: links.audit(cost.evidenceTypes, true),
    positions: all,
  });
  const hoursByLevel: Record<string, number> = {};
  for (const row of cost.byRoleLevel) hoursByLevel[row.roleLevel ?? '(none)'] = row.hoursAttended;
  const figure = (
    key: keyof typeof totals,
    label: string,
    unit: Gripp2Unit,
    types: string[],
    breakdown?: Record<string, number>,
  ): Gripp2Figure => ({
    key,
    label,
    value: totals[key],
    unit,
    ...(breakdown ? { breakdown: sorted(breakdown) } : {}),
    query,
    evidence: evidence(types),
  });
  return {
    basis: `Time and money, from the involvement-cost report for the period: meetings attended and their hours (by role level), expenses claimed and reimbursed, involvement payments made and declined, in pence (${cost.currency}). Each figure's positions are every event the report counted.`,
    figures: [
      figure('partners', 'Partners with time or money recorded', 'count', cost.evidenceTypes),
      figure('meetingsAttended', 'Meetings attended', 'count', ['MeetingHeld']),
      figure(
        'hoursAttended',
        'Hours of meetings attended, by role level',
        'hours',
        ['MeetingHeld'],
        hoursByLevel,
      ),
      figure('expensesClaimedPence', 'Expenses claimed', 'pence', ['ExpenseClaimed']),
      figure('expensesReimbursedPence', 'Expenses reimbursed', 'pence', ['ExpenseReimbursed']),
      figure('paymentsMade', 'Involvement payments made', 'count', ['InvolvementPaymentRecorded']),
      figure('paymentsMadePence', 'Involvement payments made, amount', 'pence', [
        'InvolvementPaymentRecorded',
      ]),
      figure('paymentsDeclined', 'Involvement payments declined', 'count', [
        'InvolvementPaymentDeclined',
      ]),
      figure('paymentsDeclinedPence', 'Involvement payments declined, amount offered', 'pence', [
        'InvolvementPaymentDeclined',
      ]),
      {
        key: 'hoursPerPartnerStayedWithdrawn',
        label: 'Hours per partner: lay partners who stayed, and who withdrew',
        value: cost.withdrawals.stayed.hoursPerPartner,
        unit: 'hours',
        breakdown: {
          stayed: cost.withdrawals.stayed.hoursPerPartner,
          withdrawn: cost.withdrawals.withdrawn.hoursPerPartner,
        },
        query,
        evidence: evidence(['MeetingHeld', 'PartnerWithdrew']),
      },
    ] satisfies Gripp2Figure[],
  };
}
