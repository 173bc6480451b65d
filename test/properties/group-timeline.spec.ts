import {
  DomainError,
  groupDecider,
  type Constituency,
  type GroupCommand,
  type GroupEvent,
  type GroupState,
  type PartnerStanding,
} from '@app/domain';
import fc from 'fast-check';

/**
 * Issue 13: every group rule holds at every instant of business time, with
 * commands arriving in any order of business date (backdated) and past terms
 * given with `until`. After each accepted command an independent checker —
 * a fold over the emitted events' business dates, sharing nothing with the
 * decider — looks at every instant of the timeline for a broken rule.
 */

const DAY = 86_400_000;
const BASE = Date.UTC(2014, 0, 1);
const date = (day: number) => new Date(BASE + day * DAY).toISOString();
const NOW = date(500);
const GROUPS = { g1: { max: 2 }, g2: { max: 3 } } as const;
type GroupId = keyof typeof GROUPS;

interface PartnerSpec {
  id: string;
  standing: PartnerStanding;
}

/** Eight partners: six lay (two of them withdrawn on some day), two CCG professionals. */
const partnersArb = fc
  .tuple(
    fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 8, maxLength: 8 }),
    fc.integer({ min: 120, max: 400 }),
    fc.integer({ min: 60, max: 400 }),
  )
  .map(([appointed, withdrawnA, withdrawnB]): PartnerSpec[] =>
    appointed.map((day, i) => {
      const id = `p${i}`;
      const professional = i >= 6;
      const withdrawnAt = i === 4 ? date(withdrawnA) : i === 5 ? date(withdrawnB) : null;
      return {
        id,
        standing: {
          partnerId: id,
          status: withdrawnAt ? 'withdrawn' : professional ? 'registered' : 'appointed',
          kind: professional ? 'professional' : 'lay',
          constituency: professional ? 'ccg' : 'lay',
          joinedAt: date(0),
          appointedAt: professional ? null : date(day),
          withdrawnAt,
        },
      };
    }),
  );

type Draft =
  | { kind: 'seat'; g: GroupId; seat: number; p: number; from: number; len: number | null }
  | { kind: 'vacate'; g: GroupId; seat: number; at: number }
  | { kind: 'chair'; g: GroupId; p: number; from: number; len: number | null }
  | { kind: 'standDown'; g: GroupId; p: number; at: number }
  | { kind: 'meeting'; g: GroupId; id: number; who: number[]; at: number }
  | { kind: 'decision'; g: GroupId; id: number; who: number[]; at: number }
  /** Aimed at what the group already holds (chosen at run time), so most are plausible. */
  | {
      kind: 'aimed';
      g: GroupId;
      what: 'vacate' | 'chair' | 'standDown' | 'meeting' | 'decision';
      pick: number;
      offset: number;
      len: number | null;
      id: number;
    }
  | { kind: 'dissolve'; g: GroupId; at: number };

const g = fc.constantFrom<GroupId>('g1', 'g2');
const day = fc.integer({ min: 1, max: 420 });
const partner = fc.integer({ min: 0, max: 7 });
const len = fc.option(fc.integer({ min: -5, max: 200 }), { nil: null, freq: 2 });
const who = fc.uniqueArray(partner, { minLength: 1, maxLength: 2 });
const draftArb: fc.Arbitrary<Draft> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('seat' as const),
      g,
      seat: fc.integer({ min: 0, max: 60 }),
      p: partner,
      from: day,
      len,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('vacate' as const),
      g,
      seat: fc.integer({ min: 0, max: 20 }),
      at: day,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('chair' as const), g, p: partner, from: day, len }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('standDown' as const), g, p: partner, at: day }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('meeting' as const),
      g,
      id: fc.integer({ min: 0, max: 30 }),
      who,
      at: day,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('decision' as const),
      g,
      id: fc.integer({ min: 0, max: 30 }),
      who,
      at: day,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('dissolve' as const),
      g,
      at: fc.integer({ min: 250, max: 420 }),
    }),
  },
  {
    weight: 14,
    arbitrary: fc.record({
      kind: fc.constant('aimed' as const),
      g,
      what: fc.constantFrom('vacate', 'chair', 'standDown', 'meeting', 'decision') as fc.Arbitrary<
        'vacate' | 'chair' | 'standDown' | 'meeting' | 'decision'
      >,
      pick: fc.nat(),
      offset: fc.nat({ max: 300 }),
      len,
      id: fc.integer({ min: 0, max: 30 }),
    }),
  },
);

