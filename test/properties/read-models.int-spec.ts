import {
  groupDecider,
  partnerDecider,
  partnerStanding,
  seatsHeldAt,
  type GroupCommand,
  type GroupEvent,
  type GroupState,
  type PartnerCommand,
  type PartnerEvent,
  type PartnerState,
} from '@app/domain';
import {
  createLedgerProjections,
  GovernanceQueries,
  openReadStore,
  ProjectionRunner,
} from '@app/projections';
import type Database from 'better-sqlite3';
import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { InMemoryEventStore } from '../support/in-memory-event-store.js';
import { dumpReadModels } from '../support/read-model-dump.js';

const GROUPS = ['board', 'informatics', 'finance'];
const PARTNERS = ['p1', 'p2', 'p3', 'p4', 'p5'];
const NOW = '2026-01-01T00:00:00.000Z';
const day = (n: number) => new Date(Date.UTC(2014, 0, 1) + n * 86_400_000).toISOString();

type Step =
  | { kind: 'allocate'; group: number; partner: number; day: number }
  | { kind: 'vacate'; group: number; seat: number; day: number }
  | { kind: 'coChair'; group: number; partner: number; day: number }
  | { kind: 'standDown'; group: number; partner: number; day: number }
  | { kind: 'withdraw'; partner: number; day: number }
  | { kind: 'dissolve'; group: number; day: number }
  // Feedback, decisions citing it and expense claims: the reports kept per event.
  | { kind: 'hear'; item: number; holder: number; day: number }
  | { kind: 'respond'; item: number; outcome: number; day: number }
  | { kind: 'reportBack'; item: number; day: number }
  | { kind: 'decide'; group: number; items: number[]; day: number }
  | { kind: 'claim'; partner: number; claim: number; day: number }
  | { kind: 'settle'; partner: number; claim: number; reimbursed: boolean; day: number };

const OUTCOMES = ['adopted', 'adapted', 'not-adopted', 'noted'];

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('allocate' as const),
      group: fc.nat(2),
      partner: fc.nat(4),
      day: fc.nat(364),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('vacate' as const),
      group: fc.nat(2),
      seat: fc.nat(20),
      day: fc.nat(364),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('coChair' as const),
      group: fc.nat(2),
      partner: fc.nat(4),
      day: fc.nat(364),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('standDown' as const),
      group: fc.nat(2),
      partner: fc.nat(4),
      day: fc.nat(364),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('withdraw' as const),
      partner: fc.nat(4),
      day: fc.nat(364),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('dissolve' as const),
      group: fc.nat(2),
      day: fc.nat(364),
    }),
  },
);

/** Steps of the reports kept per event, drawn apart so the governance steps stay as many. */
const reportStepArb: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('hear' as const),
      item: fc.nat(5),
      // A group's, a partner's, or no one's (0–2, 3–7, 8).
      holder: fc.nat(8),
      day: fc.nat(364),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('respond' as const),
      item: fc.nat(5),
      outcome: fc.nat(3),
      day: fc.nat(364),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('reportBack' as const),
      item: fc.nat(5),
      day: fc.nat(364),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('decide' as const),
      group: fc.nat(2),
      items: fc.array(fc.nat(5), { maxLength: 3 }),
      day: fc.nat(364),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('claim' as const),
      partner: fc.nat(4),
      claim: fc.nat(3),
      day: fc.nat(364),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('settle' as const),
      partner: fc.nat(4),
      claim: fc.nat(3),
      reimbursed: fc.boolean(),
      day: fc.nat(364),
    }),
  },
);

/** Gaps between recordings: entries are often made late, so recording order ≠ business order. */
const ledgerArb = fc.record({
  steps: fc.array(stepArb, { minLength: 5, maxLength: 40 }),
  reportSteps: fc.array(reportStepArb, { maxLength: 40 }),
  gaps: fc.array(fc.integer({ min: 1, max: 5_000 }), { minLength: 60, maxLength: 60 }),
});

