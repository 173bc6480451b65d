import type Database from 'better-sqlite3';
import type { TimePoint } from '../governance/governance.queries.js';
import { StoredPersonNames, type PersonNames } from '../partners/person-names.js';
import { InvalidReadError } from '../core/read-errors.js';
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
  /** One page of the items (`limit` from `cursor`); counts and summaries cover every item. */
  items: InfluenceItem[];
  /** The cursor of the next page; null on the last. */
  next: string | null;
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

/** A page of the influence list: at most `limit` items after `cursor` (a previous page's `next`). */
export interface InfluencePage {
  limit: number;
  cursor?: string | null;
}

/** Items a page when the reader names no limit, and at most. */
export const INFLUENCE_PAGE = { default: 500, max: 5_000 } as const;

/** The opaque cursor of the item a page ends with (its place in heard order). */
const cursorOf = (item: { heardAt: string; feedbackId: string }): string =>
  Buffer.from(JSON.stringify([item.heardAt, item.feedbackId])).toString('base64url');

function parseCursor(cursor: string): [string, string] {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      typeof value[0] === 'string' &&
      typeof value[1] === 'string'
    )
      return [value[0], value[1]];
  } catch {
    // not JSON: refused below
  }
  throw new InvalidReadError('invalid_cursor', 'cursor must be the next of a previous page', {
    parameter: 'cursor',
  });
}

