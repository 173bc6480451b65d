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

export interface ParticipationTallies {
  groupTallies: Map<string, GroupTally>;
  pairs: Array<{ groupId: string; partnerId: string; tally: PairTally }>;
}

export interface MeetingRow {
  group_id: string;
  meeting_id: string;
  duration_minutes: number;
  held_at: string;
}
export interface AttendanceRow {
  group_id: string;
  meeting_id: string;
  partner_id: string;
  presence: string;
}
export interface SeatRow {
  group_id: string;
  partner_id: string;
  from_date: string;
  to_date: string | null;
  end_recorded_at: number | null;
}

/**
 * The participation sums of meetings (in group, then date order), their
 * attendance and the seats whose start was known at `knownAt` (an end counts
 * once recorded by then): the report as of a time point, and the kept sums
 * after a rebuild (everything known).
 */
export function foldParticipation(
  meetings: readonly MeetingRow[],
  attendance: readonly AttendanceRow[],
  seats: readonly SeatRow[],
  knownAt: number,
): ParticipationTallies {
  const presence = new Map<string, Map<string, string>>();
  for (const row of attendance) {
    const key = `${row.group_id}\u0000${row.meeting_id}`;
    presence.set(key, (presence.get(key) ?? new Map()).set(row.partner_id, row.presence));
  }
  // Each group's seats by start: meetings come in date order per group, so a sweep
  // keeps the seats begun and not yet (knowingly) ended, not a scan per meeting.
  const seatsByGroup = new Map<string, SeatRow[]>();
  for (const seat of seats) {
    const list = seatsByGroup.get(seat.group_id);
    if (list) list.push(seat);
    else seatsByGroup.set(seat.group_id, [seat]);
  }
  for (const list of seatsByGroup.values())
    list.sort((a, b) => (a.from_date < b.from_date ? -1 : a.from_date > b.from_date ? 1 : 0));
  const endedBy = (s: SeatRow, heldAt: string) =>
    s.to_date !== null && s.to_date <= heldAt && (s.end_recorded_at ?? Infinity) <= knownAt;
  let sweep: { groupId: string; next: number; running: SeatRow[] } | null = null;
  const seatedAt = (groupId: string, heldAt: string): Set<string> => {
    if (sweep?.groupId !== groupId) sweep = { groupId, next: 0, running: [] };
    const seats = seatsByGroup.get(groupId) ?? [];
    while (sweep.next < seats.length && seats[sweep.next]!.from_date <= heldAt)
      sweep.running.push(seats[sweep.next++]!);
    // Ended by this meeting's date: ended for every later one too.
    sweep.running = sweep.running.filter((s) => !endedBy(s, heldAt));
    return new Set(sweep.running.map((s) => s.partner_id));
  };

  const groupTallies = new Map<string, GroupTally>();
  const pairs = new Map<string, ParticipationTallies['pairs'][number]>();
  for (const meeting of meetings) {
    const group = groupTallies.get(meeting.group_id) ?? { meetings: 0, minutes: 0 };
    group.meetings += 1;
    group.minutes += meeting.duration_minutes;
    groupTallies.set(meeting.group_id, group);
    const present =
      presence.get(`${meeting.group_id}\u0000${meeting.meeting_id}`) ?? new Map<string, string>();
    countMeeting(meeting, seatedAt(meeting.group_id, meeting.held_at), present, (partnerId) => {
      const key = `${meeting.group_id}\u0000${partnerId}`;
      let pair = pairs.get(key);
      if (!pair) {
        pair = { groupId: meeting.group_id, partnerId, tally: emptyPair() };
        pairs.set(key, pair);
      }
      return pair.tally;
    });
  }
  return { groupTallies, pairs: [...pairs.values()] };
}
