import { EVENT_STORE, type EventStore } from '@app/event-store';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { nomination, programmeBoard } from '../support/fixtures.js';
import { professional } from '../support/group-fixtures.js';
import { feedbackHeard, launchProgramme } from '../support/programme-fixtures.js';
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

  it('compares requests as canonical JSON: the same body with its keys in another order is a retry', async () => {
    const key = { ...json, 'idempotency-key': 'reordered-nomination' };
    const body = nomination('kay', 'Kay Example');
    const first = await ledger
      .http()
      .post('/v1/partners/nominations')
      .set(key)
      .send(body)
      .expect(201);
    const head = await store.headPosition();
    const reordered = Object.fromEntries(
      Object.entries({
        ...body,
        nominatedBy: { organisationKind: 'healthwatch', organisation: 'Healthwatch Ealing' },
      }).reverse(),
    );
    expect(JSON.stringify(reordered)).not.toBe(JSON.stringify(body));
    const retry = await ledger.http().post('/v1/partners/nominations').set(key).send(reordered);
    expect({ status: retry.status, body: retry.body }).toEqual({ status: 201, body: first.body });
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(await store.headPosition()).toBe(head);
    // Order within an array is content: not the same request.
    const swapped = await ledger
      .http()
      .post('/v1/groups')
      .set({ ...json, 'idempotency-key': 'array-order' })
      .send(programmeBoard({ groupId: 'arrays', coChairConstituencies: ['lay', 'ccg'] }));
    expect(swapped.status).toBe(201);
    const other = await ledger
      .http()
      .post('/v1/groups')
      .set({ ...json, 'idempotency-key': 'array-order' })
      .send(programmeBoard({ groupId: 'arrays', coChairConstituencies: ['ccg', 'lay'] }))
      .expect(422);
    expect(other.body.code).toBe('idempotency_key_reused');
  });

  it('still matches a response stored under the fingerprint of the body as sent (before canonical JSON)', async () => {
    const { IdempotencyRecords } =
      await import('../../apps/ledger-api/src/infrastructure/idempotency.store.js');
    const keys = ledger.app.get(IdempotencyRecords);
    const body = { name: 'Legacy', groupId: 'legacy' };
    const answer = {
      id: 'legacy',
      revision: 0,
      position: 1,
      recordedAt: '2014-01-01T00:00:00.000Z',
    };
    await keys.put('programme-office:legacy-key', {
      requestHash: keys.fingerprint(`POST /v1/groups\n${JSON.stringify(body)}`),
      status: 201,
      body: answer,
    });
    const retry = await ledger
      .http()
      .post('/v1/groups')
      .set({ ...json, 'idempotency-key': 'legacy-key' })
      .send(body)
      .expect(201);
    expect(retry.body).toEqual(answer);
    expect(retry.headers['idempotent-replayed']).toBe('true');
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
          .IdempotencyRecords,
      ) as unknown as { db: { prepare(sql: string): { run(): void } } }
    ).db;
    db.prepare('DELETE FROM idempotency').run();
    const head = await store.headPosition();
    const retry = await ledger.http().post('/v1/groups').set(key).send(body).expect(201);
    expect(retry.body).toEqual(first.body);
    expect(await store.headPosition()).toBe(head);
  });
});

describe('Idempotency-Key across a crash between the append and saving the response', () => {
  let ledger: TestLedger;
  afterAll(() => ledger.destroy());

  // Each creates its stream; the generated id derives from the key.
  const creations: Array<[string, string, Record<string, unknown>]> = [
    [
      'nomination',
      '/v1/partners/nominations',
      nomination('ann', 'Ann Example', { partnerId: undefined }),
    ],
    ['professional', '/v1/partners', professional('x', 'ccg', { partnerId: undefined })],
    ['feedback', '/v1/feedback', feedbackHeard({ groupId: 'programme-board' })],
    ['programme', '/v1/programmes', launchProgramme('x', { programmeId: undefined })],
    ['group', '/v1/groups', programmeBoard({ groupId: undefined, name: 'Informatics' })],
  ];

  it('answers the retry after a restart with the first response (201) and appends nothing', async () => {
    ledger = await startTestLedger();
    await ledger.http().post('/v1/groups').set(json).send(programmeBoard()).expect(201);
    const first = new Map<string, unknown>();
    for (const [name, path, body] of creations) {
      const response = await ledger
        .http()
        .post(path)
        .set({ ...json, 'idempotency-key': `crash-${name}` })
        .send(body);
      expect({ name, status: response.status }).toEqual({ name, status: 201 });
      first.set(name, response.body);
    }
    await ledger.close();
    // The crash: the events are stored, the responses are not.
    const db = new Database(join(ledger.dataDir, 'idempotency.sqlite'));
    db.prepare('DELETE FROM idempotency').run();
    db.close();

    ledger = await startTestLedger(ledger.dataDir);
    const store = ledger.app.get<EventStore>(EVENT_STORE);
    const head = await store.headPosition();
    for (const [name, path, body] of creations) {
      const retry = await ledger
        .http()
        .post(path)
        .set({ ...json, 'idempotency-key': `crash-${name}` })
        .send(body);
      expect({ name, status: retry.status, body: retry.body }).toEqual({
        name,
        status: 201,
        body: first.get(name),
      });
    }
    expect(await store.headPosition()).toBe(head);
  });
});
