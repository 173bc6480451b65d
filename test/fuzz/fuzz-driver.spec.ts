import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { runFuzz } from '../../fuzz/fuzz-driver.js';

interface FakeEvent {
  id: string;
  position: number;
  type: string;
  metadata: { correlationId?: string };
}

/**
 * A ledger that misbehaves on purpose: its command appends an event even when
 * it refuses the request, one read answers 500, another answers errors as
 * plain text. The driver must see all three; a checker that cannot fail
 * proves nothing.
 */
function fakeLedger(): Server {
  const events: FakeEvent[] = [];
  const append = (correlationId: string | undefined, type: string) => {
    events.push({
      id: `e${events.length + 1}`,
      position: events.length + 1,
      type,
      metadata: { correlationId },
    });
    return events.length;
  };
  const doc = {
    paths: {
      '/v1/things': {
        post: {
          requestBody: {
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['name'],
                  properties: { name: { type: 'string', minLength: 1, maxLength: 20 } },
                },
              },
            },
          },
          security: [{ bearer: [] }],
        },
      },
      '/v1/boom': { get: { security: [{ bearer: [] }] } },
      '/v1/plain': { get: { security: [{ bearer: [] }] } },
    },
  };
  const send = (response: ServerResponse, status: number, body: unknown) => {
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(JSON.stringify(body));
  };
  return createServer((request: IncomingMessage, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const url = new URL(request.url ?? '/', 'http://x');
      const correlation = request.headers['x-correlation-id'] as string | undefined;
      if (url.pathname === '/docs-json') return send(response, 200, doc);
      if (url.pathname === '/v1/audit/events') {
        const from = Number(url.searchParams.get('fromPosition') ?? 0);
        return send(response, 200, {
          events: events.filter((e) => e.position >= from),
          next: null,
        });
      }
      if (request.method === 'POST' && correlation?.startsWith('fz-setup')) {
        const position = append(correlation, 'SetUp');
        return send(response, 201, {
          id: 'x',
          revision: 0,
          position,
          recordedAt: '2026-01-01T00:00:00.000Z',
        });
      }
      if (url.pathname === '/v1/things' && request.method === 'POST') {
        append(correlation, 'ThingRecorded'); // before deciding: the bug under test
        return send(response, 400, { code: 'validation_failed', message: 'no', details: {} });
      }
      if (url.pathname === '/v1/boom')
        return send(response, 500, { code: 'internal', message: 'boom', details: {} });
      if (url.pathname === '/v1/plain') {
        response.writeHead(404, { 'content-type': 'text/plain' });
        return response.end('Not Found');
      }
      return send(response, 404, { code: 'not_found', message: 'no route', details: {} });
    });
  });
}

describe('the fuzz driver against a ledger that breaks every rule', () => {
  let server: Server;
  let baseUrl: string;

  beforeAll(async () => {
    server = fakeLedger();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('reports 5xx, errors out of shape and events appended by refused requests', async () => {
    const report = await runFuzz({
      baseUrl,
      keys: { 'programme-office': 'o', auditor: 'a', evaluator: 'e' },
      seed: 7,
      requests: 120,
      batch: 40,
    });
    expect(report.operationsCovered).toBe(report.operations); // 3 documented, 5 left out of documents on purpose
    expect(report.serverErrors).toBeGreaterThan(0);
    expect(report.badErrorBodies).toBeGreaterThan(0);
    expect(report.eventsFromRefusals).toBeGreaterThan(0);
    const problems = report.failures.map((failure) => failure.problem);
    expect(problems).toEqual(
      expect.arrayContaining([
        'answered 500',
        expect.stringMatching(/^error answer is not JSON/),
        expect.stringMatching(/^event ThingRecorded at position \d+ appended by a refused request/),
      ]),
    );
    const leak = report.failures.find((failure) => failure.problem.startsWith('event'))!;
    expect(leak.operation).toBe('POST /v1/things');
  });
});
