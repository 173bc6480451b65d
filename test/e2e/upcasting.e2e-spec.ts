import { EVENT_STORE, SqliteEventStore, type EventStore } from '@app/event-store';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { nomination, programmeBoard } from '../support/fixtures.js';
import { startTestLedger, type TestLedger } from '../support/test-ledger.js';

const json = { 'content-type': 'application/json' };

describe('an event stored in an old schema, read by today’s ledger', () => {
  let ledger: TestLedger;

  afterAll(() => ledger.destroy());

  it('is upcast for deciders, projections and sagas alike; new events carry the current version', async () => {
    ledger = await startTestLedger();
    const post = (path: string, body: unknown) =>
      ledger
        .http()
        .post(path)
        .set(json)
        .send(body as object)
        .expect(201);
    await post('/v1/groups', programmeBoard());
    await post('/v1/partners/nominations', nomination('dee', 'Dee Example'));
    await post('/v1/partners/dee/appointment', { body: 'forum', occurredAt: '2013-12-01' });
    await post('/v1/groups/programme-board/seats', {
      seatId: 'dee-seat',
      partnerId: 'dee',
      constituency: 'lay',
      occurredAt: '2014-01-10',
    });
    const dataDir = ledger.dataDir;
    await ledger.close();

    // Written by an earlier release: schemaVersion 1, the reason as free text.
    const raw = new SqliteEventStore({ path: join(dataDir, 'events.sqlite') });
    const v1 = await raw.appendToStream('partner-dee', [
      {
        id: randomUUID(),
        type: 'PartnerWithdrew',
        data: {
          partnerId: 'dee',
          reason: 'No pay for the role',
          occurredAt: '2014-06-30T00:00:00.000Z',
        },
        metadata: { actor: 'programme-office', schemaVersion: 1 },
      },
    ]);
    await raw.close();

    ledger = await startTestLedger(dataDir);
    const tenures = await ledger
      .http()
      .get('/v1/groups/programme-board/tenures')
      .query({ minPosition: String(v1.position) })
      .expect(200);
    expect(tenures.body.tenures).toEqual([
      expect.objectContaining({
        seatId: 'dee-seat',
        to: '2014-06-30T00:00:00.000Z',
        endReason: 'partner-withdrew: no-remuneration',
      }),
    ]);
    // The decider sees a withdrawn partner too.
    const refused = await ledger
      .http()
      .post('/v1/partners/dee/appointment')
      .set(json)
      .send({ body: 'advisory-group', occurredAt: '2014-07-01' })
      .expect(422);
    expect(refused.body.code).toBe('partner_withdrawn');

    const store: EventStore = ledger.app.get(EVENT_STORE);
    const [stored] = (await store.readStream('partner-dee')).filter(
      (e) => e.type === 'PartnerWithdrew',
    );
    expect(stored!.data).toMatchObject({ reason: 'no-remuneration', note: 'No pay for the role' });
    expect(stored!.metadata.schemaVersion).toBe(2);
  });
});
