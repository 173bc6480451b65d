import type Database from 'better-sqlite3';
import type { TimePoint } from '../governance/governance.queries.js';
import { StoredPersonNames, type PersonNames } from '../partners/person-names.js';
import type { ProgrammeScope } from '../reports/programme-scope.js';

export type InfluenceStatus = 'open' | 'responded' | 'closed';

export interface InfluenceItem {
  feedbackId: string;
  channel: string;
  kind: string;
  summary: string;
  groupId: string | null;
  groupName: string | null;
  raisedBy: string | null;
  /** The person who raised it, rendered for the reader (null when anonymous). */
  raisedByPerson: { partnerId: string; name: string } | null;
  heardAt: string;
  recordedAt: string;
  status: InfluenceStatus;
  responses: Array<{
    responseId: string;
    outcome: string;
    rationale: string | null;
    decisionId: string | null;
    respondedBy: string;
    respondedAt: string;
    recordedAt: string;
  }>;
  decisions: Array<{
    groupId: string;
    groupName: string;
    decisionId: string;
    summary: string;
    layMembersPresent: string[];
    layMembers: Array<{ partnerId: string; name: string }>;
    touchstoneVersion: number | null;
    decidedAt: string;
    recordedAt: string;
  }>;
  reportedBackAt: string | null;
  reportedBackHow: string | null;
  daysToFirstResponse: number | null;
  daysToReportBack: number | null;
}

export interface InfluenceGroupSummary {
  groupId: string;
  groupName: string;
  heard: number;
  open: number;
  responded: number;
  closed: number;
  /** Decisions of this group citing feedback (heard anywhere). */
  decisionsCiting: number;
  averageDaysToFirstResponse: number | null;
  averageDaysToReportBack: number | null;
}

export interface InfluencePartnerSummary {
  partnerId: string;
  name: string;
  raised: number;
  open: number;
  responded: number;
  closed: number;
  /** Items of theirs adopted or adapted at least once. */
  adoptedOrAdapted: number;
  /** Items of theirs cited by at least one decision. */
  citedInDecisions: number;
}

export interface InfluenceList {
  items: InfluenceItem[];
  counts: { byStatus: Record<InfluenceStatus, number>; byOutcome: Record<string, number> };
  byGroup: InfluenceGroupSummary[];
  byPartner: InfluencePartnerSummary[];
}

export interface InfluenceFilter {
  groupId?: string;
  partnerId?: string;
  status?: InfluenceStatus;
  channel?: string;
  /** One programme's feedback (see `ProgrammeScope.holdsFeedback`). */
  programme?: ProgrammeScope | null;
}

interface FeedbackRow {
  feedback_id: string;
  channel: string;
  kind: string;
  summary: string;
  group_id: string | null;
  raised_by: string | null;
  heard_at: string;
  reported_back_at: string | null;
  reported_back_how: string | null;
  heard_recorded_at: number;
  reported_recorded_at: number | null;
}

const DAY = 86_400_000;
const days = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / DAY);
const average = (values: Array<number | null>): number | null => {
  const known = values.filter((v): v is number => v !== null);
  return known.length === 0
    ? null
    : Math.round((known.reduce((a, b) => a + b, 0) / known.length) * 10) / 10;
};

/** Each item's story as of `asOf` (business time), as the ledger knew it at `knownAt`. */
export class InfluenceQueries {
  private readonly stmt: {
    feedback: Database.Statement<[TimePoint], FeedbackRow>;
    one: Database.Statement<[TimePoint & { id: string }], FeedbackRow>;
    responses: Database.Statement<[TimePoint & { id: string }], Record<string, unknown>>;
    decisions: Database.Statement<[TimePoint & { id: string }], Record<string, unknown>>;
    groupName: Database.Statement<[string], { name: string }>;
  };
  private readonly names: PersonNames;

  constructor(db: Database.Database, names?: PersonNames) {
    this.names = names ?? new StoredPersonNames(db);
    const known = `heard_at <= @asOf AND heard_recorded_at <= @knownAt`;
    this.stmt = {
      feedback: db.prepare(
        `SELECT * FROM inf_feedback WHERE ${known} ORDER BY heard_at, feedback_id`,
      ),
      one: db.prepare(`SELECT * FROM inf_feedback WHERE feedback_id = @id AND ${known}`),
      responses: db.prepare(`SELECT * FROM inf_responses WHERE feedback_id = @id
        AND responded_at <= @asOf AND recorded_at <= @knownAt ORDER BY responded_at, response_id`),
      decisions: db.prepare(`SELECT d.* FROM inf_citations c JOIN inf_decisions d
        ON d.group_id = c.group_id AND d.decision_id = c.decision_id
        WHERE c.feedback_id = @id AND d.decided_at <= @asOf AND d.recorded_at <= @knownAt
        ORDER BY d.decided_at`),
      groupName: db.prepare('SELECT name FROM gov_groups WHERE group_id = ?'),
    };
  }

  list(
    at: TimePoint,
    filter: InfluenceFilter = {},
    names: PersonNames = this.names,
  ): InfluenceList {
    const items = this.stmt.feedback
      .all(at)
      .map((row) => this.item(row, at, names))
      .filter(
        (item) =>
          (filter.groupId === undefined ||
            item.groupId === filter.groupId ||
            item.decisions.some((d) => d.groupId === filter.groupId)) &&
          (filter.partnerId === undefined || item.raisedBy === filter.partnerId) &&
          (filter.channel === undefined || item.channel === filter.channel) &&
          (!filter.programme || filter.programme.holdsFeedback(item)),
      );
    const counts: InfluenceList['counts'] = {
      byStatus: { open: 0, responded: 0, closed: 0 },
      byOutcome: {},
    };
    for (const item of items) {
      counts.byStatus[item.status] += 1;
      for (const response of item.responses)
        counts.byOutcome[response.outcome] = (counts.byOutcome[response.outcome] ?? 0) + 1;
    }
    const shown = filter.status ? items.filter((i) => i.status === filter.status) : items;
    return {
      items: shown,
      counts,
      byGroup: this.byGroup(shown),
      byPartner: byPartner(shown, names),
    };
  }

