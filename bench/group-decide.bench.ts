import 'reflect-metadata';
import {
  fold,
  groupDecider,
  groupStream,
  ledgerUpcasters,
  partnerStream,
  type GroupCommand,
  type GroupEvent,
} from '@app/domain';
import {
  assembleLedgerEventStore,
  DelegatingEventStore,
  PersonKeyStore,
  SqliteEventStore,
  type AppendOptions,
  type AppendResult,
  type EventStore,
  type NewEvent,
} from '@app/event-store';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DeciderRunner } from '../apps/ledger-api/src/commands/decider-runner.js';
import {
  ExecuteGroupCommand,
  GroupCommandHandler,
} from '../apps/ledger-api/src/groups/group-command.handler.js';
import type { ReadModels } from '../apps/ledger-api/src/infrastructure/read-models.service.js';
import { percentile } from './stats.js';

const NOW = '2030-01-01T00:00:00.000Z';
const day = (n: number) => new Date(Date.UTC(2013, 0, 1) + n * 43_200_000).toISOString();

const partner = (partnerId: string) => ({
  partnerId,
  status: 'appointed' as const,
  kind: 'lay' as const,
  constituency: 'lay' as const,
  joinedAt: day(0),
  appointedAt: day(0),
  withdrawnAt: null,
});

/** A command of the busy group, with the partner standing an allocation needs. */
export interface BusyGroupCommand {
  command: GroupCommand;
  partnerId: string | null;
}

/**
 * A busy group's commands in date order, twelve hours apart: lay seats
 * turning over (12 at most), meetings of the members seated that day and
 * decisions with the lay members present. Endless; every one is accepted.
 */
export function* busyGroupCommands(): Generator<BusyGroupCommand> {
  yield {
    partnerId: null,
    command: {
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
    },
  };
  const open: Array<{ seatId: string; partnerId: string }> = [];
  for (let n = 1; ; n++) {
    const at = day(n);
    if (open.length < 10 || n % 4 === 0) {
      const seat = { seatId: `s${n}`, partnerId: `p${n}` };
      open.push(seat);
      yield {
        partnerId: seat.partnerId,
        command: {
          type: 'AllocateSeat',
          data: { groupId: 'g', ...seat, constituency: 'lay', termEndsOn: null, occurredAt: at },
        },
      };
    } else if (n % 4 === 1 && open.length > 10) {
      const seat = open.shift()!;
      yield {
        partnerId: null,
        command: {
          type: 'VacateSeat',
          data: { groupId: 'g', seatId: seat.seatId, reason: 'term-ended', occurredAt: at },
        },
      };
    } else if (n % 4 === 2) {
      yield {
        partnerId: null,
        command: {
          type: 'HoldMeeting',
          data: {
            groupId: 'g',
            meetingId: `m${n}`,
            attendees: open.slice(0, 6).map((s) => s.partnerId),
            apologies: [],
            durationMinutes: 90,
            occurredAt: at,
          },
        },
      };
    } else {
      yield {
        partnerId: null,
        command: {
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
        },
      };
    }
  }
}

