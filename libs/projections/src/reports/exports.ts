import type { ResponseClockQueries } from '../clock/response-clock.queries.js';
import type { GovernanceQueries, TenureView, TimePoint } from '../governance/governance.queries.js';
import type { InfluenceQueries } from '../influence/influence.queries.js';
import type { PersonNames } from '../partners/person-names.js';
import type { ProgrammeScope } from './programme-scope.js';
import type { ReportQueries } from './reports.queries.js';

export const EXPORTS = [
  'tenures',
  'influence',
  'funnel',
  'participation',
  'representation',
  'response-clock',
] as const;
export type ExportName = (typeof EXPORTS)[number];
/** Every file `GET /v1/exports/:name` serves: each export as CSV and as NDJSON. */
export const EXPORT_FILES: readonly string[] = EXPORTS.flatMap((name) => [
  `${name}.csv`,
  `${name}.ndjson`,
]);
export type ExportRows = Array<Record<string, unknown>>;

/** The columns of each CSV export, in order (NDJSON rows carry every field). */
export const EXPORT_COLUMNS: Record<ExportName, readonly string[]> = {
  tenures: [
    'groupId',
    'seatId',
    'role',
    'partnerId',
    'partnerName',
    'constituency',
    'from',
    'to',
    'endReason',
    'electionId',
  ],
  influence: [
    'feedbackId',
    'channel',
    'kind',
    'summary',
    'groupId',
    'raisedBy',
    'heardAt',
    'status',
    'outcomes',
    'decisions',
    'reportedBackAt',
    'daysToFirstResponse',
    'daysToReportBack',
  ],
  funnel: [
    'campaign',
    'organisationKind',
    'nominated',
    'attendedWorkshop',
    'expressedInterest',
    'appointed',
    'active',
    'withdrawalReasons',
  ],
  participation: [
    'partnerId',
    'partnerName',
    'attended',
    'apologies',
    'missed',
    'hours',
    'hoursByMonth',
  ],
  representation: ['groupId', 'name', 'min', 'max', 'condition', 'from', 'until', 'dissolvedAt'],
  'response-clock': [
    'feedbackId',
    'source',
    'outcome',
    'groupId',
    'heardAt',
    'firstResponseAt',
    'decidedAt',
    'decisionId',
    'reportedBackAt',
    'daysToFirstResponse',
    'daysToDecision',
    'daysToReportBack',
    'openFor',
    'firstResponseTargetDays',
    'reportBackTargetDays',
    'firstResponseWithinTarget',
    'reportBackWithinTarget',
    'openPastTarget',
    'heardPosition',
    'firstResponsePosition',
    'decisionPosition',
    'reportedBackPosition',
    'targetPosition',
  ],
};

/** A time point from an export's arguments: a bare `knownAt` means "every business date". */
const pointOf = (at: number | TimePoint): TimePoint =>
  typeof at === 'number' ? { asOf: '9999-12-31T23:59:59.999Z', knownAt: at } : at;

/**
 * Tenures as they stood at `asOf`, as known at `knownAt`: begun by then, and
 * ended only if they had ended by then. Names through the reader's `names`.
 */
function tenuresAt(
  governance: GovernanceQueries,
  at: TimePoint,
  names: PersonNames | undefined,
  scope?: ProgrammeScope | null,
): TenureView[] {
  return governance
    .allTenures(at.knownAt)
    .filter((t) => t.from <= at.asOf && (!scope || scope.hasGroup(t.groupId)))
    .map((t) => {
      const ended = t.to !== null && t.to <= at.asOf;
      return {
        ...t,
        partnerName: names ? names.displayName(t.partnerId) : t.partnerName,
        to: ended ? t.to : null,
        endReason: ended ? t.endReason : null,
        endRecordedAt: ended ? t.endRecordedAt : null,
      };
    });
}