/** Turns an aimed draft into a concrete one, from the checker's own fold of the history. */
function aim(draft: Extract<Draft, { kind: 'aimed' }>, history: GroupEvent[]): Draft | null {
  const { seats, terms } = timeline(history);
  const dayOf = (ms: number) => Math.round((ms - BASE) / DAY);
  const within = (i: Interval) => {
    const from = dayOf(i.from);
    const span = Number.isFinite(i.until) ? Math.max(1, dayOf(i.until) - from) : 420 - from;
    return from + (draft.offset % Math.max(1, span));
  };
  const { g, pick } = draft;
  switch (draft.what) {
    case 'vacate': {
      const open = seats.filter((s) => s.until === Number.POSITIVE_INFINITY);
      const seat = open[pick % Math.max(1, open.length)];
      if (!seat) return null;
      return { kind: 'vacate', g, seat: Number(seat.seatId.split('-s')[1]), at: within(seat) };
    }
    case 'chair': {
      const seat = seats[pick % Math.max(1, seats.length)];
      if (!seat) return null;
      const from = within(seat);
      const room = Number.isFinite(seat.until) ? dayOf(seat.until) - from : null;
      const len =
        room === null ? draft.len : Math.max(1, Math.min(room, Math.abs(draft.len ?? room)));
      return { kind: 'chair', g, p: Number(seat.partnerId.slice(1)), from, len };
    }
    case 'standDown': {
      const open = terms.filter((c) => c.until === Number.POSITIVE_INFINITY);
      const term = open[pick % Math.max(1, open.length)];
      if (!term) return null;
      return { kind: 'standDown', g, p: Number(term.partnerId.slice(1)), at: within(term) };
    }
    case 'meeting':
    case 'decision': {
      const pool = seats.filter((s) => draft.what === 'meeting' || s.constituency === 'lay');
      const seat = pool[pick % Math.max(1, pool.length)];
      if (!seat) return null;
      const at = within(seat);
      const t = BASE + at * DAY;
      const who = pool
        .filter((s) => s.from <= t && t < s.until)
        .map((s) => Number(s.partnerId.slice(1)))
        .slice(0, 1 + (pick % 3));
      return { kind: draft.what, g, id: draft.id, who: [...new Set(who)], at };
    }
  }
}

function toCommand(
  draft: Draft,
  partners: PartnerSpec[],
): { command: GroupCommand; standing?: PartnerStanding } {
  const groupId = draft.g;
  const until = (from: number, length: number | null) =>
    length === null ? null : date(from + length);
  switch (draft.kind) {
    case 'seat': {
      const p = partners[draft.p]!;
      return {
        command: {
          type: 'AllocateSeat',
          data: {
            groupId,
            seatId: `${groupId}-s${draft.seat}`,
            partnerId: p.id,
            constituency: p.standing.constituency,
            termEndsOn: null,
            occurredAt: date(draft.from),
            until: until(draft.from, draft.len),
          },
        },
        standing: p.standing,
      };
    }
    case 'vacate':
      return {
        command: {
          type: 'VacateSeat',
          data: {
            groupId,
            seatId: `${groupId}-s${draft.seat}`,
            reason: 'left',
            occurredAt: date(draft.at),
          },
        },
      };
    case 'chair': {
      const p = partners[draft.p]!;
      return {
        command: {
          type: 'AppointCoChair',
          data: {
            groupId,
            partnerId: p.id,
            constituency: p.standing.constituency,
            occurredAt: date(draft.from),
            until: until(draft.from, draft.len),
          },
        },
      };
    }
    case 'standDown':
      return {
        command: {
          type: 'StandDownCoChair',
          data: {
            groupId,
            partnerId: `p${draft.p}`,
            reason: 'resigned',
            occurredAt: date(draft.at),
          },
        },
      };
    case 'meeting':
      return {
        command: {
          type: 'HoldMeeting',
          data: {
            groupId,
            meetingId: `${groupId}-m${draft.id}`,
            attendees: draft.who.map((i) => `p${i}`),
            apologies: [],
            durationMinutes: 60,
            occurredAt: date(draft.at),
          },
        },
      };
    case 'decision':
      return {
        command: {
          type: 'RecordDecision',
          data: {
            groupId,
            decisionId: `${groupId}-d${draft.id}`,
            summary: 'decided',
            influencedBy: [],
            layMembersPresent: draft.who.map((i) => `p${i}`),
            touchstoneVersion: null,
            meetingId: null,
            occurredAt: date(draft.at),
          },
        },
      };
    case 'aimed':
      throw new Error('aim first');
    case 'dissolve':
      return {
        command: {
          type: 'DissolveGroup',
          data: { groupId, reason: 'closed', occurredAt: date(draft.at) },
        },
      };
  }
}

