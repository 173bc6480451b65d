import { EsdbDouble } from '../eventstoredb/double/esdb-double.js';
import { programmeBoard } from '../support/fixtures.js';
import {
  TEST_POSTGRES_URL,
  dropSchema,
  freshSchema,
  postgresReachable,
} from '../support/postgres.js';
import { startTestLedger, tempDataDir, type TestLedger } from '../support/test-ledger.js';

/**
 * The event store goes away under a running ledger (EventStoreDB, served by
 * the wire double): liveness stays 200 while readiness fails, a command is
 * answered 503 `store_unavailable` with Retry-After (never 500), reads keep
 * answering from the local read models and say how far behind they may be,
 * and once the store is back commands work again. A cluster replica keeps its
 * shared state in PostgreSQL, so the suite needs it (and says so when skipped).
 */

const reachable = await postgresReachable('event store outage (test/e2e/store-outage)');
const describePg = reachable ? describe : describe.skip;

const OUTAGE_TIMEOUT_MS = 120_000;
const json = { 'content-type': 'application/json' };

/** Retries `attempt` (a request a client would retry) until it answers `status`, bounded. */
async function until<T extends { status: number }>(
  status: number,
  attempt: () => Promise<T>,
): Promise<T> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const response = await attempt();
    if (response.status === status || Date.now() > deadline) return response;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describePg('an event store outage (EventStoreDB over the wire double)', () => {
  const schema = freshSchema('store_outage');
  let double: EsdbDouble;
  let ledger: TestLedger;

  beforeAll(async () => {
    double = await EsdbDouble.start();
    ledger = await startTestLedger(tempDataDir(), {
      LEDGER_STORE: 'eventstoredb',
      EVENTSTORE_CONNECTION_STRING: double.connectionString,
      LEDGER_POSTGRES_URL: TEST_POSTGRES_URL,
      LEDGER_POSTGRES_SCHEMA: schema,
      LEDGER_PSEUDONYM_KEY: 'a-pseudonym-secret-of-32-characters!',
    });
  }, OUTAGE_TIMEOUT_MS);
  afterAll(async () => {
    await ledger?.destroy();
    await double?.close();
    if (reachable) await dropSchema(schema);
  }, OUTAGE_TIMEOUT_MS);

  it(
    'answers commands 503 store_unavailable with Retry-After, keeps reads and liveness, and recovers',
    async () => {
      const created = await ledger.http().post('/v1/groups').set(json).send(programmeBoard());
      expect(created.status).toBe(201);
      const position = String(created.body.position);
      const before = await ledger.http().get(`/v1/governance?minPosition=${position}`).expect(200);
      expect(before.headers['ledger-store']).toBe('reachable');
      expect(before.headers['ledger-read-lag']).toBe('0.000');
      expect(BigInt(before.headers['ledger-read-position'] as string)).toBeGreaterThanOrEqual(
        BigInt(position),
      );
      await ledger.anonymous().get('/health/ready').expect(200);

      await double.stop();

      const refused = await ledger
        .http()
        .post('/v1/groups')
        .set({ ...json, 'idempotency-key': 'outage-advisory-group' })
        .send(programmeBoard({ groupId: 'advisory-group', name: 'Advisory Group' }));
      expect({ status: refused.status, code: refused.body.code }).toEqual({
        status: 503,
        code: 'store_unavailable',
      });
      expect(refused.headers['retry-after']).toMatch(/^\d+$/);
      expect(refused.body.details).toMatchObject({ store: 'event-store' });

      await ledger.anonymous().get('/health/live').expect(200);
      const notReady = await ledger.anonymous().get('/health/ready').expect(503);
      expect(notReady.body.error.store.status).toBe('down');

      const during = await ledger.http().get('/v1/governance').expect(200);
      expect(JSON.stringify(during.body)).toContain('programme-board');
      expect(during.headers['ledger-store']).toBe('unreachable');
      expect(during.headers['ledger-read-position']).toBe(before.headers['ledger-read-position']);
      expect(Number(during.headers['ledger-read-lag'])).toBeGreaterThanOrEqual(0);

      await double.restart();

      const retried = await until(201, () =>
        ledger
          .http()
          .post('/v1/groups')
          .set({ ...json, 'idempotency-key': 'outage-advisory-group' })
          .send(programmeBoard({ groupId: 'advisory-group', name: 'Advisory Group' })),
      );
      expect(retried.status).toBe(201);
      await ledger
        .http()
        .get(`/v1/governance?minPosition=${String(retried.body.position)}`)
        .expect(200);
      const ready = await until(200, () => ledger.anonymous().get('/health/ready'));
      expect(ready.status).toBe(200);
    },
    OUTAGE_TIMEOUT_MS,
  );
});