/** Runs random commands through the real deciders; the accepted ones are the ledger. */
function buildLedger({
  steps: governanceSteps,
  reportSteps,
  gaps,
}: {
  steps: Step[];
  reportSteps: Step[];
  gaps: number[];
}) {
  // The two kinds of step interleaved, as the log records them.
  const steps = Array.from(
    { length: Math.max(governanceSteps.length, reportSteps.length) },
    (_, i) => [governanceSteps[i], reportSteps[i]],
  )
    .flat()
    .filter((step): step is Step => step !== undefined);
  const store = new InMemoryEventStore();
  const groups = new Map<string, GroupState>();
  const partners = new Map<string, PartnerState>();
  let clock = Date.UTC(2015, 0, 1);
  let tick = 0;
  const record = (stream: string, events: Array<{ type: string; data: unknown }>) => {
    clock += gaps[tick++ % gaps.length]!;
    store.append(
      stream,
      events.map((e) => ({ id: randomUUID(), type: e.type, data: e.data, metadata: {} })),
      new Date(clock),
    );
  };
  const runGroup = (command: GroupCommand) => {
    const id = command.data.groupId;
    const state = groups.get(id) ?? groupDecider.initialState();
    const partnerId = 'partnerId' in command.data ? command.data.partnerId : null;
    const partner = partnerId ? partners.get(partnerId) : undefined;
    try {
      const events = groupDecider.decide(command, state, {
        now: NOW,
        partner: partner ? partnerStanding(partner) : null,
        parent: null,
      });
      groups.set(
        id,
        events.reduce<GroupState>((s, e) => groupDecider.evolve(s, e as GroupEvent), state),
      );
      record(`group-${id}`, events);
    } catch {
      // refused by a rule: not part of the ledger
    }
  };
  const runPartner = (command: PartnerCommand) => {
    const id = command.data.partnerId;
    const state = partners.get(id) ?? partnerDecider.initialState();
    try {
      const events = partnerDecider.decide(command, state, { now: NOW });
      partners.set(
        id,
        events.reduce<PartnerState>((s, e) => partnerDecider.evolve(s, e as PartnerEvent), state),
      );
      record(`partner-${id}`, events);
    } catch {
      // refused
    }
  };

  for (const groupId of GROUPS) {
    runGroup({
      type: 'EstablishGroup',
      data: {
        groupId,
        name: groupId,
        kind: 'workstream',
        level: 'programme',
        parentGroupId: null,
        borough: null,
        cadence: 'monthly',
        laySeats: { min: 1, max: 2 },
        coChairConstituencies: ['lay'],
        occurredAt: day(0),
      },
    });
  }
  for (const partnerId of PARTNERS) {
    runPartner({
      type: 'NominatePartner',
      data: {
        partnerId,
        name: partnerId,
        nominatedBy: { organisation: 'Healthwatch', organisationKind: 'healthwatch' },
        occurredAt: day(0),
      },
    });
    runPartner({
      type: 'AppointPartner',
      data: { partnerId, body: 'advisory-group', occurredAt: day(0) },
    });
  }
  let seatCount = 0;
  let factCount = 0;
  for (const step of steps) {
    const at = day(step.day);
    switch (step.kind) {
      case 'allocate':
        runGroup({
          type: 'AllocateSeat',
          data: {
            groupId: GROUPS[step.group]!,
            seatId: `s${seatCount++}`,
            partnerId: PARTNERS[step.partner]!,
            constituency: 'lay',
            termEndsOn: null,
            occurredAt: at,
          },
        });
        break;
      case 'vacate':
        runGroup({
          type: 'VacateSeat',
          data: {
            groupId: GROUPS[step.group]!,
            seatId: `s${step.seat}`,
            reason: 'left',
            occurredAt: at,
          },
        });
        break;
      case 'coChair':
        runGroup({
          type: 'AppointCoChair',
          data: {
            groupId: GROUPS[step.group]!,
            partnerId: PARTNERS[step.partner]!,
            constituency: 'lay',
            occurredAt: at,
          },
        });
        break;
      case 'standDown':
        runGroup({
          type: 'StandDownCoChair',
          data: {
            groupId: GROUPS[step.group]!,
            partnerId: PARTNERS[step.partner]!,
            reason: 'term ended',
            occurredAt: at,
          },
        });
        break;
      case 'withdraw':
        runPartner({
          type: 'Withdraw',
          data: { partnerId: PARTNERS[step.partner]!, reason: 'time-commitment', occurredAt: at },
        });
        break;
      case 'dissolve':
        runGroup({
          type: 'DissolveGroup',
          data: { groupId: GROUPS[step.group]!, reason: 'work done', occurredAt: at },
        });
        break;
      case 'hear':
        record(`feedback-fb${step.item}`, [
          {
            type: 'FeedbackHeard',
            data: {
              feedbackId: `fb${step.item}`,
              channel: step.holder % 2 === 0 ? 'forum' : 'survey',
              kind: 'idea',
              summary: 'an idea',
              groupId: GROUPS[step.holder] ?? null,
              raisedBy: PARTNERS[step.holder - 3] ?? null,
              occurredAt: at,
            },
          },
        ]);
        break;
      case 'respond':
        record(`feedback-fb${step.item}`, [
          {
            type: 'FeedbackResponded',
            data: {
              feedbackId: `fb${step.item}`,
              responseId: `r${factCount++}`,
              outcome: OUTCOMES[step.outcome]!,
              rationale: null,
              decisionId: null,
              respondedBy: 'board',
              occurredAt: at,
            },
          },
        ]);
        break;
      case 'reportBack':
        record(`feedback-fb${step.item}`, [
          {
            type: 'FeedbackReportedBack',
            data: { feedbackId: `fb${step.item}`, how: 'newsletter', occurredAt: at },
          },
        ]);
        break;
      case 'decide':
        record(`decisions-${GROUPS[step.group]!}`, [
          {
            type: 'DecisionRecorded',
            data: {
              groupId: GROUPS[step.group]!,
              decisionId: `d${factCount++}`,
              summary: 'a decision',
              influencedBy: [...new Set(step.items)].map((i) => `fb${i}`),
              layMembersPresent: [PARTNERS[step.group]!],
              touchstoneVersion: null,
              meetingId: null,
              occurredAt: at,
            },
          },
        ]);
        break;
      case 'claim':
        record(`expenses-${PARTNERS[step.partner]!}`, [
          {
            type: 'ExpenseClaimed',
            data: {
              partnerId: PARTNERS[step.partner]!,
              claimId: `c${step.claim}`,
              amountPence: 100 * (step.claim + 1),
              category: 'travel',
              incurredOn: at,
              occurredAt: at,
            },
          },
        ]);
        break;
      case 'settle':
        record(`expenses-${PARTNERS[step.partner]!}`, [
          {
            type: step.reimbursed ? 'ExpenseReimbursed' : 'ExpenseRejected',
            data: {
              partnerId: PARTNERS[step.partner]!,
              claimId: `c${step.claim}`,
              ...(step.reimbursed ? {} : { reason: 'no receipt' }),
              occurredAt: at,
            },
          },
        ]);
        break;
    }
  }
  return store;
}

