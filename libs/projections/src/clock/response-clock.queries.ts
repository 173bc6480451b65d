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

export class ResponseClockQueries {
  private readonly stmt: {
    steps: Database.Statement<[TimePoint], StepRow>;
    targets: Database.Statement<[TimePoint & { programmeId: string }], TargetRow>;
    items: Database.Statement<[], { story: string }>;
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
      items: db.prepare(`SELECT story FROM clk_items WHERE heard_at IS NOT NULL
        ORDER BY heard_at, heard_position, feedback_id`),
      horizon: db.prepare('SELECT occurred_max, recorded_max FROM clk_horizon WHERE id = 1'),
    };
  }

  /**
   * Each item heard at a time point, in the order heard. When the time point
   * sees every step and target (the usual "now"), from `clk_items`, kept per
   * event (one row an item); otherwise folded from the steps known at it with
   * the same fold. `source: 'steps'` always folds (the two agree: see the spec).
   */
  private stories(at: TimePoint, source: 'auto' | 'steps'): Array<Story & { heard: StepRow }> {
    const horizon = this.stmt.horizon.get();
    if (source === 'auto' && horizon === undefined) return [];
    if (
      source === 'auto' &&
      horizon !== undefined &&
      horizon.occurred_max <= at.asOf &&
      horizon.recorded_max <= at.knownAt
    )
      return this.stmt.items
        .all()
        .map((row) => JSON.parse(row.story) as Story & { heard: StepRow });
    return gather(this.stmt.steps.all(at));
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

  clock(
    at: TimePoint,
    scope: ProgrammeScope | null,
    period: ClockPeriod = {},
    source: 'auto' | 'steps' = 'auto',
  ): ResponseClock {
    const targets = scope ? this.targets(at, scope.programmeId) : [];
    const from = period.from ? Date.parse(period.from) : -Infinity;
    const to = period.to ? Date.parse(period.to) : Infinity;
    const items = this.stories(at, source)
      .filter(
        (story) =>
          !scope ||
          scope.holdsFeedback({
            groupId: story.heard.group_id,
            raisedBy: story.heard.raised_by,
            decisions: story.decisionGroups.map((groupId) => ({ groupId })),
          }),
      )
      .filter((story) => {
        const heard = Date.parse(story.heard.at);
        return heard >= from && heard <= to;
      })
      .map((story) => clockItem(story, targets, at.asOf));
    const by = <K extends string>(key: (item: ClockItem) => string, keys: readonly string[]) => {
      const seen = new Set(items.map(key));
      const order = [...keys, ...[...seen].filter((k) => !keys.includes(k)).sort()];
      return order.map((k) => [k as K, summarise(items.filter((i) => key(i) === k))] as const);
    };
    return {
      from: period.from ?? null,
      to: period.to ?? null,
      targets: targets.at(-1) ?? null,
      summary: summarise(items),
      bySource: by((i) => i.source, FEEDBACK_CHANNELS).map(([source, s]) => ({ source, ...s })),
      byOutcome: by((i) => i.outcome ?? NO_RESPONSE, [...RESPONSE_OUTCOMES, NO_RESPONSE]).map(
        ([outcome, s]) => ({ outcome, ...s }),
      ),
      items,
    };
  }
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
  const inForce = targets.filter((t) => Date.parse(t.setAt) <= Date.parse(heardAt)).at(-1);
  const toFirstResponse = first ? daysBetween(heardAt, first.at) : null;
  const toReportBack = reported ? daysBetween(heardAt, reported.at) : null;
  const elapsed = daysBetween(heardAt, asOf);
  const verdict = (reached: number | null, target: number | null | undefined): boolean | null => {
    if (target === null || target === undefined) return null;
    if (reached !== null) return reached <= target;
    return elapsed > target ? false : null;
  };
  const withinTarget: StepVerdict = {
    firstResponse: verdict(toFirstResponse, inForce?.firstResponseDays),
    reportBack: verdict(toReportBack, inForce?.reportBackDays),
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

function share(verdicts: Array<boolean | null>): StepShare {
  const due = verdicts.filter((v) => v !== null).length;
  const withinTarget = verdicts.filter((v) => v === true).length;
  return {
    due,
    withinTarget,
    share: due === 0 ? null : Math.round((withinTarget / due) * 1000) / 1000,
  };
}

const known = (values: Array<number | null>) => values.filter((v): v is number => v !== null);

function summarise(items: ClockItem[]): ClockSummary {
  const late = items.filter((i) => i.openPastTarget);
  return {
    heard: items.length,
    responded: items.filter((i) => i.firstResponseAt !== null).length,
    decided: items.filter((i) => i.decidedAt !== null).length,
    reportedBack: items.filter((i) => i.reportedBackAt !== null).length,
    openPastTarget: late.length,
    medianDays: {
      firstResponse: median(known(items.map((i) => i.days.toFirstResponse))),
      decision: median(known(items.map((i) => i.days.toDecision))),
      reportBack: median(known(items.map((i) => i.days.toReportBack))),
    },
    firstResponse: share(items.map((i) => i.withinTarget.firstResponse)),
    reportBack: share(items.map((i) => i.withinTarget.reportBack)),
    feedbackIds: items.map((i) => i.feedbackId),
    openPastTargetFeedbackIds: late.map((i) => i.feedbackId),
  };
}