  /** Per group: what was heard there and what became of it; decisions of the group citing feedback. */
  private byGroup(items: InfluenceItem[]): InfluenceGroupSummary[] {
    const groups = new Map<string, InfluenceItem[]>();
    const citing = new Map<string, Set<string>>();
    for (const item of items) {
      if (item.groupId !== null)
        groups.set(item.groupId, [...(groups.get(item.groupId) ?? []), item]);
      for (const d of item.decisions) {
        if (!groups.has(d.groupId)) groups.set(d.groupId, []);
        citing.set(d.groupId, (citing.get(d.groupId) ?? new Set()).add(d.decisionId));
      }
    }
    return [...groups.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([groupId, heard]) => ({
        groupId,
        groupName: this.stmt.groupName.get(groupId)?.name ?? groupId,
        heard: heard.length,
        open: heard.filter((i) => i.status === 'open').length,
        responded: heard.filter((i) => i.status === 'responded').length,
        closed: heard.filter((i) => i.status === 'closed').length,
        decisionsCiting: citing.get(groupId)?.size ?? 0,
        averageDaysToFirstResponse: average(heard.map((i) => i.daysToFirstResponse)),
        averageDaysToReportBack: average(heard.map((i) => i.daysToReportBack)),
      }));
  }

  get(feedbackId: string, at: TimePoint, names: PersonNames = this.names): InfluenceItem | null {
    const row = this.stmt.one.get({ ...at, id: feedbackId });
    return row ? this.item(row, at, names) : null;
  }

  private groupNameOf(groupId: string): string {
    return this.stmt.groupName.get(groupId)?.name ?? groupId;
  }

  private item(row: FeedbackRow, at: TimePoint, names: PersonNames): InfluenceItem {
    const responses = this.stmt.responses.all({ ...at, id: row.feedback_id }).map((r) => ({
      responseId: r.response_id as string,
      outcome: r.outcome as string,
      rationale: (r.rationale as string | null) ?? null,
      decisionId: (r.decision_id as string | null) ?? null,
      respondedBy: r.responded_by as string,
      respondedAt: r.responded_at as string,
      recordedAt: new Date(r.recorded_at as number).toISOString(),
    }));
    const decisions = this.stmt.decisions.all({ ...at, id: row.feedback_id }).map((d) => {
      const present = JSON.parse(d.lay_members_present as string) as string[];
      return {
        groupId: d.group_id as string,
        groupName: this.groupNameOf(d.group_id as string),
        decisionId: d.decision_id as string,
        summary: d.summary as string,
        layMembersPresent: present,
        layMembers: present.map((partnerId) => ({ partnerId, name: names.displayName(partnerId) })),
        touchstoneVersion: (d.touchstone_version as number | null) ?? null,
        decidedAt: d.decided_at as string,
        recordedAt: new Date(d.recorded_at as number).toISOString(),
      };
    });
    const reportedKnown =
      row.reported_back_at !== null &&
      row.reported_back_at <= at.asOf &&
      (row.reported_recorded_at ?? Number.MAX_SAFE_INTEGER) <= at.knownAt;
    const reportedBackAt = reportedKnown ? row.reported_back_at : null;
    const first = responses[0]?.respondedAt ?? null;
    return {
      feedbackId: row.feedback_id,
      channel: row.channel,
      kind: row.kind,
      summary: row.summary,
      groupId: row.group_id,
      groupName: row.group_id === null ? null : this.groupNameOf(row.group_id),
      raisedBy: row.raised_by,
      raisedByPerson:
        row.raised_by === null
          ? null
          : { partnerId: row.raised_by, name: names.displayName(row.raised_by) },
      heardAt: row.heard_at,
      recordedAt: new Date(row.heard_recorded_at).toISOString(),
      status: reportedBackAt ? 'closed' : responses.length > 0 ? 'responded' : 'open',
      responses,
      decisions,
      reportedBackAt,
      reportedBackHow: reportedKnown ? row.reported_back_how : null,
      daysToFirstResponse: first ? days(row.heard_at, first) : null,
      daysToReportBack: reportedBackAt ? days(row.heard_at, reportedBackAt) : null,
    };
  }
}

function byPartner(items: InfluenceItem[], names: PersonNames): InfluencePartnerSummary[] {
  const people = new Map<string, InfluenceItem[]>();
  for (const item of items)
    if (item.raisedBy !== null)
      people.set(item.raisedBy, [...(people.get(item.raisedBy) ?? []), item]);
  return [...people.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([partnerId, raised]) => ({
      partnerId,
      name: names.displayName(partnerId),
      raised: raised.length,
      open: raised.filter((i) => i.status === 'open').length,
      responded: raised.filter((i) => i.status === 'responded').length,
      closed: raised.filter((i) => i.status === 'closed').length,
      adoptedOrAdapted: raised.filter((i) =>
        i.responses.some((r) => r.outcome === 'adopted' || r.outcome === 'adapted'),
      ).length,
      citedInDecisions: raised.filter((i) => i.decisions.length > 0).length,
    }));
}
