import { FEEDBACK_CHANNELS, RESPONSE_OUTCOMES } from '@app/domain';
import type Database from 'better-sqlite3';
import type { TimePoint } from '../governance/governance.queries.js';
import type { ProgrammeScope } from '../reports/programme-scope.js';
import { gather, type StepRow, type Story } from './response-clock.story.js';

/** A programme's response targets, in whole days from the day feedback was heard. */
export interface ResponseTargets {
  firstResponseDays: number | null;
  reportBackDays: number | null;
  /** Business date from which they apply. */
  setAt: string;
  /** The `ResponseTargetsSet` event's position in `$all`. */
  position: string;
}

/**
 * Per step: `true` reached within the target, `false` reached late or not
 * reached and past it as of `asOf`, `null` no target for the step or not due yet.
 */
export interface StepVerdict {
  firstResponse: boolean | null;
  reportBack: boolean | null;
}

/** One piece of feedback's clock, with the `$all` positions of the events behind each date. */
export interface ClockItem {
  feedbackId: string;
  /** Where it was heard: forum, advisory group, working group, survey, individual. */
  source: string;
  /** The outcome of the latest response (by business date); `null` while unanswered. */
  outcome: string | null;
  groupId: string | null;
  heardAt: string;
  firstResponseAt: string | null;
  /** The first decision citing it (`influencedBy`), if any. */
  decidedAt: string | null;
  decisionId: string | null;
  decisionGroupId: string | null;
  reportedBackAt: string | null;
  days: {
    toFirstResponse: number | null;
    toDecision: number | null;
    toReportBack: number | null;
    /** Days from heard to `asOf` while not reported back; `null` once it is. */
    openFor: number | null;
  };
  /** The targets in force on the day it was heard; `null`: none had been set. */
  target: Omit<ResponseTargets, 'position'> | null;
  withinTarget: StepVerdict;
  /** Not reported back (or not responded to) and past the target as of `asOf`. */
  openPastTarget: boolean;
  evidence: {
    heard: string;
    firstResponse: string | null;
    decision: string | null;
    reportedBack: string | null;
    target: string | null;
  };
}

export interface StepShare {
  /** Items with a target for the step that reached it, or whose target has passed. */
  due: number;
  withinTarget: number;
  /** withinTarget / due, to 3 decimals; `null` when nothing is due. */
  share: number | null;
}

export interface ClockSummary {
  heard: number;
  responded: number;
  decided: number;
  reportedBack: number;
  openPastTarget: number;
  /** Medians over the items that reached each step (the mean of the middle two for an even count). */
  medianDays: {
    firstResponse: number | null;
    decision: number | null;
    reportBack: number | null;
  };
  firstResponse: StepShare;
  /** The share closed (reported back) within target. */
  reportBack: StepShare;
  feedbackIds: string[];
  openPastTargetFeedbackIds: string[];
}

export interface ResponseClock {
  from: string | null;
  to: string | null;
  /** The targets in force at `asOf`, as known at `knownAt`. */
  targets: ResponseTargets | null;
  summary: ClockSummary;
  bySource: Array<{ source: string } & ClockSummary>;
  /** `no-response` for items not yet answered. */
  byOutcome: Array<{ outcome: string } & ClockSummary>;
  items: ClockItem[];
}

export interface ClockPeriod {
  /** Feedback heard on or after this instant. */
  from?: string | null;
  /** Feedback heard on or before this instant. */
  to?: string | null;
}

interface TargetRow {
  position: number;
  first_response_days: number | null;
  report_back_days: number | null;
  set_at: string;
}

const DAY = 86_400_000;
/** Whole days between two instants, as the influence ledger counts them. */
export const daysBetween = (from: string, to: string) =>
  Math.round((Date.parse(to) - Date.parse(from)) / DAY);

/** The median of the values; the mean of the middle two for an even count; `null` for none. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const NO_RESPONSE = 'no-response';

/**
 * The response clock ("you said, we did — or couldn't, because"): per piece
 * of feedback the days from heard to first response, to the first decision
 * citing it and to reporting back, judged against the programme's targets;
 * per programme and period the medians and the share within target, by
 * source and by outcome. As of `asOf` (business time), as known at `knownAt`.
 */