/** A busy group's history (see busyGroupCommands), made by the decider itself. */
export function busyGroup(size: number): GroupEvent[] {
  const events: GroupEvent[] = [];
  let state = groupDecider.initialState();
  for (const { command, partnerId } of busyGroupCommands()) {
    if (events.length >= size) break;
    const context = partnerId === null ? {} : { partner: partner(partnerId) };
    const emitted = groupDecider.decide(command, state, { now: NOW, ...context });
    for (const event of emitted) state = groupDecider.evolve(state, event);
    events.push(...emitted);
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

/** Notes when the store is last asked to append: the command has been decided (again, after a conflict). */
class DecisionClock extends DelegatingEventStore {
  decidedAt = 0;

  override appendToStream(
    streamId: string,
    events: readonly NewEvent[],
    options?: AppendOptions,
  ): Promise<AppendResult> {
    this.decidedAt = performance.now();
    return super.appendToStream(streamId, events, options);
  }
}

const meta = (commandId = randomUUID()) => ({
  commandId,
  correlationId: randomUUID(),
  causationId: commandId,
  actor: 'bench',
});

export interface GroupCommandResult {
  /** Events on the group stream before the timed commands. */
  events: number;
  commands: number;
  /** Median time from the command handed to the handler until the store is asked to append. */
  decideMs: number;
  decideP99Ms: number;
  /** Median decision of the heaviest kind: AllocateSeat loads the partner and checks every lay term. */
  allocateSeatDecideMs: number;
  /** Median of the whole command, its durable append included. */
  commandMs: number;
  /** The first command of a process that has not seen the stream: one read and fold of it all. */
  coldDecideMs: number;
  /** Median decision after another process appended to the group: only its events are read. */
  afterOtherWriterDecideMs: number;
}

/**
 * Commands on a group stream of `size` events, through the app's own group
 * handler and command runner on the ledger's store stack (SQLite, WAL,
 * synchronous=FULL; encryption, upcasting, hash chain), on a fresh file.
 */
export async function groupCommandScenario(
  size = 5_000,
  commands = 300,
): Promise<GroupCommandResult> {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-bench-decide-'));
  const adapter = new SqliteEventStore({ path: join(dir, 'events.sqlite') });
  const keys = new PersonKeyStore(join(dir, 'keys.sqlite'));
  const upcasters = ledgerUpcasters();
  const { store } = assembleLedgerEventStore({ adapter, keys, upcasters });
  // The group has no programme and the ledger none: its role profiles are none.
  const readModels = { programmeIds: async () => [] } as unknown as ReadModels;
  const clock = new DecisionClock(store);
  const handlerWith = (events: EventStore) =>
    new GroupCommandHandler(new DeciderRunner(events, upcasters), readModels);
  try {
    const script = busyGroupCommands();
    const seatPartner = async (partnerId: string) => {
      const at = day(0);
      await store.appendToStream(
        partnerStream(partnerId),
        [
          {
            id: randomUUID(),
            type: 'PartnerNominated',
            data: {
              partnerId,
              name: `Partner ${partnerId}`,
              nominatedBy: {
                organisation: 'Bench PPG',
                organisationKind: 'patient-participation-group',
              },
              programmeId: null,
              occurredAt: at,
            },
            metadata: meta(),
          },
          {
            id: randomUUID(),
            type: 'PartnerAppointed',
            data: { partnerId, body: 'advisory-group', occurredAt: at },
            metadata: meta(),
          },
        ],
        { expectedRevision: 'no_stream' },
      );
    };
    // The history, decided as the handler would and appended in one go.
    const history: NewEvent[] = [];
    let state = groupDecider.initialState();
    while (history.length < size) {
      const { command, partnerId } = script.next().value as BusyGroupCommand;
      if (partnerId !== null) await seatPartner(partnerId);
      const context = partnerId === null ? {} : { partner: partner(partnerId) };
      const commandId = randomUUID();
      for (const event of groupDecider.decide(command, state, { now: NOW, ...context })) {
        state = groupDecider.evolve(state, event);
        history.push({
          id: randomUUID(),
          type: event.type,
          data: event.data,
          metadata: meta(commandId),
        });
      }
    }
    await store.appendToStream(groupStream('g'), history, { expectedRevision: 'no_stream' });

    const timed = async (handler: GroupCommandHandler) => {
      const { command, partnerId } = script.next().value as BusyGroupCommand;
      if (partnerId !== null) await seatPartner(partnerId);
      clock.decidedAt = 0;
      const started = performance.now();
      await handler.execute(new ExecuteGroupCommand(command, meta()));
      return {
        kind: command.type,
        decideMs: clock.decidedAt - started,
        commandMs: performance.now() - started,
      };
    };
    const handler = handlerWith(clock);
    const cold = await timed(handler);
    const decide: number[] = [];
    const whole: number[] = [];
    const allocations: number[] = [];
    for (let i = 0; i < commands; i++) {
      const run = await timed(handler);
      decide.push(run.decideMs);
      whole.push(run.commandMs);
      if (run.kind === 'AllocateSeat') allocations.push(run.decideMs);
    }
    // Another process (a second runner on the same store) appends between this one's commands.
    const other = handlerWith(store);
    const afterOther: number[] = [];
    for (let i = 0; i < Math.min(50, commands); i++) {
      const { command } = script.next().value as BusyGroupCommand;
      if (command.type === 'AllocateSeat') await seatPartner(command.data.partnerId);
      await other.execute(new ExecuteGroupCommand(command, meta()));
      afterOther.push((await timed(handler)).decideMs);
    }
    const sorted = [...decide].sort((a, b) => a - b);
    return {
      events: history.length,
      commands,
      decideMs: round(median(decide)),
      decideP99Ms: round(percentile(sorted, 99)),
      allocateSeatDecideMs: round(median(allocations)),
      commandMs: round(median(whole)),
      coldDecideMs: round(cold.decideMs),
      afterOtherWriterDecideMs: round(median(afterOther)),
    };
  } finally {
    await store.close();
    keys.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const round = (ms: number) => Math.round(ms * 1_000) / 1_000;

/**
 * The figures for bench/run.ts: `decide_ms_5000_event_stream` is the median
 * time to decide one command (the handler's context loads included, the
 * durable append not) on a group stream of 5,000 events, over many commands.
 */
export async function groupDecideFigures(quick = false): Promise<Record<string, number>> {
  const result = await groupCommandScenario(5_000, quick ? 150 : 500);
  const folded = groupDecideScenario(5_000, quick ? 500 : 2_000);
  return {
    decide_ms_5000_event_stream: result.decideMs,
    decide_p99_ms_5000_event_stream: result.decideP99Ms,
    decide_ms_5000_event_stream_allocate_seat: result.allocateSeatDecideMs,
    command_ms_5000_event_stream: result.commandMs,
    decide_ms_5000_event_stream_cold: result.coldDecideMs,
    decide_ms_5000_event_stream_after_other_writer: result.afterOtherWriterDecideMs,
    fold_ms_5000_event_stream: round(folded.foldMs),
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(JSON.stringify(groupDecideScenario(), null, 2));
  console.log(JSON.stringify(await groupDecideFigures(process.argv.includes('--quick')), null, 2));
}
