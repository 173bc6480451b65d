import type { GovernanceQueries, TimePoint } from '../governance/governance.queries.js';
import type { InfluenceQueries } from '../influence/influence.queries.js';
import type { ReportQueries } from './reports.queries.js';

export const EXPORTS = ['tenures', 'influence', 'funnel', 'participation'] as const;
export type ExportName = (typeof EXPORTS)[number];
export type ExportRows = Array<Record<string, unknown>>;

/** The columns of each CSV export, in order. */
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
  participation: ['partnerId', 'partnerName', 'attended', 'apologies', 'hoursByMonth'],
};

/** The rows of an export: one function for the API and the CLI. */
export function exportRows(
  what: ExportName,
  queries: { governance: GovernanceQueries; influence: InfluenceQueries; reports: ReportQueries },
  at: TimePoint,
): ExportRows {
  switch (what) {
    case 'tenures':
      return queries.governance.allTenures(at.knownAt) as unknown as ExportRows;
    case 'influence':
      return queries.influence.list(at).items.map((item) => ({
        ...item,
        outcomes: item.responses.map((r) => r.outcome).join(';'),
        decisions: item.decisions.map((d) => `${d.groupId}/${d.decisionId}`).join(';'),
      }));
    case 'funnel':
      return queries.reports.recruitmentFunnel(at).map((row) => ({
        campaign: row.campaign,
        organisationKind: row.organisationKind,
        ...Object.fromEntries(row.stages.map((s) => [s.stage, s.count])),
        withdrawalReasons: row.withdrawalReasons,
      }));
    case 'participation':
      return queries.reports.participation(at).partners as unknown as ExportRows;
  }
}

/** Memberships as Popolo JSON: persons, organizations (groups) and memberships with dates. */
export function popoloMemberships(governance: GovernanceQueries, knownAt: number) {
  const tenures = governance.allTenures(knownAt);
  const people = new Map(tenures.map((t) => [t.partnerId, t.partnerName]));
  return {
    persons: [...people.entries()].map(([id, name]) => ({ id, name: name ?? id, partnerId: id })),
    organizations: governance
      .governance({ asOf: '9999-12-31T23:59:59.999Z', knownAt })
      .map((g) => ({
        id: g.groupId,
        name: g.name,
        classification: g.kind,
        parent_id: g.parentGroupId,
      })),
    memberships: tenures.map((t) => ({
      person_id: t.partnerId,
      organization_id: t.groupId,
      role: t.role === 'co-chair' ? `co-chair (${t.constituency})` : 'member',
      label: t.constituency,
      start_date: t.from.slice(0, 10),
      ...(t.to ? { end_date: t.to.slice(0, 10) } : {}),
    })),
  };
}
