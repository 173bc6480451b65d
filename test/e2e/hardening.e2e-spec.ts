import { EVENT_STORE, type EventStore } from '@app/event-store';
import { programmeBoard } from '../support/fixtures.js';
import { startTestLedger, type TestLedger } from '../support/test-ledger.js';

describe('hardening', () => {
  let ledger: TestLedger;
  beforeAll(async () => {
    ledger = await startTestLedger(undefined, {
      LEDGER_RATE_LIMIT: '40',
      LEDGER_BODY_LIMIT: '4096',
    });
  });
  afterAll(() => ledger.destroy());
  const head = () => ledger.app.get<EventStore>(EVENT_STORE).headPosition();

  it('sends security headers and no CORS headers unless origins are configured', async () => {
    const response = await ledger
      .http()
      .get('/health')
      .set('origin', 'https://elsewhere.example')
      .expect(200);
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['content-security-policy']).toContain("default-src 'self'");
    expect(response.headers['strict-transport-security']).toBeDefined();
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('refuses a body over the limit with 413 and appends nothing', async () => {
    const before = await head();
    const response = await ledger
      .http()
      .post('/v1/groups')
      .set('content-type', 'application/json')
      .send(programmeBoard({ name: 'x'.repeat(5_000) }))
      .expect(413);
    expect(response.body).toEqual({
      code: 'payload_too_large',
      message: expect.any(String),
      details: {},
    });
    expect(await head()).toBe(before);
  });

  it('refuses __proto__ and constructor.prototype payloads with 400', async () => {
    for (const body of [
      '{"__proto__":{"isAdmin":true},"name":"x"}',
      '{"constructor":{"prototype":{"isAdmin":true}}}',
    ]) {
      const response = await ledger
        .http()
        .post('/v1/groups')
        .set('content-type', 'application/json')
        .send(body)
        .expect(400);
      expect(response.body.code).toBe('invalid_json');
    }
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
  });

  it('never shows stack traces or internals in an error body', async () => {
    const response = await ledger
      .http()
      .post('/v1/groups')
      .set('content-type', 'application/json')
      .send('{')
      .expect(400);
    expect(JSON.stringify(response.body)).not.toMatch(/at .*\.(js|ts):\d+|node_modules|Error:/);
  });

  it('limits requests per client with 429 in the ledger error shape', async () => {
    let limited: { status: number; body: { code: string } } | null = null;
    for (let i = 0; i < 60 && !limited; i++) {
      const response = await ledger
        .http()
        .get('/health')
        .set('authorization', 'Bearer some-client');
      if (response.status === 429) limited = response;
    }
    expect(limited?.body).toMatchObject({
      code: 'too_many_requests',
      message: expect.any(String),
      details: { limit: 40 },
    });
  });

  it('refuses a body nested too deeply with 400 body_too_deep and appends nothing', async () => {
    const before = await head();
    for (const body of [
      '['.repeat(2_000) + ']'.repeat(2_000),
      '{"name":' + '{"a":'.repeat(500) + '1' + '}'.repeat(500) + '}',
    ]) {
      const response = await ledger
        .http()
        .post('/v1/groups')
        .set('content-type', 'application/json')
        .send(body)
        .expect(400);
      expect(response.body).toEqual({
        code: 'body_too_deep',
        message: expect.any(String),
        details: { maxDepth: 32 },
      });
    }
    expect(await head()).toBe(before);
  });
});