/** The response clock's item list over HTTP: `limit` default and bound (summaries cover every item). */
export const RESPONSE_CLOCK_PAGE = { default: 500, max: 5_000 } as const;

/**
 * An item's place in the clock's order (heard, then the `$all` position of
 * its FeedbackHeard, one item each), as the items come: the paging key of
 * the item list. No feedback id in it: a cursor must not carry one past a
 * reader's pseudonyms.
 */
export const clockItemKey = (item: ClockItem): [string, string] => [
  item.heardAt,
  item.evidence.heard.padStart(20, '0'),
];

/** What a summary reads of an item: a whole `ClockItem`, or the lean entry a "now" read judges. */
type Summarised = Pick<
  ClockItem,
  | 'feedbackId'
  | 'source'
  | 'outcome'
  | 'firstResponseAt'
  | 'decidedAt'
  | 'reportedBackAt'
  | 'withinTarget'
  | 'openPastTarget'
> & { days: Pick<ClockItem['days'], 'toFirstResponse' | 'toDecision' | 'toReportBack'> };

/** An item as a read first sees it: enough to scope, filter, judge and summarise it. */
interface Entry {
  feedbackId: string;
  heardAt: string;
  heardMs: number;
  heardPosition: number;
  channel: string | null;
  groupId: string | null;
  raisedBy: string | null;
  decisionGroups: readonly string[];
  outcome: string | null;
  toFirstResponse: number | null;
  toDecision: number | null;
  toReportBack: number | null;
  /** The `$all` positions of the steps behind the days. */
  positions: {
    firstResponse: number | null;
    decision: number | null;
    reported: number | null;
  };
  /** Folded from steps: the whole story; kept: read for the page only. */
  story: (Story & { heard: StepRow }) | null;
}

/** A `clk_items` row as a "now" read takes it (raw, in this column order). */
type ItemRow = [
  feedbackId: string,
  heardAt: string,
  heardMs: number,
  heardPosition: number,
  channel: string | null,
  groupId: string | null,
  raisedBy: string | null,
  decisionGroups: string,
  outcome: string | null,
  toFirstResponse: number | null,
  toDecision: number | null,
  toReportBack: number | null,
  firstResponsePosition: number | null,
  decisionPosition: number | null,
  reportedPosition: number | null,
];

/** The columns of `clk_items` derived from an item's story (for the projection). */
export function storyColumns(story: Story) {
  const heard = story.heard;
  const days = (step: StepRow | null) => (heard && step ? daysBetween(heard.at, step.at) : null);
  return {
    heardAt: heard?.at ?? null,
    heardMs: heard ? Date.parse(heard.at) : null,
    heardPosition: heard?.position ?? null,
    channel: heard?.channel ?? null,
    groupId: heard?.group_id ?? null,
    raisedBy: heard?.raised_by ?? null,
    decisionGroups: story.decisionGroups.join('\n'),
    outcome: story.latestResponse?.outcome ?? null,
    toFirstResponse: days(story.firstResponse),
    toDecision: days(story.decision),
    toReportBack: days(story.reported),
    firstResponsePosition: story.firstResponse?.position ?? null,
    decisionPosition: story.decision?.position ?? null,
    reportedPosition: story.reported?.position ?? null,
  };
}

const entryOf = (story: Story & { heard: StepRow }): Entry => {
  const c = storyColumns(story);
  return {
    feedbackId: story.feedbackId,
    heardAt: story.heard.at,
    heardMs: c.heardMs!,
    heardPosition: story.heard.position,
    channel: c.channel,
    groupId: c.groupId,
    raisedBy: c.raisedBy,
    decisionGroups: story.decisionGroups,
    outcome: c.outcome,
    toFirstResponse: c.toFirstResponse,
    toDecision: c.toDecision,
    toReportBack: c.toReportBack,
    positions: {
      firstResponse: c.firstResponsePosition,
      decision: c.decisionPosition,
      reported: c.reportedPosition,
    },
    story,
  };
};

/** A page of the item list: at most `limit` items after `after` (a previous page's last key). */
export interface ClockPage {
  limit: number;
  after?: readonly string[] | null;
}

