import type Database from 'better-sqlite3';
import type { TimePoint } from '../governance/governance.queries.js';
import { StoredPersonNames, type PersonNames } from '../partners/person-names.js';
import { InvalidReadError } from '../core/read-errors.js';
import type { ProgrammeScope } from '../reports/programme-scope.js';
import {
  adoptedOrAdapted,
  days,
  outline,
  type DecisionRow,
  type FeedbackRow,
  type InfluenceStatus,
  type Outline,
  type ResponseRow,
} from './influence.outline.js';
import { DECISIONS_OF, outlineOf, RESPONSES_OF, type KeptItem } from './influence.projection.js';

export type { InfluenceStatus };

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

const average = (values: Array<number | null>): number | null => {
  const known = values.filter((v): v is number => v !== null);
  return known.length === 0
    ? null
    : Math.round((known.reduce((a, b) => a + b, 0) / known.length) * 10) / 10;
};

/** Rounded to a tenth, as `average` does: a kept sum and count give the same figure. */
const averageOf = (sum: number, count: number): number | null =>
  count === 0 ? null : Math.round((sum / count) * 10) / 10;

/** The byOutcome counts with their keys in one order, whichever way they were counted. */
const sortedKeys = (counts: Record<string, number>): Record<string, number> =>
  Object.fromEntries(Object.entries(counts).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

type Lookup = { person(id: string): string; group(id: string): string };

interface TallyRow {
  holder: string;
  status: InfluenceStatus;
  n: number;
  first_n: number;
  first_sum: number;
  report_n: number;
  report_sum: number;
}
interface PartnerTallyRow {
  raised_by: string;
  status: InfluenceStatus;
  n: number;
  adopted: number;
  cited: number;
}

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
    horizon: Database.Statement<[], { occurred_max: string; recorded_max: number }>;
    pageIds: Database.Statement<
      [{ status: string | null; holders: string | null; h: string; f: string; n: number }],
      { feedback_id: string }
    >;
    pageFeedback: Database.Statement<[{ ids: string }], FeedbackRow>;
    pageResponses: Database.Statement<[TimePoint & { ids: string }], ResponseRow>;
    pageDecisions: Database.Statement<[TimePoint & { ids: string }], DecisionRow>;
    keptOf: Database.Statement<[string], KeptItem>;
    keptByPartner: Database.Statement<[string], KeptItem>;
    keptByGroup: Database.Statement<[{ g: string }], KeptItem>;
    keptByChannel: Database.Statement<[string], KeptItem>;
    tally: Database.Statement<[], TallyRow>;
    outcomes: Database.Statement<[], { holder: string; outcome: string; n: number }>;
    citing: Database.Statement<
      [],
      { group_id: string; holder: string; status: InfluenceStatus; n: number }
    >;
    spread: Database.Statement<[], { group_id: string; keys: string }>;
    partnersAll: Database.Statement<[], PartnerTallyRow>;
    partnersOf: Database.Statement<[string], PartnerTallyRow>;
  };
  private readonly names: PersonNames;

  constructor(db: Database.Database, names?: PersonNames) {
    this.names = names ?? new StoredPersonNames(db);
    const known = `heard_at <= @asOf AND heard_recorded_at <= @knownAt`;
    const inPage = `feedback_id IN (SELECT value FROM json_each(@ids))`;
    const cited = `SELECT c.feedback_id AS cited_feedback_id, d.*
        FROM inf_citations c JOIN inf_decisions d
        ON d.group_id = c.group_id AND d.decision_id = c.decision_id`;
    const kept = `SELECT * FROM inf_item WHERE`;
    const heardOrder = `ORDER BY heard_at, feedback_id`;
    this.stmt = {
      feedback: db.prepare(`SELECT * FROM inf_feedback WHERE ${known} ${heardOrder}`),
      one: db.prepare(`SELECT * FROM inf_feedback WHERE feedback_id = @id AND ${known}`),
      responses: db.prepare(RESPONSES_OF),
      decisions: db.prepare(DECISIONS_OF),
      // The list's responses and decisions in one query each, not one per item.
      allResponses: db.prepare(`SELECT * FROM inf_responses
        WHERE responded_at <= @asOf AND recorded_at <= @knownAt
        ORDER BY feedback_id, responded_at, response_id`),
      allDecisions: db.prepare(`${cited}
        WHERE d.decided_at <= @asOf AND d.recorded_at <= @knownAt
        ORDER BY c.feedback_id, d.decided_at, c.group_id, c.decision_id`),
      groupName: db.prepare('SELECT name FROM gov_groups WHERE group_id = ?'),
      horizon: db.prepare('SELECT occurred_max, recorded_max FROM inf_horizon WHERE id = 1'),
      // A page "now": the kept items in heard order after the cursor, by status and holder.
      pageIds: db.prepare(`SELECT feedback_id FROM inf_item
        WHERE (heard_at, feedback_id) > (@h, @f)
          AND (@status IS NULL OR status = @status)
          AND (@holders IS NULL OR holder IN (SELECT value FROM json_each(@holders)))
        ${heardOrder} LIMIT @n`),
      pageFeedback: db.prepare(`SELECT * FROM inf_feedback WHERE ${inPage}`),
      pageResponses: db.prepare(`SELECT * FROM inf_responses WHERE ${inPage}
        AND responded_at <= @asOf AND recorded_at <= @knownAt
        ORDER BY feedback_id, responded_at, response_id`),
      pageDecisions: db.prepare(`${cited} WHERE c.${inPage}
        AND d.decided_at <= @asOf AND d.recorded_at <= @knownAt
        ORDER BY c.feedback_id, d.decided_at, c.group_id, c.decision_id`),
      keptOf: db.prepare(`${kept} feedback_id = ?`),
      keptByPartner: db.prepare(`${kept} raised_by = ? ${heardOrder}`),
      keptByGroup: db.prepare(`${kept} group_id = @g
        OR feedback_id IN (SELECT feedback_id FROM inf_citations WHERE group_id = @g) ${heardOrder}`),
      keptByChannel: db.prepare(`${kept} channel = ? ${heardOrder}`),
      tally: db.prepare('SELECT * FROM inf_tally WHERE n <> 0'),
      outcomes: db.prepare('SELECT * FROM inf_tally_outcomes WHERE n <> 0'),
      citing: db.prepare('SELECT * FROM inf_citing WHERE n <> 0'),
      spread: db.prepare('SELECT group_id, keys FROM inf_decision_keys WHERE spread = 1'),
      partnersAll: db.prepare('SELECT * FROM inf_tally_partner_all WHERE n <> 0'),
      partnersOf: db.prepare(`SELECT raised_by, status, sum(n) AS n, sum(adopted) AS adopted,
          sum(cited) AS cited
        FROM inf_tally_partner WHERE holder IN (SELECT value FROM json_each(?))
        GROUP BY raised_by, status`),
    };
  }

  /**
   * The list at a time point. When it sees every influence fact (the usual
   * "now"), counts and summaries come from the tallies kept per event and the
   * page from the kept items in heard order (a groupId, partnerId or channel
   * filter reads just the kept items it selects); otherwise every item known
   * then is folded. `source: 'facts'` always folds (the two agree: see the spec).
   */
  list(
    at: TimePoint,
    filter: InfluenceFilter = {},
    names: PersonNames = this.names,
    page: InfluencePage = { limit: Number.POSITIVE_INFINITY },
    source: 'auto' | 'facts' = 'auto',
  ): InfluenceList {
    const after = page.cursor ? parseCursor(page.cursor) : null;
    const lookup = { person: memo((id) => names.displayName(id)), group: memo(this.groupNameOf) };
    if (source === 'auto' && this.seesEverything(at)) {
      return filter.groupId !== undefined ||
        filter.partnerId !== undefined ||
        filter.channel !== undefined
        ? this.selectedNow(at, filter, page, after, lookup)
        : this.now(at, filter, page, after, lookup);
    }
    const responses = groupBy(this.stmt.allResponses.all(at), (r) => r.feedback_id);
    const decisions = groupBy(this.stmt.allDecisions.all(at), (d) => d.cited_feedback_id);
    const none: never[] = [];
    const rows = new Map<string, FeedbackRow>();
    // Every item's outline (what counts and summaries need); whole items for the page only.
    const items = this.stmt.feedback.all(at).map((row) => {
      rows.set(row.feedback_id, row);
      return outline(
        row,
        at,
        responses.get(row.feedback_id) ?? none,
        decisions.get(row.feedback_id) ?? none,
      );
    });
    return this.summarised(items, filter, page, after, lookup, (pageItems) =>
      pageItems.map((o) =>
        this.item(
          rows.get(o.feedbackId)!,
          at,
          lookup,
          responses.get(o.feedbackId) ?? none,
          decisions.get(o.feedbackId) ?? none,
        ),
      ),
    );
  }

  /** The counts and summaries alone (what a report needs of the list), without rendering items. */
  summaries(
    at: TimePoint,
    filter: InfluenceFilter = {},
    names: PersonNames = this.names,
  ): Omit<InfluenceList, 'items' | 'next'> {
    const { counts, byGroup, byPartner } = this.list(at, filter, names, { limit: 0 });
    return { counts, byGroup, byPartner };
  }

  /** Whether the time point sees every influence fact kept (then the kept rows answer). */
  private seesEverything(at: TimePoint): boolean {
    const horizon = this.stmt.horizon.get();
    return (
      horizon !== undefined && horizon.occurred_max <= at.asOf && horizon.recorded_max <= at.knownAt
    );
  }

  /** Counts, summaries and the page, from the outlines of every item (in heard order). */
  private summarised(
    outlines: readonly Outline[],
    filter: InfluenceFilter,
    page: InfluencePage,
    after: [string, string] | null,
    lookup: Lookup,
    render: (page: Outline[]) => InfluenceItem[],
  ): InfluenceList {
    const items = outlines.filter(
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
    counts.byOutcome = sortedKeys(counts.byOutcome);
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
      items: render(pageItems),
      next:
        rest.length > page.limit && page.limit > 0
          ? cursorOf(pageItems[pageItems.length - 1]!)
          : null,
      counts,
      byGroup: byGroup(shown, lookup.group),
      byPartner: byPartner(shown, lookup.person),
    };
  }

  /** "Now" with a groupId, partnerId or channel filter: the kept outlines it selects, summarised. */
  private selectedNow(
    at: TimePoint,
    filter: InfluenceFilter,
    page: InfluencePage,
    after: [string, string] | null,
    lookup: Lookup,
  ): InfluenceList {
    const kept =
      filter.partnerId !== undefined
        ? this.stmt.keptByPartner.all(filter.partnerId)
        : filter.groupId !== undefined
          ? this.stmt.keptByGroup.all({ g: filter.groupId })
          : this.stmt.keptByChannel.all(filter.channel!);
    return this.summarised(kept.map(outlineOf), filter, page, after, lookup, (items) =>
      this.rendered(
        items.map((i) => i.feedbackId),
        at,
        lookup,
      ),
    );
  }

  /** Whole items for a page's ids, in that order: each related table read once. */
  private rendered(ids: readonly string[], at: TimePoint, lookup: Lookup): InfluenceItem[] {
    if (ids.length === 0) return [];
    const json = { ids: JSON.stringify(ids) };
    const rows = new Map(this.stmt.pageFeedback.all(json).map((r) => [r.feedback_id, r]));
    const responses = groupBy(
      this.stmt.pageResponses.all({ ...at, ...json }),
      (r) => r.feedback_id,
    );
    const decisions = groupBy(
      this.stmt.pageDecisions.all({ ...at, ...json }),
      (d) => d.cited_feedback_id,
    );
    return ids.map((id) =>
      this.item(rows.get(id)!, at, lookup, responses.get(id) ?? [], decisions.get(id) ?? []),
    );
  }

  /**
   * "Now", unfiltered or by status and programme: counts and summaries from
   * the tallies (a row per holder and status), the page from the kept items.
   */
  private now(
    at: TimePoint,
    filter: InfluenceFilter,
    page: InfluencePage,
    after: [string, string] | null,
    lookup: Lookup,
  ): InfluenceList {
    const scope = filter.programme ?? null;
    const tally = this.stmt.tally.all();
    // Which holders the programme holds (all of them without one).
    const holds = new Map<string, boolean>();
    for (const row of tally)
      if (!holds.has(row.holder)) holds.set(row.holder, !scope || this.holds(scope, row.holder));
    const held = [...holds].filter(([, h]) => h).map(([holder]) => holder);
    const everyHolder = held.length === holds.size;
    const status = filter.status ?? null;
    const wanted = (holder: string, s: InfluenceStatus) =>
      holds.get(holder) === true && (status === null || s === status);

    const counts: InfluenceList['counts'] = {
      byStatus: { open: 0, responded: 0, closed: 0 },
      byOutcome: {},
    };
    const groups = new Map<string, TallyRow & { citing: number }>();
    const groupOf = (groupId: string) => {
      let g = groups.get(groupId);
      if (!g) {
        g = {
          holder: groupId,
          status: 'open',
          n: 0,
          first_n: 0,
          first_sum: 0,
          report_n: 0,
          report_sum: 0,
          citing: 0,
        };
        groups.set(groupId, g);
      }
      return g;
    };
    const statusCounts = new Map<string, Record<InfluenceStatus, number>>();
    for (const row of tally) {
      if (holds.get(row.holder) !== true) continue;
      counts.byStatus[row.status] += row.n;
      if (!row.holder.startsWith('g:') || !wanted(row.holder, row.status)) continue;
      const groupId = row.holder.slice(2);
      const g = groupOf(groupId);
      g.n += row.n;
      g.first_n += row.first_n;
      g.first_sum += row.first_sum;
      g.report_n += row.report_n;
      g.report_sum += row.report_sum;
      const byStatus = statusCounts.get(groupId) ?? { open: 0, responded: 0, closed: 0 };
      byStatus[row.status] += row.n;
      statusCounts.set(groupId, byStatus);
    }
    for (const row of this.stmt.outcomes.all())
      if (holds.get(row.holder) === true)
        counts.byOutcome[row.outcome] = (counts.byOutcome[row.outcome] ?? 0) + row.n;
    counts.byOutcome = sortedKeys(counts.byOutcome);
    for (const row of this.stmt.citing.all())
      if (wanted(row.holder, row.status)) groupOf(row.group_id).citing += row.n;
    for (const row of this.stmt.spread.all())
      if ((JSON.parse(row.keys) as Array<[string, InfluenceStatus]>).some(([h, s]) => wanted(h, s)))
        groupOf(row.group_id).citing += 1;

    const byGroup = [...groups.entries()]
      .filter(([, g]) => g.n > 0 || g.citing > 0)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([groupId, g]) => {
        const s = statusCounts.get(groupId) ?? { open: 0, responded: 0, closed: 0 };
        return {
          groupId,
          groupName: lookup.group(groupId),
          heard: g.n,
          open: s.open,
          responded: s.responded,
          closed: s.closed,
          decisionsCiting: g.citing,
          averageDaysToFirstResponse: averageOf(g.first_sum, g.first_n),
          averageDaysToReportBack: averageOf(g.report_sum, g.report_n),
        };
      });

    const partnerRows = everyHolder
      ? this.stmt.partnersAll.all()
      : this.stmt.partnersOf.all(JSON.stringify(held));
    const partners = new Map<string, InfluencePartnerSummary>();
    for (const row of partnerRows) {
      if (row.n === 0 || (status !== null && row.status !== status)) continue;
      let p = partners.get(row.raised_by);
      if (!p) {
        p = {
          partnerId: row.raised_by,
          name: '',
          raised: 0,
          open: 0,
          responded: 0,
          closed: 0,
          adoptedOrAdapted: 0,
          citedInDecisions: 0,
        };
        partners.set(row.raised_by, p);
      }
      p.raised += row.n;
      p[row.status] += row.n;
      p.adoptedOrAdapted += row.adopted;
      p.citedInDecisions += row.cited;
    }
    const byPartner = [...partners.values()]
      .sort((a, b) => a.partnerId.localeCompare(b.partnerId))
      .map((p) => ({ ...p, name: lookup.person(p.partnerId) }));

    const limit = Number.isFinite(page.limit) ? page.limit : -2;
    const ids =
      limit === 0
        ? []
        : this.stmt.pageIds
            .all({
              status,
              holders: everyHolder ? null : JSON.stringify(held),
              h: after?.[0] ?? '',
              f: after?.[1] ?? '',
              n: limit + 1,
            })
            .map((r) => r.feedback_id);
    const more = limit > 0 && ids.length > limit;
    const pageIds = more ? ids.slice(0, limit) : ids;
    const items = this.rendered(pageIds, at, lookup);
    return {
      items,
      next: more ? cursorOf(items[items.length - 1]!) : null,
      counts,
      byGroup,
      byPartner,
    };
  }

  /** Whether a programme holds a holder's items (`ProgrammeScope.holdsFeedback`). */
  private holds(scope: ProgrammeScope, holder: string): boolean {
    const id = holder.slice(2);
    if (holder.startsWith('g:')) return scope.hasGroup(id);
    if (holder.startsWith('p:')) return scope.hasPartner(id);
    const kept = this.stmt.keptOf.get(id);
    return kept ? scope.holdsFeedback(outlineOf(kept)) : false;
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
    names: Lookup,
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

/** Per group: what was heard there and what became of it; decisions of the group citing feedback. */
function byGroup(
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
      ...byStatus(heard),
      decisionsCiting: citing.get(groupId)?.size ?? 0,
      averageDaysToFirstResponse: average(heard.map((i) => i.daysToFirstResponse)),
      averageDaysToReportBack: average(heard.map((i) => i.daysToReportBack)),
    }));
}

/** How many of `items` are open, responded and closed, in one pass. */
function byStatus(items: readonly { status: InfluenceStatus }[]): Record<InfluenceStatus, number> {
  const counts = { open: 0, responded: 0, closed: 0 };
  for (const item of items) counts[item.status] += 1;
  return counts;
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
      ...byStatus(raised),
      adoptedOrAdapted: raised.filter(adoptedOrAdapted).length,
      citedInDecisions: raised.filter((i) => i.decisions.length > 0).length,
    }));
}
