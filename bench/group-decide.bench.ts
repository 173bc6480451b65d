import { fold, groupDecider, type GroupCommand, type GroupEvent } from '@app/domain';
import { pathToFileURL } from 'node:url';
import { percentile } from './stats.js';

const NOW = '2030-01-01T00:00:00.000Z';
const day = (n: number) => new Date(Date.UTC(2013, 0, 1) + n * 86_400_000).toISOString();

const partner = (partnerId: string) => ({
  partnerId,
  status: 'appointed' as const,
  kind: 'lay' as const,
  constituency: 'lay' as const,
  joinedAt: day(0),
  appointedAt: day(0),
  withdrawnAt: null,
});

/**
 * A busy group's history, made by the decider itself in date order: lay
 * seats turning over (12 at most), meetings of the members seated that day
 * and decisions with the lay members present, one business day apart.
 */
export function busyGroup(size: number): GroupEvent[] {
  const events: GroupEvent[] = [];
  let state = groupDecider.initialState();
  const apply = (command: GroupCommand, context = {}) => {
    const emitted = groupDecider.decide(command, state, { now: NOW, ...context });
    for (const event of emitted) state = groupDecider.evolve(state, event);
    events.push(...emitted);
  };
  apply({
    type: 'EstablishGroup',
    data: {
      groupId: 'g',
      name: 'Busy group',
      kind: 'workstream',
      level: 'programme',
      parentGroupId: null,
      borough: null,
      cadence: 'weekly',
      laySeats: { min: 2, max: 12 },
      coChairConstituencies: ['lay'],
      occurredAt: day(0),
    },
  });
  const open: Array<{ seatId: string; partnerId: string }> = [];
  for (let n = 1; events.length < size; n++) {
    const at = day(n);
    if (open.length < 10 || n % 4 === 0) {
      const seat = { seatId: `s${n}`, partnerId: `p${n}` };
      apply(
        {
          type: 'AllocateSeat',
          data: { groupId: 'g', ...seat, constituency: 'lay', termEndsOn: null, occurredAt: at },
        },
        { partner: partner(seat.partnerId) },
      );
      open.push(seat);
    } else if (n % 4 === 1 && open.length > 10) {
      const seat = open.shift()!;
      apply({
        type: 'VacateSeat',
        data: { groupId: 'g', seatId: seat.seatId, reason: 'term-ended', occurredAt: at },
      });
    } else if (n % 4 === 2) {
      apply({
        type: 'HoldMeeting',
        data: {
          groupId: 'g',
          meetingId: `m${n}`,
          attendees: open.slice(0, 6).map((s) => s.partnerId),
          apologies: [],
          durationMinutes: 90,
          occurredAt: at,
        },
      });
    } else {
      apply({
        type: 'RecordDecision',
        data: {
          groupId: 'g',
          decisionId: `d${n}`,
          summary: 'A decision',
          influencedBy: [],
          layMembersPresent: open.slice(0, 3).map((s) => s.partnerId),
          touchstoneVersion: null,
          occurredAt: at,
        },
      });
    }
  }
  return events;
}

function median(samples: number[]): number {
  return percentile(
    [...samples].sort((a, b) => a - b),
    50,
  );
}

/** Time to fold the history, and to decide one AllocateSeat on the folded state. */
export function groupDecideScenario(size = 5_000, runs = 2_000) {
  const events = busyGroup(size);
  const foldMs: number[] = [];
  let state = fold(groupDecider, events);
  for (let i = 0; i < 20; i++) {
    const started = performance.now();
    state = fold(groupDecider, events);
    foldMs.push(performance.now() - started);
  }
  const decide = (occurredAt: string) => {
    const samples: number[] = [];
    for (let i = 0; i < runs; i++) {
      const started = performance.now();
      try {
        groupDecider.decide(
          {
            type: 'AllocateSeat',
            data: {
              groupId: 'g',
              seatId: `new-${i}`,
              partnerId: 'p-new',
              constituency: 'lay',
              termEndsOn: null,
              occurredAt,
            },
          },
          state,
          { now: NOW, partner: partner('p-new') },
        );
      } catch {
        // A refusal costs the same checks; the figure is the time to decide either way.
      }
      samples.push(performance.now() - started);
    }
    return median(samples);
  };
  return {
    events: events.length,
    foldMs: median(foldMs),
    decideTodayMs: decide(NOW),
    decideBackdatedMs: decide(day(30)),
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(JSON.stringify(groupDecideScenario(), null, 2));
}
