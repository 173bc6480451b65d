import type { EventStore } from '@app/event-store';
import { RAW_EVENT_STORE } from '../infrastructure/tokens.js';
import { nomination, programmeBoard, workstream } from '../../../../test/support/fixtures.js';
import { startTestLedger, type TestLedger } from '../../../../test/support/test-ledger.js';

const json = { 'content-type': 'application/json' };

describe('GET /v1/audit/verify: tamper evidence over HTTP', () => {
  let ledger: TestLedger;
  let events: number;

  const post = (path: string, body: unknown) =>
    ledger
      .http()
      .post(path)
      .set(json)
      .send(body as object)
      .expect(201);
  const verify = (query: Record<string, string> = {}) =>
    ledger.http('auditor').get('/v1/audit/verify').query(query);

  beforeAll(async () => {
    ledger = await startTestLedger();
    await post('/v1/groups', programmeBoard());
    await post('/v1/groups', workstream('informatics', 'Informatics'));
    for (const id of ['ann', 'bob']) {
      await post('/v1/partners/nominations', nomination(id, `${id} Example`));
      await post(`/v1/partners/${id}/appointment`, {
        body: 'advisory-group',
        occurredAt: '2013-12-01',
      });
    }
    await post('/v1/groups/programme-board/seats', {
      seatId: 'lay-1',
      partnerId: 'ann',
      constituency: 'lay',
      occurredAt: '2014-01-10',
    });
    await post('/v1/groups/informatics/seats', {
      seatId: 'lay-1',
      partnerId: 'bob',
      constituency: 'lay',
      occurredAt: '2014-01-12',
    });
    await post('/v1/groups/programme-board/seats/lay-1/vacate', {
      reason: 'term-ended',
      occurredAt: '2014-06-30',
    });
    const raw: EventStore = ledger.app.get(RAW_EVENT_STORE);
    events = (await raw.readAll()).length;
  });
  afterAll(() => ledger.destroy());

  it('answers ok for a ledger built through the API, with a digest to export', async () => {
    const response = await verify().expect(200);
    expect(events).toBe(9); // 2 groups, 2 × (nominated, appointed), 2 seats, 1 vacated
    expect(response.body).toEqual({
      ok: true,
      checkedEvents: events,
      position: expect.any(Number),
      digest: expect.stringMatching(/^[0-9a-f]{64}$/),
      firstBroken: null,
      // The whole-ledger seal: every event sealed before the answer.
      seal: {
        hash: expect.stringMatching(/^[0-9a-f]{64}$/),
        count: events,
        sealedThrough: response.body.position,
        unsealedEvents: 0,
      },
      incremental: false,
      readEvents: events,
    });
    const again = await verify({
      position: String(response.body.position),
      digest: response.body.digest,
    }).expect(200);
    expect(again.body).toEqual(response.body);
    // Nothing appended since: nothing read again.
    const incremental = await verify().expect(200);
    expect(incremental.body).toEqual({ ...response.body, incremental: true, readEvents: 0 });
  });

  it('answers ok:false digest_mismatch for a digest the ledger does not give', async () => {
    const { body } = await verify().expect(200);
    const wrong = (body.digest as string).replace(/^./, (c) => (c === '0' ? '1' : '0'));
    const response = await verify({ position: String(body.position), digest: wrong }).expect(200);
    expect(response.body).toMatchObject({
      ok: false,
      checkedEvents: events,
      firstBroken: {
        stream: null,
        revision: null,
        position: body.position,
        reason: 'digest_mismatch',
      },
    });
  });

  it('answers ok:false truncated for a digest beyond the ledger’s head', async () => {
    const { body } = await verify().expect(200);
    const response = await verify({
      position: String(body.position + 100),
      digest: body.digest,
    }).expect(200);
    expect(response.body.firstBroken).toMatchObject({ reason: 'truncated' });
  });

  it('refuses a malformed query, and roles other than the office and auditors', async () => {
    const bad = await verify({ position: '1' }).expect(400);
    expect(bad.body.code).toBe('invalid_digest');
    await verify({ position: '-1', digest: 'a'.repeat(64) }).expect(400);
    await verify({ position: '1', digest: 'xyz' }).expect(400);
    await ledger.http('evaluator').get('/v1/audit/verify').expect(403);
    await ledger.anonymous().get('/v1/audit/verify').expect(401);
    await ledger.http('programme-office').get('/v1/audit/verify').expect(200);
  });

  it('stays intact under concurrent writes, to one stream and to many', async () => {
    await post(
      '/v1/groups',
      workstream('forum', 'Lay Partners Forum', {
        parentGroupId: null,
        kind: 'forum',
        laySeats: { min: 0, max: 100 },
      }),
    );
    const ids = Array.from({ length: 20 }, (_, i) => `p${i}`);
    await Promise.all(
      ids.map(async (id) => {
        await post('/v1/partners/nominations', nomination(id, `Partner ${id}`));
        await post(`/v1/partners/${id}/appointment`, { body: 'forum', occurredAt: '2013-12-01' });
      }),
    );
    await Promise.all(
      ids.map((id) =>
        post('/v1/groups/forum/seats', {
          seatId: `seat-${id}`,
          partnerId: id,
          constituency: 'lay',
          occurredAt: '2014-01-15',
        }),
      ),
    );
    const raw: EventStore = ledger.app.get(RAW_EVENT_STORE);
    const stored = (await raw.readAll()).length;
    expect(stored).toBe(events + 1 + 40 + 20);
    const response = await verify().expect(200);
    expect(response.body).toMatchObject({ ok: true, checkedEvents: stored, firstBroken: null });
  });

  it('is documented in the OpenAPI document under the audit tag', async () => {
    const response = await ledger.http().get('/docs-json').expect(200);
    const route = response.body.paths['/v1/audit/verify'];
    expect(route.get.tags).toEqual(['audit']);
    expect(route.get.parameters.map((p: { name: string }) => p.name).sort()).toEqual([
      'digest',
      'full',
      'position',
      'publicKey',
    ]);
  });
});
