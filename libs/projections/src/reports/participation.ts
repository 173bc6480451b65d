/**
 * The participation report's sums, and the one function that counts a
 * meeting into them: the reports projection calls it per meeting as events
 * arrive (the report "now", kept per group and per partner and group), and
 * the report as of another time point calls it per meeting known then.
 */

import type { TimePoint } from '../governance/governance.queries.js';

/** The latest business and record time (and position) the kept sums have folded in. */
export interface TallyHorizon {
  occurred_max: string;
  recorded_max: number;
  position_max: number;
}

/** Whether a time point sees everything the kept sums hold (none kept yet: nothing to miss). */
export const seesAll = (horizon: TallyHorizon | undefined, at: TimePoint): boolean =>
  horizon === undefined || (horizon.occurred_max <= at.asOf && horizon.recorded_max <= at.knownAt);

/** A group's meetings held and their minutes. */
export interface GroupTally {
  meetings: number;
  minutes: number;
}

/** One partner on one group: meetings while seated, attended, apologies, missed, minutes by month. */
export interface PairTally {
  seated: number;
  attended: number;
  apologies: number;
  missed: number;
  minutes: number;
  /** Minutes of meetings attended, by YYYY-MM. */
  months: Record<string, number>;
}

export const emptyPair = (): PairTally => ({
  seated: 0,
  attended: 0,
  apologies: 0,
  missed: 0,
  minutes: 0,
  months: {},
});

export const isEmptyPair = (t: PairTally): boolean =>
  t.seated === 0 && t.attended === 0 && t.apologies === 0 && t.missed === 0;

/**
 * Counts one meeting for each partner it names: those seated on its date and
 * those whose presence (attended, apologies) is on record; a seated partner
 * with neither missed it. `pair` gives the partner's tally on the meeting's group.
 */
export function countMeeting(
  meeting: { held_at: string; duration_minutes: number },
  seated: ReadonlySet<string>,
  present: ReadonlyMap<string, string>,
  pair: (partnerId: string) => PairTally,
): void {
  const named = new Set(seated);
  for (const partnerId of present.keys()) named.add(partnerId);
  for (const partnerId of named) {
    const t = pair(partnerId);
    if (seated.has(partnerId)) t.seated += 1;
    const was = present.get(partnerId);
    if (was === 'attended') {
      t.attended += 1;
      t.minutes += meeting.duration_minutes;
      const month = meeting.held_at.slice(0, 7);
      t.months[month] = (t.months[month] ?? 0) + meeting.duration_minutes;
    } else if (was === 'apologies') t.apologies += 1;
    else t.missed += 1;
  }
}

/** Minutes as hours, to two places (rounded once, from the exact sum). */
export const hoursOf = (minutes: number): number => Math.round((minutes / 60) * 100) / 100;
