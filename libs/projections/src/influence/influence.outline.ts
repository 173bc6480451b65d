import type { TimePoint } from '../governance/governance.queries.js';

export type InfluenceStatus = 'open' | 'responded' | 'closed';

/** A row of `inf_feedback`. */
export interface FeedbackRow {
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

export type ResponseRow = Record<string, unknown> & { feedback_id: string };
export type DecisionRow = Record<string, unknown> & { cited_feedback_id: string };

/** What counts, summaries, filters and paging need of an item, without rendering it. */
export interface Outline {
  feedbackId: string;
  heardAt: string;
  channel: string;
  groupId: string | null;
  raisedBy: string | null;
  status: InfluenceStatus;
  responses: Array<{ outcome: string }>;
  decisions: Array<{ groupId: string; decisionId: string }>;
  daysToFirstResponse: number | null;
  daysToReportBack: number | null;
}

/** The time point that sees every fact: the one the kept "now" rows are folded at. */
export const EVERYTHING: TimePoint = { asOf: '9999-12-31T23:59:59.999Z', knownAt: 8.64e15 };

const DAY = 86_400_000;
export const days = (from: string, to: string) =>
  Math.round((Date.parse(to) - Date.parse(from)) / DAY);

/** The report-back date if known at the time point. */
export const reportedBackAt = (row: FeedbackRow, at: TimePoint): string | null =>
  row.reported_back_at !== null &&
  row.reported_back_at <= at.asOf &&
  (row.reported_recorded_at ?? Number.MAX_SAFE_INTEGER) <= at.knownAt
    ? row.reported_back_at
    : null;

/**
 * An item's outline at a time point, from its row and its responses and
 * cited decisions known then (in their order: responded, then decided). The
 * list folds every item with it for a past time point; the projection folds
 * one item with it at `EVERYTHING` whenever one of its facts arrives.
 */
export function outline(
  row: FeedbackRow,
  at: TimePoint,
  responseRows: readonly ResponseRow[],
  decisionRows: readonly DecisionRow[],
): Outline {
  const reported = reportedBackAt(row, at);
  const first = (responseRows[0]?.responded_at as string | undefined) ?? null;
  return {
    feedbackId: row.feedback_id,
    heardAt: row.heard_at,
    channel: row.channel,
    groupId: row.group_id,
    raisedBy: row.raised_by,
    status: reported ? 'closed' : responseRows.length > 0 ? 'responded' : 'open',
    responses: responseRows.map((r) => ({ outcome: r.outcome as string })),
    decisions: decisionRows.map((d) => ({
      groupId: d.group_id as string,
      decisionId: d.decision_id as string,
    })),
    daysToFirstResponse: first ? days(row.heard_at, first) : null,
    daysToReportBack: reported ? days(row.heard_at, reported) : null,
  };
}

/**
 * Whose an item is, for programme scope (`ProgrammeScope.holdsFeedback`):
 * its group's, else the raising partner's, else its own (a lone item, held
 * by the groups whose decisions cite it). Kept tallies are keyed by it.
 */
export const holderOf = (item: {
  feedbackId: string;
  groupId: string | null;
  raisedBy: string | null;
}): string =>
  item.groupId !== null
    ? `g:${item.groupId}`
    : item.raisedBy !== null
      ? `p:${item.raisedBy}`
      : `f:${item.feedbackId}`;

/** Adopted or adapted at least once (a partner's summary counts these). */
export const adoptedOrAdapted = (item: Outline): boolean =>
  item.responses.some((r) => r.outcome === 'adopted' || r.outcome === 'adapted');