export class ResponseClockQueries {
  private readonly stmt: {
    steps: Database.Statement<[TimePoint], StepRow>;
    targets: Database.Statement<[TimePoint & { programmeId: string }], TargetRow>;
    items: Database.Statement<[], ItemRow>;
    story: Database.Statement<[string], { story: string }>;
    stories: Database.Statement<[], { feedback_id: string; story: string }>;
    horizon: Database.Statement<[], { occurred_max: string; recorded_max: number }>;
  };

  constructor(db: Database.Database) {
    this.stmt = {
      steps: db.prepare(`SELECT position, feedback_id, step, at, channel, group_id, raised_by,
          outcome, ref_id
        FROM clk_steps WHERE at <= @asOf AND recorded_at <= @knownAt
        ORDER BY at, position, feedback_id`),
      targets: db.prepare(`SELECT position, first_response_days, report_back_days, set_at
        FROM clk_targets WHERE programme_id = @programmeId
          AND set_at <= @asOf AND recorded_at <= @knownAt
        ORDER BY set_at, position`),
      items: db
        .prepare<[], ItemRow>(
          `SELECT feedback_id, heard_at, heard_ms, heard_position, channel, group_id, raised_by,
            decision_groups, outcome, to_first_response, to_decision, to_report_back,
            first_response_position, decision_position, reported_position
          FROM clk_items WHERE heard_at IS NOT NULL
          ORDER BY heard_at, heard_position, feedback_id`,
        )
        .raw(true),
      story: db.prepare('SELECT story FROM clk_items WHERE feedback_id = ?'),
      stories: db.prepare('SELECT feedback_id, story FROM clk_items WHERE heard_at IS NOT NULL'),
      horizon: db.prepare('SELECT occurred_max, recorded_max FROM clk_horizon WHERE id = 1'),
    };
  }

  /**
   * Each item heard at a time point, in the order heard (then `$all` order).
   * When the time point sees every step (the usual "now"), from `clk_items`,
   * kept per event (one row an item, its story folded as steps arrive);
   * otherwise folded from the steps known at it with the same fold.
   */
  private entries(at: TimePoint, source: 'auto' | 'steps'): { kept: boolean; entries: Entry[] } {
    const horizon = this.stmt.horizon.get();
    if (source === 'auto' && horizon === undefined) return { kept: true, entries: [] };
    if (
      source === 'auto' &&
      horizon !== undefined &&
      horizon.occurred_max <= at.asOf &&
      horizon.recorded_max <= at.knownAt
    )
      return {
        kept: true,
        entries: this.stmt.items.all().map((r): Entry => ({
          feedbackId: r[0],
          heardAt: r[1],
          heardMs: r[2],
          heardPosition: r[3],
          channel: r[4],
          groupId: r[5],
          raisedBy: r[6],
          decisionGroups: r[7] === '' ? [] : r[7].split('\n'),
          outcome: r[8],
          toFirstResponse: r[9],
          toDecision: r[10],
          toReportBack: r[11],
          positions: { firstResponse: r[12], decision: r[13], reported: r[14] },
          story: null,
        })),
      };
    return { kept: false, entries: gather(this.stmt.steps.all(at)).map(entryOf) };
  }

  /** A programme's response targets set by `asOf` (as known at `knownAt`), the one in force last. */
  targets(at: TimePoint, programmeId: string): ResponseTargets[] {
    return this.stmt.targets.all({ ...at, programmeId }).map((row): ResponseTargets => ({
      firstResponseDays: row.first_response_days,
      reportBackDays: row.report_back_days,
      setAt: row.set_at,
      position: String(row.position),
    }));
  }

  /**
   * The clock with every item. `source: 'steps'` always folds the steps (the
   * kept rows and the fold agree: see the spec).
   */
  clock(
    at: TimePoint,
    scope: ProgrammeScope | null,
    period: ClockPeriod = {},
    source: 'auto' | 'steps' = 'auto',
  ): ResponseClock {
    return this.clockPage(at, scope, period, null, source).clock;
  }

