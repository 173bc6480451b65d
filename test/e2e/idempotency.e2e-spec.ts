import { EVENT_STORE, type EventStore } from '@app/event-store';
import { nomination, programmeBoard } from '../support/fixtures.js';
import { startTestLedger, type TestLedger } from '../support/test-ledger.js';

const json = { 'content-type': 'application/json' };

describe('Idempotency-Key', () => {
  let ledger: TestLedger;
  let store: EventStore;
  beforeAll(async () => {
    ledger = await startTestLedger();
    store = ledger.app.get(EVENT_STORE);
    await ledger.http().post('/v1/groups').set(json).send(programmeBoard()).expect(201);
  });
  afterAll(() => ledger.destroy());

  it('answers a retry with the first response and appends nothing', async () => {
    const body = nomination('ann', 'Ann Example', { partnerId: undefined });
    const first = await ledger
      .http()
      .post('/v1/partners/nominations')
      .set({ ...json, 'idempotency-key': 'nominate-ann-1' })
      .send(body)
      .expect(201);
    const head = await store.headPosition();
    const retry = await ledger
      .http()
      .post('/v1/partners/nominations')
      .set({ ...json, 'idempotency-key': 'nominate-ann-1' })
      .send(body)
      .expect(201);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(await store.headPosition()).toBe(head);
    // A generated id under a key is derived from the key: a retry after a lost response targets the same partner.
    expect(first.body.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('refuses the same key for a different request (422) and leaves the first result alone', async () => {
    const key = { ...json, 'idempotency-key': 'board-seat-1' };
    await ledger
      .http()
      .post('/v1/partners/nominations')
      .set(json)
      .send(nomination('bob', 'Bob Example'))
      .expect(201);
    await ledger
      .http()
      .post('/v1/partners/bob/appointment')
      .set(json)
      .send({ body: 'forum', occurredAt: '2013-12-01' })
      .expect(201);
    await ledger
      .http()
      .post('/v1/groups/programme-board/seats')
      .set(key)
      .send({ partnerId: 'bob', constituency: 'lay', occurredAt: '2014-01-10' })
      .expect(201);
    const head = await store.headPosition();
    const reused = await ledger
      .http()
      .post('/v1/groups/programme-board/seats')
      .set(key)
      .send({ partnerId: 'bob', constituency: 'lay', occurredAt: '2014-02-10' })
      .expect(422);
    expect(reused.body.code).toBe('idempotency_key_reused');
    expect(await store.headPosition()).toBe(head);
  });

  it('keeps keys per caller and refuses a malformed key', async () => {
    const bad = await ledger
      .http()
      .post('/v1/groups')
      .set({ ...json, 'idempotency-key': 'has spaces' })
      .send(programmeBoard({ groupId: 'x' }))
      .expect(400);
    expect(bad.body.code).toBe('invalid_idempotency_key');
  });

  it('does not keep refusals: a refused request can be retried under the same key once fixed', async () => {
    const key = { ...json, 'idempotency-key': 'late-group' };
    await ledger
      .http()
      .post('/v1/groups')
      .set(key)
      .send(programmeBoard({ groupId: 'late', occurredAt: '2999-01-01' }))
      .expect(422);
    await ledger
      .http()
      .post('/v1/groups')
      .set(key)
      .send(programmeBoard({ groupId: 'late', occurredAt: '2999-01-01' }))
      .expect(422);
  });

  it('recognises a retried command in its stream even if the stored response was lost', async () => {
    const key = { ...json, 'idempotency-key': 'group-after-crash' };
    const body = programmeBoard({ groupId: undefined, name: 'Informatics' });
    const first = await ledger.http().post('/v1/groups').set(key).send(body).expect(201);
    // Lose the stored response, as a crash between the append and saving it would.
    const db = (
      ledger.app.get(
        (await import('../../apps/ledger-api/src/infrastructure/idempotency.store.js'))
          .IdempotencyStore,
      ) as unknown as { db: { prepare(sql: string): { run(): void } } }
    ).db;
    db.prepare('DELETE FROM idempotency').run();
    const head = await store.headPosition();
    const retry = await ledger.http().post('/v1/groups').set(key).send(body).expect(201);
    expect(retry.body).toEqual(first.body);
    expect(await store.headPosition()).toBe(head);
  });
});
