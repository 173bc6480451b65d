import type { CommandClient } from './programme-fixtures.js';
import type { TestLedger } from './test-ledger.js';

/**
 * Request bodies and small set-up helpers for the partner and group route
 * specs (`partners.e2e-spec.ts`, `groups.e2e-spec.ts`).
 */

/** A business date the decider always refuses (`occurred_in_future`). */
export const FUTURE = '2999-01-01';

/** The 201 body of a command: `{id, revision, position}`, plus any generated sub-id. */
export const accepted = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  revision: expect.any(Number) as unknown,
  position: expect.any(Number) as unknown,
  recordedAt: expect.any(String) as unknown,
  ...extra,
});

/** A UUID, as `newId()` generates for ids the client leaves out. */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export const professional = (
  partnerId: string,
  constituency = 'ccg',
  overrides: Record<string, unknown> = {},
) => ({
  partnerId,
  name: `Dr ${partnerId}`,
  email: `${partnerId}@nhs.example`,
  organisation: 'Ealing CCG',
  constituency,
  role: 'Clinical lead',
  occurredAt: '2013-10-01',
  ...overrides,
});

export const expenseClaim = (overrides: Record<string, unknown> = {}) => ({
  amountPence: 1240,
  category: 'travel',
  incurredOn: '2014-02-17',
  occurredAt: '2014-02-21',
  ...overrides,
});

export const seat = (
  partnerId: string,
  constituency: string,
  occurredAt: string,
  overrides: Record<string, unknown> = {},
) => ({ partnerId, constituency, occurredAt, ...overrides });

export const meeting = (attendees: string[], overrides: Record<string, unknown> = {}) => ({
  attendees,
  durationMinutes: 120,
  occurredAt: '2014-03-10',
  ...overrides,
});

export const decision = (overrides: Record<string, unknown> = {}) => ({
  summary: 'Send papers to lay partners a week before each meeting',
  occurredAt: '2014-03-10',
  ...overrides,
});

/** A group with the board's shape under another id (no parent, lay and CCG co-chairs). */
export const board = (groupId: string, overrides: Record<string, unknown> = {}) => ({
  groupId,
  name: `Board ${groupId}`,
  kind: 'programme-board',
  level: 'programme',
  cadence: 'monthly',
  laySeats: { min: 1, max: 4 },
  coChairConstituencies: ['lay', 'ccg'],
  occurredAt: '2013-10-01',
  ...overrides,
});

/** Nominates a lay partner and, unless `appointedAt` is null, appoints them to the Advisory Group. */
export async function layPartner(
  client: CommandClient,
  partnerId: string,
  { nominatedAt = '2013-11-15', appointedAt = '2013-12-01' as string | null } = {},
): Promise<void> {
  await client
    .post('/v1/partners/nominations', {
      partnerId,
      name: `${partnerId} Example`,
      nominatedBy: { organisation: 'Healthwatch Ealing', organisationKind: 'healthwatch' },
      occurredAt: nominatedAt,
    })
    .expect(201);
  if (appointedAt !== null) {
    await client
      .post(`/v1/partners/${partnerId}/appointment`, {
        body: 'advisory-group',
        occurredAt: appointedAt,
      })
      .expect(201);
  }
}

export interface TenureRow {
  seatId: string;
  role: string;
  partnerId: string;
  constituency: string;
  from: string;
  to: string | null;
  endReason: string | null;
}

/** The group's tenures once the read models (and the sagas before them) reached `position`. */
export async function tenuresOf(
  ledger: TestLedger,
  groupId: string,
  position: number | bigint | null,
): Promise<TenureRow[]> {
  const response = await ledger
    .http()
    .get(`/v1/groups/${groupId}/tenures`)
    .query(position === null ? {} : { minPosition: String(position) })
    .expect(200);
  return (response.body as { tenures: TenureRow[] }).tenures;
}

interface OpenApiDocument {
  paths: Record<
    string,
    {
      post?: {
        description?: string;
        responses: Record<string, { description?: string } | undefined>;
        requestBody?: { content: Record<string, { schema: { $ref?: string } }> };
      };
    }
  >;
  components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
}

/** Asserts each path is documented with a `post`, every error status and an existing request schema. */
export async function expectDocumentedCommands(
  ledger: TestLedger,
  paths: readonly string[],
): Promise<OpenApiDocument> {
  const doc = (await ledger.http().get('/docs-json').expect(200)).body as OpenApiDocument;
  for (const path of paths) {
    const post = doc.paths[path]?.post;
    expect({ path, responses: Object.keys(post?.responses ?? {}) }).toEqual({
      path,
      responses: expect.arrayContaining(['201', '400', '409', '422']),
    });
    const ref = post?.requestBody?.content['application/json']?.schema.$ref ?? '';
    const schema = ref.replace('#/components/schemas/', '');
    expect({ path, schema: doc.components.schemas[schema] === undefined }).toEqual({
      path,
      schema: false,
    });
  }
  return doc;
}