  /**
   * The clock with one page of its items (`page` null: every item), in the
   * order of `clockItemKey`, and the key of the page's last item when more
   * follow. Summaries cover every item of the period.
   */
  clockPage(
    at: TimePoint,
    scope: ProgrammeScope | null,
    period: ClockPeriod = {},
    page: ClockPage | null = null,
    source: 'auto' | 'steps' = 'auto',
  ): { clock: ResponseClock; next: string[] | null } {
    const { targets, kept, ours } = this.select(at, scope, period, source);
    // The page: entries come in the key's order (heard, then position; one item an event).
    let start = 0;
    if (page?.after) {
      const [afterAt = '', afterPosition = ''] = page.after;
      const afterKey = (e: Entry) => {
        const position = String(e.heardPosition).padStart(20, '0');
        return e.heardAt > afterAt || (e.heardAt === afterAt && position > afterPosition);
      };
      start = ours.findIndex(afterKey);
      if (start < 0) start = ours.length;
    }
    const end = page ? start + page.limit : ours.length;
    const paged = ours.slice(start, end);
    const storyOf = this.storyReader(kept, paged.length);
    const items = paged.map((e) => clockItem(e.story ?? storyOf(e.feedbackId), targets, at.asOf));
    // Summaries: a kept read judges lean entries, a fold every item whole (the spec holds them equal).
    const judged: Summarised[] = kept
      ? judgeAll(ours, targets, at.asOf)
      : page === null
        ? items
        : ours.map((e) => clockItem(e.story!, targets, at.asOf));
    const last = paged.at(-1);
    return {
      clock: { ...summaries(period, targets, judged), items },
      next:
        page && last && ours.length > end
          ? [last.heardAt, String(last.heardPosition).padStart(20, '0')]
          : null,
    };
  }

  /**
   * The clock's summaries and, per item, only what GRIPP2 cites of it: the
   * positions of its steps and of the targets it is judged against, and
   * whether it is open past them. The same answer as `clock` (a spec holds
   * them equal) without reading or folding any item's story, which was most
   * of a GRIPP2 report's time.
   */
  clockEvidence(
    at: TimePoint,
    scope: ProgrammeScope | null,
    period: ClockPeriod = {},
    source: 'auto' | 'steps' = 'auto',
  ): ClockEvidence {
    const { targets, ours } = this.select(at, scope, period, source);
    const judged = judgeAll(ours, targets, at.asOf);
    const setAt = targets.map((t) => ({ ms: Date.parse(t.setAt), t }));
    const items = ours.map((e, i) => {
      let target: string | null = null;
      for (let k = setAt.length - 1; k >= 0; k--)
        if (setAt[k]!.ms <= e.heardMs) {
          target = setAt[k]!.t.position;
          break;
        }
      const at = (position: number | null) => (position === null ? null : String(position));
      return {
        evidence: {
          heard: String(e.heardPosition),
          firstResponse: at(e.positions.firstResponse),
          decision: at(e.positions.decision),
          reportedBack: at(e.positions.reported),
          target,
        },
        openPastTarget: judged[i]!.openPastTarget,
      };
    });
    return { ...summaries(period, targets, judged), items };
  }

  /** The targets, and the entries of a scope and period in the clock's order. */
  private select(
    at: TimePoint,
    scope: ProgrammeScope | null,
    period: ClockPeriod,
    source: 'auto' | 'steps',
  ) {
    const targets = scope ? this.targets(at, scope.programmeId) : [];
    const from = period.from ? Date.parse(period.from) : -Infinity;
    const to = period.to ? Date.parse(period.to) : Infinity;
    const { kept, entries } = this.entries(at, source);
    const ours = entries.filter(
      (e) =>
        (!scope ||
          scope.holdsFeedback({
            groupId: e.groupId,
            raisedBy: e.raisedBy,
            decisions:
              e.groupId === null && e.raisedBy === null
                ? e.decisionGroups.map((groupId) => ({ groupId }))
                : [],
          })) &&
        e.heardMs >= from &&
        e.heardMs <= to,
    );
    return { targets, kept, ours };
  }

