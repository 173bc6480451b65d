import { EVENT_STORE, type EventStore } from '@app/event-store';
import fc from 'fast-check';
import { nomination, programmeBoard } from '../support/fixtures.js';
import { startTestLedger, type TestLedger } from '../support/test-ledger.js';

interface Operation {
  method: 'get' | 'post';
  path: string;
}

/** A value of any JSON shape, with the awkward ones made likely. */
const jsonish = fc.oneof(
  fc.jsonValue(),
  fc.constantFrom(
    null,
    '',
    ' ',
    -1,
    0,
    1e308,
    Number.MAX_SAFE_INTEGER,
    true,
    [],
    {},
    '2999-01-01',
    '2014-02-30',
    'x'.repeat(5_000),
  ),
  fc.dictionary(
    fc.constantFrom(
      '__proto__',
      'constructor',
      'prototype',
      'toString',
      'occurredAt',
      'partnerId',
      'groupId',
    ),
    fc.jsonValue(),
  ),
);

/** Bodies near the real shapes: right keys, wrong or extreme values. */
const bodies = (keys: string[]) =>
  fc.oneof(
    jsonish,
    fc.record(Object.fromEntries(keys.map((key) => [key, jsonish])), { requiredKeys: [] }),
  );

const segment = fc.oneof(
  fc.constantFrom(
    'programme-board',
    'ann',
    'nope',
    '..',
    '%2e%2e',
    'a'.repeat(300),
    '%00',
    '-',
    '_',
    'NaN',
  ),
  fc.string({ minLength: 1, maxLength: 20 }).map(encodeURIComponent),
);

const headers = fc.record(
  {
    'if-match': fc.oneof(
      fc.constantFrom('0', '"1"', '-1', '*', 'W/"2"', '99999999999999999999'),
      fc.string(),
    ),
    'idempotency-key': fc.oneof(fc.string({ maxLength: 300 }), fc.uuid()),
    'x-correlation-id': fc.string({ maxLength: 200 }),
    'content-type': fc.constantFrom(
      'application/json',
      'text/plain',
      'application/x-www-form-urlencoded',
      'application/json; charset=latin1',
    ),
  },
  { requiredKeys: [] },
);

/**
 * Random and malformed bodies, path parameters, query strings and headers
 * for every route in the OpenAPI document: no 5xx, ever, and a refused
 * request appends nothing.
 */
describe('fuzzing every route from the OpenAPI document', () => {
  let ledger: TestLedger;
  let store: EventStore;
  let operations: Array<Operation & { keys: string[] }>;

  beforeAll(async () => {
    ledger = await startTestLedger();
    store = ledger.app.get(EVENT_STORE);
    await ledger
      .http()
      .post('/v1/groups')
      .set('content-type', 'application/json')
      .send(programmeBoard())
      .expect(201);
    await ledger
      .http()
      .post('/v1/partners/nominations')
      .set('content-type', 'application/json')
      .send(nomination('ann', 'Ann'))
      .expect(201);
    const doc = (await ledger.anonymous().get('/docs-json').expect(200)).body as {
      paths: Record<
        string,
        Record<
          string,
          { requestBody?: { content?: Record<string, { schema?: { $ref?: string } }> } }
        >
      >;
      components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
    };
    operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.entries(methods)
        .filter(([method]) => method === 'get' || method === 'post')
        .map(([method, op]) => {
          const ref = op.requestBody?.content?.['application/json']?.schema?.$ref;
          const schema = ref ? doc.components.schemas[ref.split('/').pop()!] : undefined;
          return {
            method: method as 'get' | 'post',
            path,
            keys: Object.keys(schema?.properties ?? {}),
          };
        }),
    );
    expect(operations.filter((o) => o.method === 'post').length).toBeGreaterThanOrEqual(15);
  }, 120_000);
  afterAll(() => ledger.destroy());

  it('never answers 5xx and never appends on a refusal', async () => {
    const live = operations.filter((o) => !o.path.includes('events/live'));
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...live),
        fc.array(segment, { minLength: 3, maxLength: 3 }),
        headers,
        fc.dictionary(
          fc.constantFrom(
            'asOf',
            'knownAt',
            'minPosition',
            'until',
            'after',
            'limit',
            'type',
            'groupId',
          ),
          fc.string({ maxLength: 40 }),
        ),
        async (operation, segments, headerValues, query) => {
          let i = 0;
          const path = operation.path.replace(/\{[^}]+\}/g, () => segments[i++ % segments.length]!);
          const before = await store.headPosition();
          const request =
            operation.method === 'get'
              ? ledger
                  .http()
                  .get(path)
                  .query({ ...query, minPosition: undefined })
              : ledger.http().post(path);
          const contentType = headerValues['content-type'] ?? 'application/json';
          const response = await request
            .set({ ...headerValues, 'content-type': contentType })
            .send(
              operation.method === 'post'
                ? JSON.stringify(fc.sample(bodies(operation.keys), 1)[0] ?? null)
                : undefined,
            );
          expect({ route: `${operation.method} ${path}`, status: response.status }).toEqual({
            route: `${operation.method} ${path}`,
            status: expect.any(Number),
          });
          expect(response.status).toBeLessThan(500);
          if (response.status >= 400) {
            expect(Object.keys(response.body).sort()).toEqual(['code', 'details', 'message']);
            expect(await store.headPosition()).toBe(before);
          }
        },
      ),
      { numRuns: 1_000 },
    );
  }, 300_000); // 1,000 requests: 45 s with the machine's two cores loaded tenfold
});
