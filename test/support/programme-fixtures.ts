import type { GroupCommand } from '@app/domain';
import { EVENT_STORE, type EventStore } from '@app/event-store';
import { CommandBus } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import type { Test } from 'supertest';
import type { CommandResult } from '../../apps/ledger-api/src/commands/command-metadata.js';
import { ExecuteGroupCommand } from '../../apps/ledger-api/src/groups/group-command.handler.js';
import { SagaRunner } from '../../apps/ledger-api/src/sagas/saga-runner.js';
import type { TestLedger } from './test-ledger.js';

/** Request helpers for the programme, feedback and election e2e specs. */
export interface CommandClient {
  post(path: string, body: unknown, headers?: Record<string, string>): Test;
  /**
   * Asserts the request is refused with `status`/`code`, the body is exactly
   * `{code, message, details}`, and nothing was appended to the store.
   */
  refused(request: () => Test, status: number, code: string): Promise<RefusalBody>;
  /** The head of `$all`, once every saga has reacted to everything before it. */
  settledHead(): Promise<bigint | null>;
  store(): EventStore;
}

export interface RefusalBody {
  code: string;
  message: string;
  details: Record<string, unknown>;
}

const json = { 'content-type': 'application/json' };

/** Field names listed by a 400 `validation_failed` body. */
export const fieldsOf = (body: RefusalBody): string[] =>
  (body.details as { fields: Array<{ field: string }> }).fields.map((f) => f.field);

export function commandClient(ledger: () => TestLedger): CommandClient {
  const store = () => ledger().app.get<EventStore>(EVENT_STORE);
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    ledger()
      .http()
      .post(path)
      .set({ ...json, ...headers })
      .send(body as object);

  // Sagas (e.g. an election result installing a co-chair) append after the command that
  // caused them: wait for them on positions, so that "nothing appended" is about this request.
  const settledHead = async (): Promise<bigint | null> => {
    const sagas = ledger().app.get(SagaRunner);
    for (;;) {
      const head = await store().headPosition();
      if (head === null) return null;
      await sagas.waitFor(head);
      if ((await store().headPosition()) === head) return head;
    }
  };

  const refused = async (
    request: () => Test,
    status: number,
    code: string,
  ): Promise<RefusalBody> => {
    const before = await settledHead();
    const response = await request();
    expect({ status: response.status, code: response.body.code }).toEqual({ status, code });
    expect(Object.keys(response.body).sort()).toEqual(['code', 'details', 'message']);
    expect(await store().headPosition()).toBe(before);
    return response.body as RefusalBody;
  };

  return { post, refused, settledHead, store };
}

/**
 * A group command issued as the programme office would, for facts that no HTTP
 * route records yet (dissolving a group, recording a decision).
 */
export function groupCommand(ledger: TestLedger, command: GroupCommand): Promise<CommandResult> {
  return ledger.app.get(CommandBus).execute(
    new ExecuteGroupCommand(command, {
      commandId: randomUUID(),
      correlationId: randomUUID(),
      causationId: randomUUID(),
      actor: 'programme-office',
    }),
  );
}

// --- Request bodies, after the NWL Whole Systems Integrated Care programme (2013–2016) ---

export const launchProgramme = (programmeId: string, overrides: Record<string, unknown> = {}) => ({
  programmeId,
  name: 'Whole Systems Integrated Care',
  boroughs: ['Brent', 'Ealing', 'Harrow', 'Hillingdon'],
  occurredAt: '2013-01-15',
  ...overrides,
});

export const roleProfile = (overrides: Record<string, unknown> = {}) => ({
  meetingsPerMonth: 2,
  hoursPerMonth: 8,
  paid: false,
  expensesReimbursed: true,
  summary: 'About eight hours of meetings a month plus reading; unpaid; expenses reimbursed',
  occurredAt: '2013-04-01',
  ...overrides,
});

export const nominationRequest = (overrides: Record<string, unknown> = {}) => ({
  campaign: '2013-design-phase',
  organisations: [
    { name: 'Healthwatch Brent', kind: 'healthwatch' },
    { name: 'Ealing CCG', kind: 'ccg' },
    { name: 'Age UK Harrow', kind: 'charity' },
  ],
  occurredAt: '2013-05-01',
  ...overrides,
});

export const recruitmentWorkshop = (overrides: Record<string, unknown> = {}) => ({
  attendees: 40,
  campaign: '2013-design-phase',
  occurredAt: '2013-06-20',
  ...overrides,
});

export const principles = (overrides: Record<string, unknown> = {}) => ({
  version: 1,
  statements: [
    'I am treated as an equal partner',
    'I can see what difference my contribution made',
  ],
  adoptedBy: 'programme-board',
  occurredAt: '2013-10-15',
  ...overrides,
});

export const feedbackHeard = (overrides: Record<string, unknown> = {}) => ({
  channel: 'forum',
  kind: 'challenge',
  summary: 'Lay partners receive papers too late to read them before meetings',
  occurredAt: '2014-02-01',
  ...overrides,
});

export const feedbackResponse = (overrides: Record<string, unknown> = {}) => ({
  outcome: 'adopted',
  respondedBy: 'programme-board',
  occurredAt: '2014-03-01',
  ...overrides,
});

export const coChairElection = (overrides: Record<string, unknown> = {}) => ({
  constituency: 'lay',
  electorate: ['ann', 'bob', 'cat'],
  occurredAt: '2014-10-01',
  ...overrides,
});