async function incremental(store: InMemoryEventStore): Promise<Database.Database> {
  const db = openReadStore(':memory:');
  const runner = new ProjectionRunner(store, db, createLedgerProjections());
  runner.start();
  await runner.catchUp();
  await runner.stop();
  return db;
}

async function rebuilt(store: InMemoryEventStore): Promise<Database.Database> {
  const db = openReadStore(':memory:');
  await new ProjectionRunner(store, db, createLedgerProjections()).rebuild();
  return db;
}

/** What the generated ledgers exercised, so a vacuous generator cannot pass unnoticed. */
const seen = {
  ledgers: 0,
  vacated: 0,
  coChairs: 0,
  dissolved: 0,
  withdrawn: 0,
  lateEntries: 0,
  knownAtHidesSomething: 0,
  cited: 0,
  settled: 0,
};
function count(store: InMemoryEventStore): void {
  const types = store.all().map((e) => e.type);
  seen.ledgers += 1;
  if (types.includes('SeatVacated')) seen.vacated += 1;
  if (types.includes('CoChairAppointed')) seen.coChairs += 1;
  if (types.includes('GroupDissolved')) seen.dissolved += 1;
  if (types.includes('PartnerWithdrew')) seen.withdrawn += 1;
  if (types.includes('DecisionRecorded') && types.includes('FeedbackResponded')) seen.cited += 1;
  if (types.includes('ExpenseReimbursed') || types.includes('ExpenseRejected')) seen.settled += 1;
  const dates = store.all().map((e) => (e.data as { occurredAt?: string }).occurredAt ?? '');
  if (dates.some((d, i) => i > 0 && d < dates[i - 1]!)) seen.lateEntries += 1;
}