  /** Reads kept stories: one at a time for a page, all at once for a long list. */
  private storyReader(
    kept: boolean,
    count: number,
  ): (feedbackId: string) => Story & {
    heard: StepRow;
  } {
    type Heard = Story & { heard: StepRow };
    if (!kept || count === 0)
      return () => {
        throw new Error('no kept story');
      };
    if (count <= 1_000)
      return (feedbackId) => JSON.parse(this.stmt.story.get(feedbackId)!.story) as Heard;
    const all = new Map(this.stmt.stories.all().map((r) => [r.feedback_id, r.story]));
    return (feedbackId) => JSON.parse(all.get(feedbackId)!) as Heard;
  }
}

/** The targets in force on the day an item was heard: the last set by then. */
function inForceAt<T extends { setAt: string }>(
  targets: readonly T[],
  heardMs: number,
): T | undefined {
  for (let i = targets.length - 1; i >= 0; i--)
    if (Date.parse(targets[i]!.setAt) <= heardMs) return targets[i];
  return undefined;
}

/** A step's verdict: reached within the target, late or past it unreached, or not judged. */
function verdict(
  reached: number | null,
  target: number | null | undefined,
  elapsed: number,
): boolean | null {
  if (target === null || target === undefined) return null;
  if (reached !== null) return reached <= target;
  return elapsed > target ? false : null;
}

/** Every entry's verdicts as of `asOf`, without building the whole item. */
/** The clock without its items: the period, the targets in force last, the summaries. */
function summaries(
  period: ClockPeriod,
  targets: ResponseTargets[],
  judged: Summarised[],
): Omit<ResponseClock, 'items'> {
  const grouped = (key: (item: Summarised) => string, keys: readonly string[]) => {
    const groups = new Map<string, Summarised[]>(keys.map((k) => [k, []]));
    for (const item of judged) {
      const k = key(item);
      const list = groups.get(k);
      if (list) list.push(item);
      else groups.set(k, [item]);
    }
    const extra = [...groups.keys()].filter((k) => !keys.includes(k)).sort();
    return [...keys, ...extra].map((k) => [k, summarise(groups.get(k)!)] as const);
  };
  return {
    from: period.from ?? null,
    to: period.to ?? null,
    targets: targets.at(-1) ?? null,
    summary: summarise(judged),
    bySource: grouped((i) => i.source, FEEDBACK_CHANNELS).map(([source, s]) => ({
      source,
      ...s,
    })),
    byOutcome: grouped((i) => i.outcome ?? NO_RESPONSE, [...RESPONSE_OUTCOMES, NO_RESPONSE]).map(
      ([outcome, s]) => ({ outcome, ...s }),
    ),
  };
}

/** The clock as GRIPP2 cites it (`clockEvidence`). */
export type ClockEvidence = Omit<ResponseClock, 'items'> & {
  items: Array<{ evidence: ClockItem['evidence']; openPastTarget: boolean }>;
};

function judgeAll(entries: Entry[], targets: ResponseTargets[], asOf: string): Summarised[] {
  const asOfMs = Date.parse(asOf);
  const setAt = targets.map((t) => ({ setAt: t.setAt, ms: Date.parse(t.setAt), t }));
  return entries.map((e): Summarised => {
    let inForce: ResponseTargets | undefined;
    for (let i = setAt.length - 1; i >= 0; i--)
      if (setAt[i]!.ms <= e.heardMs) {
        inForce = setAt[i]!.t;
        break;
      }
    const elapsed = Math.round((asOfMs - e.heardMs) / DAY);
    const withinTarget: StepVerdict = {
      firstResponse: verdict(e.toFirstResponse, inForce?.firstResponseDays, elapsed),
      reportBack: verdict(e.toReportBack, inForce?.reportBackDays, elapsed),
    };
    return {
      feedbackId: e.feedbackId,
      source: e.channel ?? 'unknown',
      outcome: e.outcome,
      firstResponseAt: e.toFirstResponse === null ? null : '',
      decidedAt: e.toDecision === null ? null : '',
      reportedBackAt: e.toReportBack === null ? null : '',
      withinTarget,
      openPastTarget:
        (e.toFirstResponse === null && withinTarget.firstResponse === false) ||
        (e.toReportBack === null && withinTarget.reportBack === false),
      days: {
        toFirstResponse: e.toFirstResponse,
        toDecision: e.toDecision,
        toReportBack: e.toReportBack,
      },
    };
  });
}