/** What counts, summaries, filters and paging need of an item, without rendering it. */
interface Outline {
  row: FeedbackRow;
  responseRows: readonly ResponseRow[];
  decisionRows: readonly DecisionRow[];
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

/** The report-back date if known at the time point. */
const reportedBackAt = (row: FeedbackRow, at: TimePoint): string | null =>
  row.reported_back_at !== null &&
  row.reported_back_at <= at.asOf &&
  (row.reported_recorded_at ?? Number.MAX_SAFE_INTEGER) <= at.knownAt
    ? row.reported_back_at
    : null;

function outline(
  row: FeedbackRow,
  at: TimePoint,
  responseRows: readonly ResponseRow[],
  decisionRows: readonly DecisionRow[],
): Outline {
  const reported = reportedBackAt(row, at);
  const first = (responseRows[0]?.responded_at as string | undefined) ?? null;
  return {
    row,
    responseRows,
    decisionRows,
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

/** Each name looked up once per answer (a list names the same people and groups again and again). */
function memo(lookup: (id: string) => string): (id: string) => string {
  const seen = new Map<string, string>();
  return (id) => {
    let value = seen.get(id);
    if (value === undefined) {
      value = lookup(id);
      seen.set(id, value);
    }
    return value;
  };
}

type ResponseRow = Record<string, unknown> & { feedback_id: string };
type DecisionRow = Record<string, unknown> & { cited_feedback_id: string };

/** Rows grouped by a key, keeping their order. */
function groupBy<T>(rows: readonly T[], key: (row: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const row of rows) {
    const k = key(row);
    const list = out.get(k);
    if (list) list.push(row);
    else out.set(k, [row]);
  }
  return out;
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
    responses: Database.Statement<[TimePoint & { id: string }], ResponseRow>;
    decisions: Database.Statement<[TimePoint & { id: string }], DecisionRow>;
    allResponses: Database.Statement<[TimePoint], ResponseRow>;
    allDecisions: Database.Statement<[TimePoint], DecisionRow>;
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
      decisions: db.prepare(`SELECT c.feedback_id AS cited_feedback_id, d.*
        FROM inf_citations c JOIN inf_decisions d
        ON d.group_id = c.group_id AND d.decision_id = c.decision_id
        WHERE c.feedback_id = @id AND d.decided_at <= @asOf AND d.recorded_at <= @knownAt
        ORDER BY d.decided_at, c.group_id, c.decision_id`),
      // The list's responses and decisions in one query each, not one per item.
      allResponses: db.prepare(`SELECT * FROM inf_responses
        WHERE responded_at <= @asOf AND recorded_at <= @knownAt
        ORDER BY feedback_id, responded_at, response_id`),
      allDecisions: db.prepare(`SELECT c.feedback_id AS cited_feedback_id, d.*
        FROM inf_citations c JOIN inf_decisions d
        ON d.group_id = c.group_id AND d.decision_id = c.decision_id
        WHERE d.decided_at <= @asOf AND d.recorded_at <= @knownAt
        ORDER BY c.feedback_id, d.decided_at, c.group_id, c.decision_id`),
      groupName: db.prepare('SELECT name FROM gov_groups WHERE group_id = ?'),
    };
  }

  list(
    at: TimePoint,
    filter: InfluenceFilter = {},
    names: PersonNames = this.names,
    page: InfluencePage = { limit: Number.POSITIVE_INFINITY },
  ): InfluenceList {
    const after = page.cursor ? parseCursor(page.cursor) : null;
    const responses = groupBy(this.stmt.allResponses.all(at), (r) => r.feedback_id);
    const decisions = groupBy(this.stmt.allDecisions.all(at), (d) => d.cited_feedback_id);
    const lookup = { person: memo((id) => names.displayName(id)), group: memo(this.groupNameOf) };
    const none: never[] = [];
    // Every item's outline (what counts and summaries need); whole items for the page only.
    const items = this.stmt.feedback
      .all(at)
      .map((row) =>
        outline(
          row,
          at,
          responses.get(row.feedback_id) ?? none,
          decisions.get(row.feedback_id) ?? none,
        ),
      )
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
    // Items come in (heardAt, feedbackId) order: a page starts past the cursor's item.
    const from = after
      ? shown.findIndex(
          (i) => i.heardAt > after[0] || (i.heardAt === after[0] && i.feedbackId > after[1]),
        )
      : 0;
    const rest = from < 0 ? [] : shown.slice(from);
    const pageItems = rest.slice(0, page.limit);
    return {
      items: pageItems.map((o) => this.item(o.row, at, lookup, o.responseRows, o.decisionRows)),
      next: rest.length > page.limit ? cursorOf(pageItems[pageItems.length - 1]!) : null,
      counts,
      byGroup: this.byGroup(shown, lookup.group),
      byPartner: byPartner(shown, lookup.person),
    };
  }

  /** Per group: what was heard there and what became of it; decisions of the group citing feedback. */
  private byGroup(
    items: readonly Outline[],
    groupName: (id: string) => string,
  ): InfluenceGroupSummary[] {
    const groups = new Map<string, Outline[]>();
    const citing = new Map<string, Set<string>>();
    for (const item of items) {
      if (item.groupId !== null) {
        const heard = groups.get(item.groupId);
        if (heard) heard.push(item);
        else groups.set(item.groupId, [item]);
      }
      for (const d of item.decisions) {
        if (!groups.has(d.groupId)) groups.set(d.groupId, []);
        citing.set(d.groupId, (citing.get(d.groupId) ?? new Set()).add(d.decisionId));
      }
    }
    return [...groups.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([groupId, heard]) => ({
        groupId,
        groupName: groupName(groupId),
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
    if (!row) return null;
    const one = { ...at, id: feedbackId };
    return this.item(
      row,
      at,
      { person: (id) => names.displayName(id), group: this.groupNameOf },
      this.stmt.responses.all(one),
      this.stmt.decisions.all(one),
    );
  }

  private readonly groupNameOf = (groupId: string): string =>
    this.stmt.groupName.get(groupId)?.name ?? groupId;

  private item(
    row: FeedbackRow,
    at: TimePoint,
    names: { person(id: string): string; group(id: string): string },
    responseRows: readonly ResponseRow[],
    decisionRows: readonly DecisionRow[],
  ): InfluenceItem {
    const responses = responseRows.map((r) => ({
      responseId: r.response_id as string,
      outcome: r.outcome as string,
      rationale: (r.rationale as string | null) ?? null,
      decisionId: (r.decision_id as string | null) ?? null,
      respondedBy: r.responded_by as string,
      respondedAt: r.responded_at as string,
      recordedAt: new Date(r.recorded_at as number).toISOString(),
    }));
    const decisions = decisionRows.map((d) => {
      const present = JSON.parse(d.lay_members_present as string) as string[];
      return {
        groupId: d.group_id as string,
        groupName: names.group(d.group_id as string),
        decisionId: d.decision_id as string,
        summary: d.summary as string,
        layMembersPresent: present,
        layMembers: present.map((partnerId) => ({ partnerId, name: names.person(partnerId) })),
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
      groupName: row.group_id === null ? null : names.group(row.group_id),
      raisedBy: row.raised_by,
      raisedByPerson:
        row.raised_by === null
          ? null
          : { partnerId: row.raised_by, name: names.person(row.raised_by) },
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

function byPartner(
  items: readonly Outline[],
  nameOf: (id: string) => string,
): InfluencePartnerSummary[] {
  const people = groupBy(
    items.filter((item) => item.raisedBy !== null),
    (item) => item.raisedBy!,
  );
  return [...people.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([partnerId, raised]) => ({
      partnerId,
      name: nameOf(partnerId),
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