describe('read models, property-based (fast-check)', () => {
  afterAll(() => {
    // Every feature was exercised in a good share of the 400 ledgers.
    expect(seen.ledgers).toBeGreaterThanOrEqual(400);
    for (const key of [
      'vacated',
      'coChairs',
      'dissolved',
      'withdrawn',
      'lateEntries',
      'knownAtHidesSomething',
      'cited',
      'settled',
    ] as const) {
      expect(seen[key]).toBeGreaterThan(seen.ledgers / 20);
    }
  });

  it('built incrementally, event by event, equal a rebuild from the log', async () => {
    await fc.assert(
      fc.asyncProperty(ledgerArb, async (ledger) => {
        const store = buildLedger(ledger);
        count(store);
        const [a, b] = [await incremental(store), await rebuilt(store)];
        expect(dumpReadModels(a)).toBe(dumpReadModels(b));
        a.close();
        b.close();
      }),
      { numRuns: 200 },
    );
  }, 180_000); // 200 ledgers, each built twice

  it('answer "who sat where, as of a date, as known at a time" like a naive fold over the raw events', async () => {
    await fc.assert(
      fc.asyncProperty(
        ledgerArb,
        fc.nat(400),
        fc.double({ min: 0, max: 1, noNaN: true }),
        async (ledger, asOfDay, knownFraction) => {
          const store = buildLedger(ledger);
          const events = store.all();
          const first = events[0]!.recordedAt.getTime();
          const last = events[events.length - 1]!.recordedAt.getTime();
          const knownAt = Math.floor(first + (last - first) * knownFraction);
          const asOf = day(asOfDay);

          // Naive: fold only what had been recorded by knownAt, then read business time from the state.
          const known = events.filter((e) => e.recordedAt.getTime() <= knownAt);
          count(store);
          if (known.length < events.length) seen.knownAtHidesSomething += 1;
          const expected: Record<string, { seats: string[]; coChairs: string[] }> = {};
          for (const groupId of GROUPS) {
            const state = known
              .filter((e) => e.streamId === `group-${groupId}`)
              .reduce<GroupState>(
                (s, e) => groupDecider.evolve(s, { type: e.type, data: e.data } as GroupEvent),
                groupDecider.initialState(),
              );
            const exists =
              state.establishedAt !== null &&
              Date.parse(state.establishedAt) <= Date.parse(asOf) &&
              !(state.dissolvedAt !== null && Date.parse(state.dissolvedAt) <= Date.parse(asOf));
            if (!exists) continue;
            const at = Date.parse(asOf);
            const chairs = state.coChairTerms
              .filter(
                (c) =>
                  Date.parse(c.since) <= at &&
                  (c.stoodDownAt === null || Date.parse(c.stoodDownAt) > at),
              )
              .map((c) => c.partnerId)
              .sort();
            expected[groupId] = {
              seats: seatsHeldAt(state, asOf)
                .map((s) => s.seatId)
                .sort(),
              coChairs: chairs,
            };
          }

          const db = await incremental(store);
          const actual: Record<string, { seats: string[]; coChairs: string[] }> = {};
          for (const group of new GovernanceQueries(db).governance({ asOf, knownAt })) {
            actual[group.groupId] = {
              seats: group.seats.map((s) => s.seatId).sort(),
              coChairs: group.coChairs.map((c) => c.partnerId).sort(),
            };
          }
          db.close();
          expect(actual).toEqual(expected);
        },
      ),
      { numRuns: 200 },
    );
  }, 180_000);
});
