import { EVENT_STORE, type EventStore } from '@app/event-store';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { nomination, programmeBoard } from '../support/fixtures.js';
import {
  commandClient,
  launchProgramme,
  nominationRequest,
} from '../support/programme-fixtures.js';
import { startTestLedger, TEST_KEYS, type TestLedger } from '../support/test-ledger.js';

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

  it('lets no inline script run on the evaluator page; only Swagger UI keeps its inline bootstrap', async () => {
    const scriptSrc = (csp: string | undefined) =>
      (csp ?? '').split(';').find((directive) => directive.startsWith('script-src'));
    const page = await ledger.anonymous().get('/').expect(200);
    expect(scriptSrc(page.headers['content-security-policy'])).toBe("script-src 'self'");
    const docs = await ledger.anonymous().get('/docs');
    expect(scriptSrc(docs.headers['content-security-policy'])).toBe(
      "script-src 'self' 'unsafe-inline'",
    );
    const json = await ledger.anonymous().get('/docs-json').expect(200);
    expect(scriptSrc(json.headers['content-security-policy'])).toBe("script-src 'self'");
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

  it('refuses text holding a lone surrogate with 400 malformed_text, appending nothing', async () => {
    // Found by the OpenAPI fuzz: `@IsEmail` calls encodeURI, which throws on it (500).
    // Such text cannot be stored as UTF-8 either: it would come back altered.
    const before = await head();
    for (const body of [
      nomination('lp-lone', 'Ann Example', { email: '\ud800@example.org' }),
      nomination('lp-lone', 'Ann \udfffExample'),
    ]) {
      const response = await ledger
        .http()
        .post('/v1/partners/nominations')
        .set('content-type', 'application/json')
        .send(JSON.stringify(body))
        .expect(400);
      expect(response.body).toMatchObject({
        code: 'malformed_text',
        details: { path: expect.any(String) },
      });
    }
    expect(await head()).toBe(before);
  });

  it('answers a malformed URL and an over-long path parameter in the ledger error shape', async () => {
    const badUrl = await ledger.http().get('/v1/groups/%').expect(400);
    expect(badUrl.body).toEqual({ code: 'bad_url', message: expect.any(String), details: {} });
    const longParam = await ledger
      .http()
      .get(`/v1/groups/${'a'.repeat(3_000)}`)
      .expect(414);
    expect(longParam.body).toEqual({
      code: 'param_too_long',
      message: expect.any(String),
      details: { maxLength: 2_048 },
    });
  });

  /** Sends `text` down a fresh keep-alive connection; what came back once the server closed it. */
  const rawExchange = async (
    text: string,
  ): Promise<{ head: string; body: unknown; text: string }> => {
    const server = ledger.app.getHttpServer();
    if (!server.listening) await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const { port } = server.address() as AddressInfo;
    const raw = await new Promise<string>((done, fail) => {
      const socket = connect(port, '127.0.0.1');
      let received = '';
      socket.on('data', (chunk) => (received += chunk.toString('latin1')));
      socket.on('error', fail);
      socket.on('close', () => done(received));
      socket.write(text);
    });
    const [head, body] = raw.split('\r\n\r\n');
    return { head: head!, body: body ? JSON.parse(body) : undefined, text: body! };
  };

  it('answers over-large headers with 431 in the ledger error shape and closes the connection', async () => {
    const { head, body } = await rawExchange(
      `GET /health HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\nX-Big: ${'b'.repeat(20_000)}\r\n\r\n`,
    );
    expect(head).toMatch(/^HTTP\/1\.1 431 /);
    expect(head).toMatch(/\r\nconnection: close(\r\n|$)/i);
    expect(head).toMatch(/\r\ncontent-type: application\/json/i);
    expect(body).toEqual({ code: 'headers_too_large', message: expect.any(String), details: {} });
  });

  it('answers a HEAD with over-large headers with 431 and no body, which a client would misread', async () => {
    const { head, text } = await rawExchange(
      `HEAD /health HTTP/1.1\r\nHost: x\r\nX-Big: ${'b'.repeat(20_000)}\r\n\r\n`,
    );
    expect(head).toMatch(/^HTTP\/1\.1 431 /);
    expect(head).toMatch(/\r\nconnection: close(\r\n|$)/i);
    expect(text).toBe('');
  });

  it('delivers the 413 to a client still sending a body far over the limit (no reset before it is read)', async () => {
    const body = `{"name":"${'x'.repeat(8_000_000)}"}`;
    for (let attempt = 0; attempt < 8; attempt++) {
      const { head, body: answer } = await rawExchange(
        `POST /v1/groups HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${TEST_KEYS['programme-office']}\r\n` +
          `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
      );
      expect(head).toMatch(/^HTTP\/1\.1 413 /);
      expect(answer).toEqual({
        code: 'payload_too_large',
        message: expect.any(String),
        details: {},
      });
    }
  }, 60_000);

  it('answers an unreadable request with 400 malformed_request and closes the connection', async () => {
    const { head, body } = await rawExchange('NOT HTTP AT ALL\r\n\r\n');
    expect(head).toMatch(/^HTTP\/1\.1 400 /);
    expect(head).toMatch(/\r\nconnection: close(\r\n|$)/i);
    expect(body).toEqual({ code: 'malformed_request', message: expect.any(String), details: {} });
  });
});

describe('lists of nested objects', () => {
  // Found by the OpenAPI fuzz: an element that is an array (or not an object)
  // passed `@ValidateNested({ each: true })` and reached the decider (500).
  let ledger: TestLedger;
  const { post } = commandClient(() => ledger);
  beforeAll(async () => {
    ledger = await startTestLedger();
    await post('/v1/groups', programmeBoard()).expect(201);
    await post('/v1/programmes', launchProgramme('wsic')).expect(201);
  });
  afterAll(() => ledger.destroy());
  const head = () => ledger.app.get<EventStore>(EVENT_STORE).headPosition();

  it.each([
    ['an array', [[{ key: 'k', label: 'L' }]]],
    ['deeply nested arrays', [[[[]]]]],
    ['an empty array', [[]]],
    ['null', [null]],
    ['a string', ['caring']],
    ['a number', [7]],
  ])('refuses a list element that is %s with 400, appending nothing', async (_, element) => {
    const before = await head();
    const reasons = await post('/v1/programmes/wsic/withdrawal-reasons', {
      reasons: element,
      occurredAt: '2014-04-01',
    }).expect(400);
    expect(reasons.body).toMatchObject({ code: 'validation_failed' });
    const request = nominationRequest();
    await post('/v1/programmes/wsic/nomination-requests', {
      ...request,
      organisations: element,
    }).expect(400);
    expect(await head()).toBe(before);
  });
});

describe('failed authentication', () => {
  let ledger: TestLedger;
  beforeAll(async () => {
    ledger = await startTestLedger(undefined, {
      LEDGER_RATE_LIMIT: '1000',
      LEDGER_AUTH_FAILURE_LIMIT: '10',
    });
  });
  afterAll(() => ledger.destroy());

  it('does not count requests with a valid key', async () => {
    for (let i = 0; i < 30; i++) await ledger.http().get('/v1/groups').expect(200);
  });

  it('limits wrong API keys per address with 429 and Retry-After', async () => {
    const statuses: number[] = [];
    let limited: { headers: Record<string, string>; body: unknown } | null = null;
    for (let i = 0; i < 200; i++) {
      const response = await ledger
        .anonymous()
        .get('/v1/groups')
        .set('authorization', `Bearer wrong-key-${i}`);
      statuses.push(response.status);
      if (response.status === 429) limited ??= response;
    }
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(statuses.slice(10)).toEqual(Array(190).fill(429));
    expect(limited?.body).toEqual({
      code: 'too_many_failed_authentications',
      message: expect.any(String),
      details: { limit: 10, retryAfterSeconds: expect.any(Number) },
    });
    expect(Number(limited?.headers['retry-after'])).toBeGreaterThan(0);
    // Public routes stay open.
    await ledger.anonymous().get('/health').expect(200);
  });
});
