import type Database from 'better-sqlite3';
import type { TimePoint } from '../governance/governance.queries.js';

export type InfluenceStatus = 'open' | 'responded' | 'closed';

export interface InfluenceItem {
  feedbackId: string;
  channel: string;
  kind: string;
  summary: string;
  groupId: string | null;
  raisedBy: string | null;
  heardAt: string;
  status: InfluenceStatus;
  responses: Array<{
    responseId: string;
    outcome: string;
    rationale: string | null;
    decisionId: string | null;
    respondedAt: string;
  }>;
  decisions: Array<{
    groupId: string;
    decisionId: string;
    summary: string;
    layMembersPresent: string[];
    touchstoneVersion: number | null;
    decidedAt: string;
  }>;
  reportedBackAt: string | null;
  reportedBackHow: string | null;
  daysToFirstResponse: number | null;
  daysToReportBack: number | null;
}

export interface InfluenceFilter {
  groupId?: string;
  partnerId?: string;
  status?: InfluenceStatus;
  channel?: string;
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
  reported_recorded_at: number | null;
}

const DAY = 86_400_000;
const days = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / DAY);

/** Each item's story as of `asOf` (business time), as the ledger knew it at `knownAt`. */
export class InfluenceQueries {
  private readonly stmt: {
    feedback: Database.Statement<[TimePoint], FeedbackRow>;
    one: Database.Statement<[TimePoint & { id: string }], FeedbackRow>;
    responses: Database.Statement<[TimePoint & { id: string }], Record<string, unknown>>;
    decisions: Database.Statement<[TimePoint & { id: string }], Record<string, unknown>>;
  };

  constructor(db: Database.Database) {
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
    };
  }

  list(
    at: TimePoint,
    filter: InfluenceFilter = {},
  ): { items: InfluenceItem[]; counts: Record<string, Record<string, number>> } {
    const items = this.stmt.feedback
      .all(at)
      .map((row) => this.item(row, at))
      .filter(
        (item) =>
          (filter.groupId === undefined ||
            item.groupId === filter.groupId ||
            item.decisions.some((d) => d.groupId === filter.groupId)) &&
          (filter.partnerId === undefined || item.raisedBy === filter.partnerId) &&
          (filter.channel === undefined || item.channel === filter.channel),
      );
    const counts = {
      byStatus: { open: 0, responded: 0, closed: 0 } as Record<string, number>,
      byOutcome: {} as Record<string, number>,
    };
    for (const item of items) {
      counts.byStatus[item.status] = (counts.byStatus[item.status] ?? 0) + 1;
      for (const response of item.responses)
        counts.byOutcome[response.outcome] = (counts.byOutcome[response.outcome] ?? 0) + 1;
    }
    return {
      items: filter.status ? items.filter((i) => i.status === filter.status) : items,
      counts,
    };
  }

  get(feedbackId: string, at: TimePoint): InfluenceItem | null {
    const row = this.stmt.one.get({ ...at, id: feedbackId });
    return row ? this.item(row, at) : null;
  }

  private item(row: FeedbackRow, at: TimePoint): InfluenceItem {
    const responses = this.stmt.responses.all({ ...at, id: row.feedback_id }).map((r) => ({
      responseId: r.response_id as string,
      outcome: r.outcome as string,
      rationale: (r.rationale as string | null) ?? null,
      decisionId: (r.decision_id as string | null) ?? null,
      respondedAt: r.responded_at as string,
    }));
    const decisions = this.stmt.decisions.all({ ...at, id: row.feedback_id }).map((d) => ({
      groupId: d.group_id as string,
      decisionId: d.decision_id as string,
      summary: d.summary as string,
      layMembersPresent: JSON.parse(d.lay_members_present as string) as string[],
      touchstoneVersion: (d.touchstone_version as number | null) ?? null,
      decidedAt: d.decided_at as string,
    }));
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
      raisedBy: row.raised_by,
      heardAt: row.heard_at,
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
