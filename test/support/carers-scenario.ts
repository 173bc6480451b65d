import { readScenario, type Scenario } from '../../demo/load-demo.mjs';

export const CARERS = 'camden-carers';
const day = (date: string) => `${date}T00:00:00.000Z`;

/** A second, small programme: its own boroughs, board, partners, meetings, feedback and claims. */
export function carersScenario(): Scenario {
  const steps: Scenario['steps'] = [];
  const step = (description: string, path: string, body: Record<string, unknown>) =>
    steps.push({ description, method: 'POST', path, body });
  step('Camden carers programme launched', '/v1/programmes', {
    programmeId: CARERS,
    name: 'Camden and Islington Carers Partnership',
    boroughs: ['Camden', 'Islington'],
    occurredAt: day('2013-11-01'),
  });
  step('Carers board', '/v1/groups', {
    groupId: 'cc-board',
    programmeId: CARERS,
    name: 'Carers Partnership Board',
    kind: 'programme-board',
    level: 'programme',
    parentGroupId: null,
    cadence: 'monthly',
    laySeats: { min: 2, max: 3 },
    coChairConstituencies: ['lay', 'local-authority'],
    occurredAt: day('2013-11-05'),
  });
  step('Camden locality group (inherits the programme)', '/v1/groups', {
    groupId: 'cc-camden',
    name: 'Camden Carers Group',
    kind: 'workstream',
    level: 'borough',
    borough: 'Camden',
    parentGroupId: 'cc-board',
    cadence: 'quarterly',
    laySeats: { min: 1, max: 2 },
    coChairConstituencies: [],
    occurredAt: day('2013-11-06'),
  });
  step('Council lead registered', '/v1/partners', {
    partnerId: 'cc-la-lead',
    name: 'Priya Council',
    organisation: 'Camden Council',
    constituency: 'local-authority',
    role: 'Head of carers services',
    programmeId: CARERS,
    occurredAt: day('2013-11-05'),
  });
  step('Council lead seated', '/v1/groups/cc-board/seats', {
    seatId: 'cc-board-la',
    partnerId: 'cc-la-lead',
    constituency: 'local-authority',
    occurredAt: day('2013-11-05'),
  });
  const carers = ['cc-01', 'cc-02', 'cc-03', 'cc-04'];
  carers.forEach((partnerId, i) =>
    step(`${partnerId} nominated`, '/v1/partners/nominations', {
      partnerId,
      name: `Carer ${i + 1}`,
      nominatedBy: { organisation: 'Camden Carers Centre', organisationKind: 'charity' },
      campaign: 'carers-2013',
      programmeId: CARERS,
      occurredAt: day('2013-11-10'),
    }),
  );
  for (const partnerId of carers.slice(0, 3)) {
    step(`${partnerId} interested`, `/v1/partners/${partnerId}/interest`, {
      occurredAt: day('2013-11-20'),
    });
    step(`${partnerId} appointed`, `/v1/partners/${partnerId}/appointment`, {
      body: 'advisory-group',
      occurredAt: day('2013-12-01'),
    });
  }
  step('cc-04 withdraws', '/v1/partners/cc-04/withdrawal', {
    reason: 'health',
    occurredAt: day('2013-11-25'),
  });
  for (const [groupId, partnerId] of [
    ['cc-board', 'cc-01'],
    ['cc-board', 'cc-02'],
    ['cc-camden', 'cc-03'],
  ] as const)
    step(`${partnerId} seated on ${groupId}`, `/v1/groups/${groupId}/seats`, {
      seatId: `${groupId}-${partnerId}`,
      partnerId,
      constituency: 'lay',
      occurredAt: day('2013-12-02'),
    });
  step('Board meeting', '/v1/groups/cc-board/meetings', {
    meetingId: 'cc-board-m1',
    attendees: ['cc-la-lead', 'cc-01'],
    apologies: ['cc-02'],
    durationMinutes: 90,
    occurredAt: day('2014-01-15'),
  });
  step('Feedback heard', '/v1/feedback', {
    feedbackId: 'cc-fb-respite',
    channel: 'advisory-group',
    kind: 'idea',
    summary: 'Respite breaks should be bookable online',
    groupId: 'cc-board',
    raisedBy: 'cc-01',
    occurredAt: day('2014-01-15'),
  });
  step('Decision citing it', '/v1/groups/cc-board/decisions', {
    decisionId: 'cc-dec-respite',
    summary: 'Online booking for respite breaks',
    influencedBy: ['cc-fb-respite'],
    layMembersPresent: ['cc-01'],
    touchstoneVersion: null,
    occurredAt: day('2014-01-15'),
  });
  step('Expense claimed', '/v1/partners/cc-01/expenses', {
    claimId: 'cc-claim-1',
    amountPence: 860,
    category: 'travel',
    incurredOn: day('2014-01-15'),
    occurredAt: day('2014-01-20'),
  });
  step('Expense reimbursed', '/v1/partners/cc-01/expenses/cc-claim-1/reimbursement', {
    occurredAt: day('2014-02-01'),
  });
  return { ...readScenario(), name: 'carers', steps };
}
