import { EVENT_STORE, type EventStore } from '@app/event-store';
import { programmeBoard } from '../support/fixtures.js';
import { startTestLedger, type TestLedger } from '../support/test-ledger.js';

describe('operations: health, metrics, correlation ids', () => {
  let ledger: TestLedger;
  beforeAll(async () => {
    ledger = await startTestLedger();
  });
  afterAll(() => ledger.destroy());

  it('carries the caller’s X-Correlation-Id into the events it appends and echoes it', async () => {
    const response = await ledger
      .http()
      .post('/v1/groups')
      .set({ 'content-type': 'application/json', 'x-correlation-id': 'board-setup-42' })
      .send(programmeBoard())
      .expect(201);
    expect(response.headers['x-correlation-id']).toBe('board-setup-42');
    const [event] = await ledger.app
      .get<EventStore>(EVENT_STORE)
      .readStream('group-programme-board');
    expect(event!.metadata).toMatchObject({
      correlationId: 'board-setup-42',
      actor: 'programme-office',
      schemaVersion: 2, // GroupEstablished v2 names the group's programme
    });
  });

  it('gives every request a correlation id when the caller sends none, and refuses a malformed one', async () => {
    const response = await ledger.http().get('/health').expect(200);
    expect(response.headers['x-correlation-id']).toMatch(/^[0-9a-f-]{36}$/);
    const refused = await ledger
      .http()
      .post('/v1/groups')
      .set({ 'content-type': 'application/json', 'x-correlation-id': 'has spaces & symbols' })
      .send(programmeBoard({ groupId: 'other' }))
      .expect(400);
    expect(refused.body.code).toBe('invalid_correlation_id');
  });

  it('exposes Prometheus metrics: appends, HTTP requests by route and status, projection lag', async () => {
    const head = await ledger.app.get<EventStore>(EVENT_STORE).headPosition();
    await ledger
      .http()
      .get('/v1/governance')
      .query({ minPosition: String(head) })
      .expect(200);
    const response = await ledger.http().get('/metrics').expect(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain/);
    const text = response.text;
    expect(text).toMatch(/ledger_append_duration_seconds_count\{outcome="ok"\} [1-9]/);
    expect(text).toContain('ledger_appended_events_total 1');
    expect(text).toContain(
      'ledger_http_requests_total{method="POST",route="/v1/groups",status="201"} 1',
    );
    expect(text).toContain(
      'ledger_http_requests_total{method="POST",route="/v1/groups",status="400"} 1',
    );
    expect(text).toContain('ledger_projection_lag_events{subscriber="projections"} 0');
    expect(text).toContain('ledger_projection_lag_seconds{subscriber="sagas"} 0');
    expect(text).toContain('ledger_process_resident_memory_bytes');
  });

  it('reports the store and each subscriber in /health', async () => {
    const response = await ledger.http().get('/health').expect(200);
    expect(response.body.status).toBe('ok');
    expect(Object.keys(response.body.details).sort()).toEqual(['projections', 'sagas', 'store']);
  });
});