// ---------------------------------------------------------------------------
// The independent checker: folds events into plain intervals, then tests every
// rule at every instant where anything starts or ends.

interface Interval {
  from: number;
  until: number; // Infinity while open
}
interface SeatRow extends Interval {
  seatId: string;
  partnerId: string;
  constituency: Constituency;
}
interface TermRow extends Interval {
  partnerId: string;
  constituency: Constituency;
  seatId: string;
}

interface Timeline {
  seats: SeatRow[];
  terms: TermRow[];
  points: Array<{ at: number; who: string[]; lay: boolean; what: string }>;
  established: number;
  dissolved: number;
  found: string[];
}

function timeline(events: GroupEvent[]): Timeline {
  const t = (at: string) => new Date(at).getTime();
  const found: string[] = [];
  const seats: SeatRow[] = [];
  const terms: TermRow[] = [];
  const points: Array<{ at: number; who: string[]; lay: boolean; what: string }> = [];
  let established = Number.NaN;
  let dissolved = Number.POSITIVE_INFINITY;
  for (const event of events) {
    const e = event;
    switch (e.type) {
      case 'GroupEstablished':
        established = t(e.data.occurredAt);
        break;
      case 'SeatAllocated':
        if (seats.some((s) => s.seatId === e.data.seatId))
          found.push(`seat id ${e.data.seatId} reused`);
        seats.push({
          seatId: e.data.seatId,
          partnerId: e.data.partnerId,
          constituency: e.data.constituency,
          from: t(e.data.occurredAt),
          until: Number.POSITIVE_INFINITY,
        });
        break;
      case 'SeatVacated': {
        const row = seats.find((s) => s.seatId === e.data.seatId);
        if (!row || row.until !== Number.POSITIVE_INFINITY)
          found.push(`vacated ${e.data.seatId} not open`);
        else row.until = t(e.data.occurredAt);
        break;
      }
      case 'CoChairAppointed':
      case 'CoChairElected':
        terms.push({
          partnerId: e.data.partnerId,
          constituency: e.data.constituency,
          seatId: e.data.seatId,
          from: t(e.data.occurredAt),
          until: Number.POSITIVE_INFINITY,
        });
        break;
      case 'CoChairStoodDown': {
        const open = terms.filter(
          (c) =>
            c.partnerId === e.data.partnerId &&
            c.constituency === e.data.constituency &&
            c.until === Number.POSITIVE_INFINITY,
        );
        const row = open[open.length - 1];
        if (!row) found.push(`stood down ${e.data.partnerId} with no open term`);
        else row.until = t(e.data.occurredAt);
        break;
      }
      case 'MeetingHeld':
        points.push({
          at: t(e.data.occurredAt),
          who: [...e.data.attendees, ...e.data.apologies],
          lay: false,
          what: `meeting ${e.data.meetingId}`,
        });
        break;
      case 'DecisionRecorded':
        points.push({
          at: t(e.data.occurredAt),
          who: e.data.layMembersPresent,
          lay: true,
          what: `decision ${e.data.decisionId}`,
        });
        break;
      case 'GroupDissolved':
        dissolved = t(e.data.occurredAt);
        break;
    }
  }
  return { seats, terms, points, established, dissolved, found };
}