/** The rows of an export: one function for the API and the CLI. */
export function exportRows(
  what: ExportName,
  queries: {
    governance: GovernanceQueries;
    influence: InfluenceQueries;
    reports: ReportQueries;
    clock: ResponseClockQueries;
  },
  at: TimePoint,
  names?: PersonNames,
  /** One programme's rows; `null` or absent: every row (a ledger without programmes). */
  scope?: ProgrammeScope | null,
): ExportRows {
  switch (what) {
    case 'tenures':
      return tenuresAt(queries.governance, at, names, scope) as unknown as ExportRows;
    case 'influence':
      return queries.influence.list(at, { programme: scope }, names).items.map((item) => ({
        ...item,
        outcomes: item.responses.map((r) => r.outcome).join(';'),
        decisions: item.decisions.map((d) => `${d.groupId}/${d.decisionId}`).join(';'),
      }));
    case 'funnel':
      return queries.reports.recruitmentFunnel(at, 'campaign', scope).map((row) => ({
        campaign: row.campaign,
        organisationKind: row.organisationKind,
        ...Object.fromEntries(row.stages.map((s) => [s.stage, s.count])),
        appointedByBody: row.appointedByBody,
        withdrawalReasons: row.withdrawalReasons,
      }));
    case 'participation':
      return queries.reports.participation(at, names, scope).partners as unknown as ExportRows;
    case 'representation':
      // One row per period below the lay minimum or over the maximum; `until` empty: still so at asOf.
      return queries.reports.representationPeriods(at, scope).flatMap((g) =>
        (
          [
            ['below-minimum', g.belowMinimum],
            ['over-maximum', g.overMaximum],
          ] as const
        ).flatMap(([condition, periods]) =>
          periods.map((p) => ({
            groupId: g.groupId,
            name: g.name,
            min: g.min,
            max: g.max,
            condition,
            from: p.from,
            until: p.until,
            dissolvedAt: g.dissolvedAt,
          })),
        ),
      );
    case 'response-clock':
      // One row per piece of feedback (every period): its clock, flattened, with the positions behind it.
      return queries.clock.clock(at, scope ?? null).items.map((item) => ({
        feedbackId: item.feedbackId,
        source: item.source,
        outcome: item.outcome,
        groupId: item.groupId,
        heardAt: item.heardAt,
        firstResponseAt: item.firstResponseAt,
        decidedAt: item.decidedAt,
        decisionId: item.decisionId,
        reportedBackAt: item.reportedBackAt,
        daysToFirstResponse: item.days.toFirstResponse,
        daysToDecision: item.days.toDecision,
        daysToReportBack: item.days.toReportBack,
        openFor: item.days.openFor,
        firstResponseTargetDays: item.target?.firstResponseDays ?? null,
        reportBackTargetDays: item.target?.reportBackDays ?? null,
        firstResponseWithinTarget: item.withinTarget.firstResponse,
        reportBackWithinTarget: item.withinTarget.reportBack,
        openPastTarget: item.openPastTarget,
        heardPosition: item.evidence.heard,
        firstResponsePosition: item.evidence.firstResponse,
        decisionPosition: item.evidence.decision,
        reportedBackPosition: item.evidence.reportedBack,
        targetPosition: item.evidence.target,
      }));
  }
}

/**
 * Memberships as Popolo JSON (https://www.popoloproject.com/specs/membership.html):
 * `persons`, `organizations` (groups, with `parent_id`) and `memberships`
 * (`role` member or co-chair, `label` the constituency, start and end
 * dates). `at` is a time point, or a bare `knownAt` (ms) for every tenure.
 */
export function popoloMemberships(
  governance: GovernanceQueries,
  at: number | TimePoint,
  names?: PersonNames,
  scope?: ProgrammeScope | null,
) {
  const point = pointOf(at);
  const tenures = tenuresAt(governance, point, names, scope);
  const persons = new Map<string, string>();
  for (const t of tenures) persons.set(t.partnerId, t.partnerName ?? t.partnerId);
  const groups = governance.governance(point, scope);
  const listed = new Set(groups.map((g) => g.groupId));
  const groupName = governance.names().group;
  // Groups dissolved by then are no longer in the structure, but their memberships are history.
  const gone = [...new Set(tenures.map((t) => t.groupId))].filter((id) => !listed.has(id));
  return {
    persons: [...persons.entries()].map(([id, name]) => ({ id, name, partnerId: id })),
    organizations: [
      ...groups.map((g) => ({
        id: g.groupId,
        name: g.name,
        classification: g.kind,
        parent_id: g.parentGroupId,
      })),
      ...gone.map((id) => ({ id, name: groupName(id), classification: null, parent_id: null })),
    ],
    memberships: tenures.map((t) => ({
      person_id: t.partnerId,
      organization_id: t.groupId,
      role: t.role === 'co-chair' ? 'co-chair' : 'member',
      label: t.constituency,
      start_date: t.from.slice(0, 10),
      ...(t.to ? { end_date: t.to.slice(0, 10) } : {}),
    })),
  };
}