function clockItem(
  story: Story & { heard: StepRow },
  targets: ResponseTargets[],
  asOf: string,
): ClockItem {
  const heardAt = story.heard.at;
  const first = story.firstResponse;
  const latest = story.latestResponse;
  const decision = story.decision;
  const reported = story.reported;
  const inForce = inForceAt(targets, Date.parse(heardAt));
  const toFirstResponse = first ? daysBetween(heardAt, first.at) : null;
  const toReportBack = reported ? daysBetween(heardAt, reported.at) : null;
  const elapsed = daysBetween(heardAt, asOf);
  const withinTarget: StepVerdict = {
    firstResponse: verdict(toFirstResponse, inForce?.firstResponseDays, elapsed),
    reportBack: verdict(toReportBack, inForce?.reportBackDays, elapsed),
  };
  return {
    feedbackId: story.feedbackId,
    source: story.heard.channel ?? 'unknown',
    outcome: latest?.outcome ?? null,
    groupId: story.heard.group_id,
    heardAt,
    firstResponseAt: first?.at ?? null,
    decidedAt: decision?.at ?? null,
    decisionId: decision?.ref_id ?? null,
    decisionGroupId: decision?.group_id ?? null,
    reportedBackAt: reported?.at ?? null,
    days: {
      toFirstResponse,
      toDecision: decision ? daysBetween(heardAt, decision.at) : null,
      toReportBack,
      openFor: reported ? null : elapsed,
    },
    target: inForce
      ? {
          firstResponseDays: inForce.firstResponseDays,
          reportBackDays: inForce.reportBackDays,
          setAt: inForce.setAt,
        }
      : null,
    withinTarget,
    openPastTarget:
      (first === null && withinTarget.firstResponse === false) ||
      (reported === null && withinTarget.reportBack === false),
    evidence: {
      heard: String(story.heard.position),
      firstResponse: first ? String(first.position) : null,
      decision: decision ? String(decision.position) : null,
      reportedBack: reported ? String(reported.position) : null,
      target: inForce?.position ?? null,
    },
  };
}

function share(due: number, withinTarget: number): StepShare {
  return {
    due,
    withinTarget,
    share: due === 0 ? null : Math.round((withinTarget / due) * 1000) / 1000,
  };
}

/** The figures of a set of items, in one pass over them. */
function summarise(items: Summarised[]): ClockSummary {
  let responded = 0;
  let decided = 0;
  let reportedBack = 0;
  const due = [0, 0];
  const within = [0, 0];
  const toFirstResponse: number[] = [];
  const toDecision: number[] = [];
  const toReportBack: number[] = [];
  const feedbackIds: string[] = [];
  const late: string[] = [];
  for (const i of items) {
    if (i.firstResponseAt !== null) responded++;
    if (i.decidedAt !== null) decided++;
    if (i.reportedBackAt !== null) reportedBack++;
    if (i.days.toFirstResponse !== null) toFirstResponse.push(i.days.toFirstResponse);
    if (i.days.toDecision !== null) toDecision.push(i.days.toDecision);
    if (i.days.toReportBack !== null) toReportBack.push(i.days.toReportBack);
    const { firstResponse, reportBack } = i.withinTarget;
    if (firstResponse !== null) {
      due[0]!++;
      if (firstResponse) within[0]!++;
    }
    if (reportBack !== null) {
      due[1]!++;
      if (reportBack) within[1]!++;
    }
    feedbackIds.push(i.feedbackId);
    if (i.openPastTarget) late.push(i.feedbackId);
  }
  return {
    heard: items.length,
    responded,
    decided,
    reportedBack,
    openPastTarget: late.length,
    medianDays: {
      firstResponse: median(toFirstResponse),
      decision: median(toDecision),
      reportBack: median(toReportBack),
    },
    firstResponse: share(due[0]!, within[0]!),
    reportBack: share(due[1]!, within[1]!),
    feedbackIds,
    openPastTargetFeedbackIds: late,
  };
}
