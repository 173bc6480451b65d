import {
  hostileRequests,
  percentEncode,
  RawJson,
  toJsonText,
  type FuzzRequest,
  type FuzzWorld,
} from '../../fuzz/hostile-requests.js';
import type { OpenApiDocument } from '../../fuzz/openapi-operations.js';

const INSTANT = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}(T\\d{2}:\\d{2})?$' };
const ID = { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$' };
const POSITION = { type: 'string', pattern: '^\\d{1,18}$' };

/** A document shaped like the ledger's: a command, reads with time queries, a stream, a public route. */
const doc: OpenApiDocument = {
  paths: {
    '/v1/groups/{id}/seats': {
      post: {
        parameters: [
          { name: 'id', in: 'path', required: true, schema: { type: 'string' } },
          { name: 'Idempotency-Key', in: 'header', schema: { type: 'string' } },
          { name: 'If-Match', in: 'header', schema: { type: 'string' } },
        ],
        requestBody: {
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Seat' } } },
        },
        security: [{ bearer: [] }],
      },
    },
    '/v1/governance': {
      get: {
        parameters: [
          { name: 'asOf', in: 'query', schema: INSTANT },
          { name: 'minPosition', in: 'query', schema: POSITION },
        ],
        security: [{ bearer: [] }],
      },
    },
    '/v1/events/live': {
      get: {
        parameters: [
          { name: 'last-event-id', in: 'header', required: true, schema: { type: 'string' } },
        ],
        security: [{ bearer: [] }],
      },
    },
    '/health': { get: { security: [] } },
  },
  components: {
    schemas: {
      Seat: {
        type: 'object',
        required: ['partnerId', 'constituency', 'occurredAt'],
        properties: {
          seatId: ID,
          partnerId: ID,
          constituency: { type: 'string', enum: ['lay', 'ccg'] },
          laySeats: { $ref: '#/components/schemas/Range' },
          occurredAt: INSTANT,
        },
      },
      Range: {
        type: 'object',
        required: ['min', 'max'],
        properties: {
          min: { type: 'integer', minimum: 0, maximum: 1_000 },
          max: { type: 'integer', minimum: 0, maximum: 1_000 },
        },
      },
    },
  },
};

const world: FuzzWorld = {
  keys: { 'programme-office': 'office-key', auditor: 'auditor-key', evaluator: 'evaluator-key' },
  programmes: ['p1'],
  groups: ['board'],
  partners: ['ann'],
  elections: ['e1'],
  feedback: ['f1'],
  claims: ['c1'],
  seats: ['lay-1'],
  head: 20,
  knownAt: '2026-01-01T00:00:00.000Z',
};

const comparable = (request: FuzzRequest) => ({
  ...request,
  body: request.body?.toString('base64'),
  raw: request.raw?.toString('base64'),
});

const text = (request: FuzzRequest) =>
  `${request.method} ${request.path} ${JSON.stringify(request.headers)} ${
    request.body?.toString('utf8') ?? ''
  } ${request.raw?.toString('latin1') ?? ''}`;

describe('hostile requests from an OpenAPI document', () => {
  const generator = hostileRequests(doc, 42, world);
  const requests = Array.from({ length: 6_000 }, (_, i) => generator.request(i));

  it('are a pure function of the seed and the index', () => {
    const again = hostileRequests(doc, 42, world);
    for (const index of [0, 1, 17, 999, 5_999]) {
      expect(comparable(again.request(index))).toEqual(comparable(requests[index]!));
    }
    const other = hostileRequests(doc, 43, world);
    const differing = [0, 1, 2, 3, 4, 5, 6, 7].filter(
      (i) => text(other.request(i)) !== text(requests[i]!),
    );
    expect(differing.length).toBeGreaterThan(4);
  });

  it('visit every operation of the document in turn', () => {
    expect(generator.operations.map((op) => op.key)).toEqual([
      'POST /v1/groups/{id}/seats',
      'GET /v1/governance',
      'GET /v1/events/live',
      'GET /health',
    ]);
    const visited = new Set(requests.slice(0, 40).map((request) => request.operation));
    for (const op of generator.operations) expect(visited).toContain(op.key);
  });

  it('make valid requests too, with the set-up ids and a unique correlation id', () => {
    const unmutated = requests.filter((r) => r.mutations.length === 0);
    expect(unmutated.length).toBeGreaterThan(requests.length / 5);
    const seat = unmutated.find((r) => r.operation.startsWith('POST'))!;
    expect(seat.headers['content-type']).toBe('application/json');
    const body = JSON.parse(seat.body!.toString('utf8')) as Record<string, unknown>;
    expect(body).toMatchObject({ constituency: expect.stringMatching(/^(lay|ccg)$/) });
    expect(seat.headers['x-correlation-id']).toBe(seat.correlationId);
    expect(new Set(requests.map((r) => r.correlationId).filter(Boolean)).size).toBe(
      requests.filter((r) => r.correlationId).length,
    );
  });

  it.each([
    [
      'bodies nested beyond the 32-level limit',
      (r: FuzzRequest) => /\[{33}|(\{"a":){33}/.test(text(r)),
    ],
    ['bodies nested just at the limit', (r: FuzzRequest) => /(^|[^[])\[{32}\]/.test(text(r))],
    ['lone surrogates', (r: FuzzRequest) => /\\ud800|%ED%A0%80/i.test(text(r))],
    ['right-to-left overrides', (r: FuzzRequest) => /\u202E|\\u202e|%E2%80%AE/i.test(text(r))],
    ['NUL', (r: FuzzRequest) => /\\u0000|%00/.test(text(r)) || text(r).includes('\u0000')],
    ['combining marks', (r: FuzzRequest) => text(r).includes('\u0301\u0301')],
    ['impossible dates', (r: FuzzRequest) => text(r).includes('2019-02-30')],
    [
      'dates past the last a Date holds',
      (r: FuzzRequest) => /275760-09-13T00:00:00\.001Z|275761/.test(text(r)),
    ],
    ['timezone junk', (r: FuzzRequest) => /Europe\/London|\+25:00/.test(text(r))],
    [
      'numbers JSON cannot hold',
      (r: FuzzRequest) => /:(-?1e309|-0|12345678901234567890123456789)[,}]/.test(text(r)),
    ],
    ['NaN', (r: FuzzRequest) => /NaN/.test(text(r))],
    ['dot-dot segments', (r: FuzzRequest) => /\/(\.\.|%2e%2e)(\/|\?|$)/i.test(r.path)],
    ['encoded slashes', (r: FuzzRequest) => /%2F|%252F/.test(r.path)],
    ['very long segments', (r: FuzzRequest) => /a{5000}/.test(r.path)],
    ['repeated query parameters', (r: FuzzRequest) => r.mutations.includes('query:repeated')],
    ['unknown query parameters', (r: FuzzRequest) => r.mutations.includes('query:unknown')],
    ['no content type', (r: FuzzRequest) => r.mutations.includes('content-type:none')],
    ['text/plain bodies', (r: FuzzRequest) => r.headers['content-type'] === 'text/plain'],
    ['bad Idempotency-Keys', (r: FuzzRequest) => r.mutations.includes('header:idempotency-key')],
    ['bad If-Match', (r: FuzzRequest) => r.mutations.includes('header:if-match')],
    [
      'no key',
      (r: FuzzRequest) => r.headers.authorization === undefined && r.operation !== 'GET /health',
    ],
    ['a wrong key', (r: FuzzRequest) => r.caller === 'wrong-key'],
    ['the evaluator key', (r: FuzzRequest) => r.headers.authorization === 'Bearer evaluator-key'],
    ['the auditor key', (r: FuzzRequest) => r.headers.authorization === 'Bearer auditor-key'],
    ['the office key', (r: FuzzRequest) => r.headers.authorization === 'Bearer office-key'],
    ['HTTP no client would send', (r: FuzzRequest) => r.raw !== undefined],
  ])('include %s', (_, has) => {
    expect(requests.filter(has).length).toBeGreaterThan(0);
  });

  it('never ask for a position beyond the head, which would wait its full time (503 by design)', () => {
    for (const request of requests) {
      const query = request.path.split('?')[1] ?? '';
      for (const [, value] of query.matchAll(/(?:^|&)minPosition=([^&]*)/g)) {
        if (/^\d+$/.test(value!)) expect(Number(value)).toBeLessThanOrEqual(world.head);
      }
    }
  });

  it('write JSON that JSON.stringify cannot, and encode what encodeURIComponent refuses', () => {
    expect(toJsonText({ a: new RawJson('1e309'), b: [new RawJson('-0'), 'x'] })).toBe(
      '{"a":1e309,"b":[-0,"x"]}',
    );
    expect(percentEncode('a\uD800/é')).toBe('a%ED%A0%80%2F%C3%A9');
  });
});
