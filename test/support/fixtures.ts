/** Request bodies for the NWL programme's structure, reused across e2e tests. */
export const programmeBoard = (overrides: Record<string, unknown> = {}) => ({
  groupId: 'programme-board',
  name: 'Programme Board',
  kind: 'programme-board',
  level: 'programme',
  cadence: 'monthly',
  laySeats: { min: 2, max: 2 },
  coChairConstituencies: ['lay', 'ccg'],
  occurredAt: '2013-10-01',
  ...overrides,
});

export const workstream = (
  groupId: string,
  name: string,
  overrides: Record<string, unknown> = {},
) => ({
  groupId,
  name,
  kind: 'workstream',
  level: 'programme',
  parentGroupId: 'programme-board',
  cadence: 'fortnightly',
  laySeats: { min: 2, max: 2 },
  coChairConstituencies: ['lay', 'ccg'],
  occurredAt: '2013-11-01',
  ...overrides,
});

export const nomination = (
  partnerId: string,
  name: string,
  overrides: Record<string, unknown> = {},
) => ({
  partnerId,
  name,
  email: `${partnerId}@example.org`,
  nominatedBy: { organisation: 'Healthwatch Ealing', organisationKind: 'healthwatch' },
  campaign: '2013-design-phase',
  occurredAt: '2013-11-15',
  ...overrides,
});