function violations(
  events: GroupEvent[],
  max: number,
  partners: Map<string, PartnerStanding>,
): string[] {
  const t = (at: string) => new Date(at).getTime();
  const { seats, terms, points, established, dissolved, found } = timeline(events);
  const holds = (i: Interval, at: number) => i.from <= at && at < i.until;
  for (const i of [...seats, ...terms]) {
    if (i.until < i.from) found.push(`interval ends before it starts`);
    if (i.from < established) found.push(`interval before establishment`);
    if (i.from >= dissolved || i.until > dissolved) found.push(`interval outlives dissolution`);
  }
  for (const s of seats) {
    const standing = partners.get(s.partnerId)!;
    if (standing.withdrawnAt !== null && s.until > t(standing.withdrawnAt)) {
      found.push(`${s.seatId} held after ${s.partnerId} withdrew`);
    }
    if (
      s.constituency === 'lay' &&
      (standing.appointedAt === null || s.from < t(standing.appointedAt))
    ) {
      found.push(`${s.seatId} lay seat before appointment`);
    }
  }
  for (const p of points) {
    if (p.at < established || p.at >= dissolved) found.push(`${p.what} outside the group's life`);
  }
  const instants = new Set<number>();
  for (const i of [...seats, ...terms]) {
    instants.add(i.from);
    if (Number.isFinite(i.until)) instants.add(i.until);
  }
  for (const p of points) instants.add(p.at);
  for (const at of instants) {
    const held = seats.filter((s) => holds(s, at));
    const lay = held.filter((s) => s.constituency === 'lay').length;
    if (lay > max) found.push(`${lay} lay seats > ${max} at ${new Date(at).toISOString()}`);
    const byPartner = new Map<string, number>();
    for (const s of held) byPartner.set(s.partnerId, (byPartner.get(s.partnerId) ?? 0) + 1);
    for (const [p, n] of byPartner) if (n > 1) found.push(`${p} holds ${n} seats at ${at}`);
    const chairs = terms.filter((c) => holds(c, at));
    for (const c of chairs) {
      if (chairs.filter((o) => o.constituency === c.constituency).length > 1) {
        found.push(`two ${c.constituency} co-chairs at ${at}`);
      }
      if (chairs.filter((o) => o.partnerId === c.partnerId).length > 1) {
        found.push(`${c.partnerId} co-chair twice at ${at}`);
      }
      const seat = held.find((s) => s.seatId === c.seatId && s.partnerId === c.partnerId);
      if (!seat || seat.constituency !== c.constituency) {
        found.push(`co-chair ${c.partnerId} without a ${c.constituency} seat at ${at}`);
      }
    }
    for (const p of points.filter((x) => x.at === at)) {
      for (const id of p.who) {
        if (!held.some((s) => s.partnerId === id && (!p.lay || s.constituency === 'lay'))) {
          found.push(`${p.what}: ${id} not seated`);
        }
      }
    }
  }
  return found;
}

function established(groupId: GroupId): GroupEvent {
  return {
    type: 'GroupEstablished',
    data: {
      groupId,
      name: groupId,
      kind: 'workstream',
      level: 'programme',
      parentGroupId: null,
      borough: null,
      cadence: 'monthly',
      laySeats: { min: 1, max: GROUPS[groupId].max },
      coChairConstituencies: ['lay', 'ccg'],
      programmeId: null,
      occurredAt: date(0),
    },
  };
}

describe('group timeline property', () => {
  it('keeps every rule at every instant, whatever the order of business dates', () => {
    const counts = { accepted: 0, refused: 0, pastTerms: 0, backdated: 0 };
    const refusals = new Map<string, number>();
    fc.assert(
      fc.property(
        partnersArb,
        fc.array(draftArb, { minLength: 10, maxLength: 40 }),
        (partners, drafts) => {
          const standings = new Map(partners.map((p) => [p.id, p.standing]));
          const history: Record<GroupId, GroupEvent[]> = {
            g1: [established('g1')],
            g2: [established('g2')],
          };
          const states: Record<GroupId, GroupState> = {
            g1: groupDecider.evolve(groupDecider.initialState(), history.g1[0]!),
            g2: groupDecider.evolve(groupDecider.initialState(), history.g2[0]!),
          };
          const latest: Record<GroupId, number> = { g1: 0, g2: 0 };
          for (const raw of drafts) {
            const draft = raw.kind === 'aimed' ? aim(raw, history[raw.g]) : raw;
            if (draft === null) continue;
            const { command, standing } = toCommand(draft, partners);
            const groupId = draft.g;
            let events: GroupEvent[];
            try {
              events = groupDecider.decide(command, states[groupId], {
                now: NOW,
                partner: standing,
              });
            } catch (error) {
              // A refusal is a DomainError and appends nothing.
              expect(error).toBeInstanceOf(DomainError);
              counts.refused += 1;
              const code = (error as DomainError).code;
              refusals.set(code, (refusals.get(code) ?? 0) + 1);
              continue;
            }
            expect(events.length).toBeGreaterThan(0);
            counts.accepted += 1;
            const at = new Date(command.data.occurredAt).getTime();
            if (at < latest[groupId]) counts.backdated += 1;
            latest[groupId] = Math.max(latest[groupId], at);
            if ('until' in command.data && command.data.until) counts.pastTerms += 1;
            for (const event of events)
              states[groupId] = groupDecider.evolve(states[groupId], event);
            history[groupId].push(...events);
            const broken = violations(history[groupId], GROUPS[groupId].max, standings);
            if (broken.length > 0) {
              throw new Error(`${command.type} broke: ${broken.join('; ')}`);
            }
          }
        },
      ),
      { numRuns: 600 },
    );
    // A property that mostly refuses would prove little: most commands are accepted,
    // many of them backdated or past terms.
    expect(counts.accepted).toBeGreaterThan(counts.refused / 2);
    expect(counts.backdated).toBeGreaterThan(500);
    expect(counts.pastTerms).toBeGreaterThan(500);
  });
});
